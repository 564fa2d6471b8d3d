"""django-tasks-db's `db_worker`, plus two things of the mailing app (this app comes before
django_tasks_db in INSTALLED_APPS, so Django picks this command):

- before polling, the campaign watchdog runs once (delivery/watchdog.py): deliveries left in
  flight by a killed worker are marked uncertain (never resent silently), and interrupted
  campaigns are queued again;
- a lost database connection restarts the worker instead of ending it. Upstream's worker exits
  on any query error but a locked SQLite database: a PostgreSQL restart, a failover or
  `pg_terminate_backend` stopped every worker at once (issue 13). Here the connection is dropped
  and upstream's command runs again after a pause (0.5 s doubled up to 30 s); a task result the
  lost connection left « running » under this worker's id is recorded as failed.

Only upstream's public command is used (its `handle` with the parsed options, and the result
model's `set_failed`), nothing of its worker loop: no pin on its internals.
"""

from __future__ import annotations

import logging
import time

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.models import DBTaskResult

from mailing.delivery.resilience import CONNECTION_ERRORS, db_retry, drop_connection
from mailing.delivery.watchdog import recover_on_worker_start

logger = logging.getLogger("mailing")

FIRST_PAUSE, LONGEST_PAUSE = 0.5, 30.0


def settle_interrupted_results(worker_id: str, error: BaseException) -> int:
    """Record as failed the results this worker had claimed and could not record (the
    connection was lost during the task or while saving its outcome)."""
    settled = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for result in running.only("id", "worker_ids"):
        if result.worker_ids and result.worker_ids[-1] == worker_id:
            result.set_failed(error)
            settled += 1
    return settled


class Command(DBWorkerCommand):
    def handle(self, *args, **options) -> None:
        self.configure_logging(options["verbosity"])
        self.recover()
        pause, lost = FIRST_PAUSE, None
        while True:
            started = time.monotonic()
            try:
                if lost is not None:
                    self.settle(options["worker_id"], lost)
                return super().handle(*args, **options)
            except CONNECTION_ERRORS as exc:
                if time.monotonic() - started > LONGEST_PAUSE:
                    pause = FIRST_PAUSE  # a new outage, not the same one going on
                logger.warning("Database connection lost (%s): polling again in %.1f s", exc, pause)
                drop_connection()
                time.sleep(pause)
                pause, lost = min(pause * 2, LONGEST_PAUSE), exc
                options["startup_delay"] = False

    def recover(self) -> None:
        try:
            queued = db_retry(recover_on_worker_start, "recovering", patience=30)
        except Exception:  # the worker must start even if recovery cannot run now
            logger.exception("Mailing recovery at worker start failed")
        else:
            if queued:
                logger.info("Resumed %s interrupted campaign(s)", queued)

    def settle(self, worker_id: str, error: BaseException) -> None:
        settled = settle_interrupted_results(worker_id, error)
        if settled:
            logger.warning("%s task result(s) recorded as failed after the loss", settled)
