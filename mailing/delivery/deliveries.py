"""Deliveries: claiming a batch for one worker, marking each message in flight just before its
SES call, recording its outcome as soon as SES answers, and recovering what a dead worker left.

The states a worker moves a delivery through:

- claimed: still PENDING, with `claimed_by` = this worker. Nothing has been sent; if the worker
  dies, the claim is simply released (back to the pool), never made uncertain.
- in flight: SENDING, marked just before its SES call, at most MAILING_CONCURRENCY of them per
  worker at any moment (the next one is marked right after the outcome of the one before is
  recorded).
- SENT / FAILED / UNCERTAIN (the request may have reached SES: a read timeout) / back to PENDING
  (SES refused for now), recorded right after SES answers.

A delivery found SENDING whose process is gone (same host, dead pid) or whose claim is older than
the lease is marked UNCERTAIN: never resent automatically; SES send events carrying its delivery
tag settle it (notifications.py), otherwise staff decide (admin). So a killed worker leaves at
most its in-flight messages uncertain, not its batch.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..models import Campaign, Delivery, Subscriber
from .transport import Recipient, SendOutcome

logger = logging.getLogger(__name__)

NO_LONGER_SUBSCRIBED = "Plus abonné au moment de l'envoi."
UNCERTAIN_AFTER_STOP = "Worker interrompu pendant l'envoi : vérifier avant de renvoyer."


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_is_gone(claimed_by: str) -> bool:
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def lease() -> timedelta:
    return timedelta(seconds=settings.MAILING_CLAIM_LEASE_SECONDS)


@dataclass
class Recovered:
    uncertain: dict[int, int]  # campaign id → deliveries made uncertain
    released: dict[int, int]  # campaign id → claims released (nothing had been sent)

    @property
    def total(self) -> int:
        return sum(self.uncertain.values()) + sum(self.released.values())


def recover_dead_claims(campaign: Campaign | None = None) -> Recovered:
    """Deliveries held by a dead worker (or by a claim older than the lease): those in flight
    become UNCERTAIN (never silently resent), those only claimed go back to the pool."""
    held = Delivery.objects.filter(status__in=[Delivery.Status.SENDING, Delivery.Status.PENDING])
    held = held.exclude(claimed_by="")
    if campaign is not None:
        held = held.filter(campaign=campaign)
    claimers = set(held.values_list("claimed_by", flat=True).distinct().order_by())
    dead = [claimer for claimer in claimers if process_is_gone(claimer)]
    gone = Q(claimed_by__in=dead) | Q(claimed_at__lt=timezone.now() - lease())
    result = Recovered({}, {})
    in_flight = held.filter(gone, status=Delivery.Status.SENDING)
    released = held.filter(gone, status=Delivery.Status.PENDING)
    with transaction.atomic():
        counts = dict(in_flight.values_list("campaign_id").annotate(n=Count("pk")).order_by())
        if counts:
            in_flight.update(status=Delivery.Status.UNCERTAIN, error=UNCERTAIN_AFTER_STOP)
            result.uncertain = counts
        counts = dict(released.values_list("campaign_id").annotate(n=Count("pk")).order_by())
        if counts:
            released.update(claimed_by="", claimed_at=None)
            result.released = counts
    if result.total:
        logger.warning(
            "After a worker stopped: %s deliveries uncertain, %s claims released",
            sum(result.uncertain.values()),
            sum(result.released.values()),
        )
    return result


def recover_orphans(campaign: Campaign | None = None) -> int:
    """Deliveries left in flight by a dead worker become UNCERTAIN; its claims are released."""
    return sum(recover_dead_claims(campaign).uncertain.values())


def claim_batch(campaign: Campaign, size: int, me: str | None = None) -> list[Recipient]:
    """Reserve up to `size` pending deliveries for this worker, atomically. They stay PENDING
    (nothing is sent yet) with `claimed_by` set; `mark_in_flight` moves them on one by one.

    Claims this worker already holds (a step that failed on a lost connection after its
    transaction committed) are taken back first. On PostgreSQL, SKIP LOCKED lets several workers
    claim disjoint batches; on SQLite the IMMEDIATE transaction (settings) serialises writers.
    """
    me = me or worker_identity()
    now = timezone.now()
    with transaction.atomic():
        mine = Delivery.objects.filter(
            campaign=campaign, status=Delivery.Status.PENDING, claimed_by=me
        )
        free = Delivery.objects.filter(
            campaign=campaign, status=Delivery.Status.PENDING, claimed_by=""
        )
        if db_connection.features.has_select_for_update_skip_locked:
            free = free.select_for_update(skip_locked=True, of=("self",))
        columns = ("pk", "subscriber_id", "subscriber__email", "subscriber__status", "sections")
        rows = list(mine.order_by("pk").values_list(*columns)[:size])
        if len(rows) < size:
            rows += list(free.order_by("pk").values_list(*columns)[: size - len(rows)])
        if not rows:
            return []
        # Unsubscribed/suppressed since the snapshot: skip, never send.
        gone = [pk for pk, _, _, status, _ in rows if status != Subscriber.Status.CONFIRMED]
        if gone:
            Delivery.objects.filter(pk__in=gone).update(
                status=Delivery.Status.SKIPPED, error=NO_LONGER_SUBSCRIBED
            )
        batch = [
            Recipient(pk, subscriber_id, email, sections)
            for pk, subscriber_id, email, status, sections in rows
            if status == Subscriber.Status.CONFIRMED
        ]
        Delivery.objects.filter(pk__in=[r.delivery_id for r in batch]).update(
            claimed_by=me, claimed_at=now
        )
    return batch


# The two statements every message costs, written once in SQL: built through the ORM they cost
# ~0.7 ms of CPU each, in the thread that hands out the next message, which held the worker
# below a bare boto3 loop (bench/send.py). Same conditions as the ORM versions below them.
# The in-flight mark also re-reads the subscriber's status: someone who unsubscribed after the
# batch was claimed (seconds earlier) is not mailed.
_MARK_SQL = (
    "UPDATE {table} SET status = %s, claimed_at = %s, attempts = attempts + 1"
    " WHERE id = %s AND claimed_by = %s AND status IN (%s, %s)"
    " AND EXISTS (SELECT 1 FROM {subscribers} s WHERE s.id = {table}.subscriber_id"
    " AND s.status = %s)"
)
_SENT_SQL = (
    "UPDATE {table} SET status = %s, ses_message_id = %s, sent_at = %s, error = ''"
    " WHERE id = %s AND claimed_by = %s AND status IN (%s, %s)"
)


def _execute(sql: str, params: list) -> int:
    quote = db_connection.ops.quote_name
    table, subscribers = quote(Delivery._meta.db_table), quote(Subscriber._meta.db_table)
    with db_connection.cursor() as cursor:
        cursor.execute(sql.format(table=table, subscribers=subscribers), params)
        return cursor.rowcount


def _now_param():
    return db_connection.ops.adapt_datetimefield_value(timezone.now())


def record(recipient: Recipient, outcome: str, message_id: str, error: str, me: str = "") -> None:
    """The outcome of one SES call. Also settles a delivery that the watchdog made UNCERTAIN
    while this (slow, not dead) worker still waited for SES."""
    me = me or worker_identity()
    if outcome == SendOutcome.SENT:
        _execute(
            _SENT_SQL,
            [
                Delivery.Status.SENT.value,
                message_id,
                _now_param(),
                recipient.delivery_id,
                me,
                Delivery.Status.SENDING.value,
                Delivery.Status.UNCERTAIN.value,
            ],
        )
        return
    row = Delivery.objects.filter(
        pk=recipient.delivery_id,
        status__in=[Delivery.Status.SENDING, Delivery.Status.UNCERTAIN],
        claimed_by=me,
    )
    if outcome == SendOutcome.FAILED:
        row.update(status=Delivery.Status.FAILED, error=error)
    elif outcome == SendOutcome.UNCERTAIN:
        row.filter(status=Delivery.Status.SENDING).update(
            status=Delivery.Status.UNCERTAIN, error=error
        )
    else:  # RETRY_LATER, UNREACHABLE: nothing was sent
        row.update(status=Delivery.Status.PENDING, error=error, claimed_by="", claimed_at=None)


def mark_in_flight(recipient: Recipient, me: str) -> bool:
    """SENDING, just before the SES call; False if the claim was lost (cancelled, released by
    the watchdog) or the subscriber is no longer confirmed (then the delivery is SKIPPED): the
    message must not be sent. A delivery already SENDING for this worker counts as marked (a
    commit whose answer was lost with the connection)."""
    marked = _execute(
        _MARK_SQL,
        [
            Delivery.Status.SENDING.value,
            _now_param(),
            recipient.delivery_id,
            me,
            Delivery.Status.PENDING.value,
            Delivery.Status.SENDING.value,
            Subscriber.Status.CONFIRMED.value,
        ],
    )
    if not marked:
        Delivery.objects.filter(
            pk=recipient.delivery_id, claimed_by=me, status=Delivery.Status.PENDING
        ).exclude(subscriber__status=Subscriber.Status.CONFIRMED).update(
            status=Delivery.Status.SKIPPED, error=NO_LONGER_SUBSCRIBED
        )
    return bool(marked)


def record_and_hand_out(
    finished: Iterable[tuple[Recipient, str, str, str]], following: list[Recipient], me: str
) -> list[Recipient]:
    """The outcomes SES just gave, then the next messages marked in flight. Returns those of
    `following` that may be sent.

    No transaction: each statement is conditional and idempotent (a step retried after a lost
    connection changes nothing twice) and commits on its own, the in-flight mark before its SES
    call. Two round trips per message; a BEGIN/COMMIT pair around them cost more than the
    second commit it saved (measured, bench/send.py)."""
    for recipient, outcome, message_id, error in finished:
        record(recipient, outcome, message_id, error, me)
    return [recipient for recipient in following if mark_in_flight(recipient, me)]


def release(recipients: Iterable[Recipient], me: str) -> int:
    """Give back claims that were never sent (the batch stopped early)."""
    return Delivery.objects.filter(
        pk__in=[r.delivery_id for r in recipients],
        status=Delivery.Status.PENDING,
        claimed_by=me,
    ).update(claimed_by="", claimed_at=None)


def settle_interrupted(recipients: Iterable[Recipient], me: str) -> int:
    """The batch stopped on an error: what is in flight may have gone out (uncertain), the
    rest is given back."""
    ids = [r.delivery_id for r in recipients]
    uncertain = Delivery.objects.filter(
        pk__in=ids, status=Delivery.Status.SENDING, claimed_by=me
    ).update(status=Delivery.Status.UNCERTAIN, error="Erreur pendant l'envoi du lot.")
    release(recipients, me)
    return uncertain
