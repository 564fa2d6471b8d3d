"""Deliveries: claiming a batch for one worker, recording each outcome, and recovering what a
dead worker left behind.

Crash safety: a batch is marked SENDING (with the claiming process) before any SES call and each
delivery is marked SENT right after its call returns. A delivery found SENDING whose process is
gone (same host, dead pid) or whose claim is older than the lease is marked UNCERTAIN: never
resent automatically; SES send events carrying its delivery tag reconcile it (notifications.py),
otherwise staff decide (admin).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .conf import setting
from .models import Campaign, Delivery, Subscriber
from .transport import Recipient, SendOutcome

logger = logging.getLogger(__name__)


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


def recover_orphans(campaign: Campaign | None = None) -> int:
    """Deliveries left SENDING by a dead worker become UNCERTAIN (never silently resent)."""
    queryset = Delivery.objects.filter(status=Delivery.Status.SENDING)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    lease = timedelta(seconds=setting("MAILING_CLAIM_LEASE_SECONDS", 600))
    stale = Q(claimed_at__lt=timezone.now() - lease)
    claimers = set(queryset.values_list("claimed_by", flat=True).distinct())
    dead = [claimer for claimer in claimers if process_is_gone(claimer)]
    count = queryset.filter(stale | Q(claimed_by__in=dead)).update(
        status=Delivery.Status.UNCERTAIN,
        error="Worker interrompu pendant l'envoi : vérifier avant de renvoyer.",
    )
    if count:
        logger.warning("%s deliveries marked uncertain after a worker stopped", count)
    return count


def claim_batch(campaign: Campaign, size: int) -> list[Recipient]:
    """Mark up to `size` pending deliveries SENDING for this process, atomically.

    On PostgreSQL, SKIP LOCKED lets several workers claim disjoint batches; on SQLite the
    IMMEDIATE transaction (settings) already serialises writers.
    """
    me = worker_identity()
    now = timezone.now()
    with transaction.atomic():
        queryset = Delivery.objects.filter(campaign=campaign, status=Delivery.Status.PENDING)
        if db_connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True, of=("self",))
        rows = list(
            queryset.order_by("pk").values_list(
                "pk", "subscriber_id", "subscriber__email", "subscriber__status"
            )[:size]
        )
        if not rows:
            return []
        # Unsubscribed/suppressed since the snapshot: skip, never send.
        gone = [pk for pk, _, _, status in rows if status != Subscriber.Status.CONFIRMED]
        if gone:
            Delivery.objects.filter(pk__in=gone).update(
                status=Delivery.Status.SKIPPED, error="Plus abonné au moment de l'envoi."
            )
        batch = [
            Recipient(pk, subscriber_id, email)
            for pk, subscriber_id, email, status in rows
            if status == Subscriber.Status.CONFIRMED
        ]
        Delivery.objects.filter(pk__in=[r.delivery_id for r in batch]).update(
            status=Delivery.Status.SENDING,
            claimed_by=me,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return batch


def record(recipient: Recipient, outcome: str, message_id: str, error: str) -> None:
    now = timezone.now()
    row = Delivery.objects.filter(pk=recipient.delivery_id, status=Delivery.Status.SENDING)
    if outcome == SendOutcome.SENT:
        row.update(status=Delivery.Status.SENT, ses_message_id=message_id, sent_at=now, error="")
    elif outcome == SendOutcome.FAILED:
        row.update(status=Delivery.Status.FAILED, error=error)
    elif outcome == SendOutcome.UNCERTAIN:
        row.update(status=Delivery.Status.UNCERTAIN, error=error)
    else:
        row.update(status=Delivery.Status.PENDING, error=error, claimed_by="", claimed_at=None)
