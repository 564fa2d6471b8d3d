"""Surviving lost connections: a database step retried on a fresh connection with backoff (the
batch task queued whatever the queue's health: sending.enqueue_batch).

A PostgreSQL restart, a failover or `pg_terminate_backend` leaves every open connection dead: the
next query raises OperationalError, and any later one InterfaceError. Closing the connection makes
Django open a new one at the next query, so a step that failed that way is retried after a pause
(0.5 s doubled up to 10 s) until the database is back or the step's patience runs out. Only steps
outside a transaction are retried here; a transaction is retried as a whole by its caller.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")
CONNECTION_ERRORS = (OperationalError, InterfaceError)


def drop_connection() -> None:
    """Forget this thread's database connection; the next query opens a new one."""
    try:
        connection.close()
    except Exception:  # a dead connection may fail to close: it is gone either way
        connection.connection = None


def db_retry(step: Callable[[], T], what: str, *, patience: float | None = None) -> T:
    """Run `step`; on a lost or refused connection, retry it on a fresh one with backoff for
    up to `patience` seconds (MAILING_DB_RETRY_SECONDS, 300 by default), then re-raise."""
    if patience is None:
        patience = float(settings.MAILING_DB_RETRY_SECONDS)
    deadline = time.monotonic() + patience
    delay = 0.5
    attempt = 0
    while True:
        try:
            return step()
        except CONNECTION_ERRORS as exc:
            if connection.in_atomic_block:
                raise  # the enclosing transaction is what must be retried
            attempt += 1
            if time.monotonic() + delay > deadline:
                logger.error("Giving up on %s after %s attempts: %s", what, attempt, exc)
                raise
            logger.warning("Database error during %s (attempt %s): %s", what, attempt, exc)
            drop_connection()
            time.sleep(delay * (0.75 + random.random() / 2))  # noqa: S311 (jitter)
            delay = min(delay * 2, 10.0)
