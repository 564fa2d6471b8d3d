"""Sending a campaign: the background task that claims one batch of deliveries and sends it.

The concerns live in their own modules: campaign state and snapshot (campaigns.py), health
(health.py), claiming, recording and recovering deliveries (deliveries.py), throttling and the
SES transport (transport.py). This module runs a batch, and re-exports the names other code uses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .campaigns import (
    CampaignError,
    Progress,
    Segment,
    cancel_campaign,
    create_campaign,
    mark_uncertain_as_sent,
    pause_campaign,
    progress,
    recipients,
    refresh_counters,
    resend_uncertain,
    resume_campaign,
    snapshot_recipients,
    start_campaign,
)
from .conf import setting
from .deliveries import claim_batch, process_is_gone, record, recover_orphans, worker_identity
from .health import BOUNCE_RATE_LIMIT, COMPLAINT_RATE_LIMIT, check_health
from .models import Campaign, Delivery
from .transport import (
    RateLimiter,
    Recipient,
    SendOutcome,
    limiter,
    personalise,
    reset_sending_state,
    send_one,
    sender_state,
    ses_max_send_rate,
    uses_ses_fast_path,
)

__all__ = [
    "BOUNCE_RATE_LIMIT",
    "COMPLAINT_RATE_LIMIT",
    "BatchResult",
    "CampaignError",
    "Progress",
    "RateLimiter",
    "Recipient",
    "Segment",
    "SendOutcome",
    "cancel_campaign",
    "check_health",
    "claim_batch",
    "create_campaign",
    "finish_if_complete",
    "limiter",
    "mark_uncertain_as_sent",
    "pause_campaign",
    "personalise",
    "process_is_gone",
    "progress",
    "recipients",
    "recover_on_worker_start",
    "recover_orphans",
    "refresh_counters",
    "resend_uncertain",
    "reset_sending_state",
    "resume_campaign",
    "run_batch",
    "send_campaign_batch",
    "send_one",
    "ses_max_send_rate",
    "setting",
    "snapshot_recipients",
    "start_campaign",
    "uses_ses_fast_path",
    "worker_identity",
]

logger = logging.getLogger(__name__)


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    requeued: int = 0
    finished: bool = False
    paused_reason: str | None = None


def run_batch(campaign_id: int, *, enqueue_next: bool = True) -> BatchResult:
    """Claim one batch of the campaign and send it. Called by the task (and the bench)."""
    result = BatchResult()
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return result
    recover_orphans(campaign)
    if campaign.status != Campaign.Status.SENDING:
        return result
    batch = claim_batch(campaign, setting("MAILING_BATCH_SIZE", 50))
    result.claimed = len(batch)
    if not batch:
        result.finished = finish_if_complete(campaign)
        return result
    if enqueue_next:
        # Queued before sending: if this worker is killed, the restarted one carries on.
        send_campaign_batch.enqueue(campaign.pk)

    try:
        state = sender_state()
        outcomes = state.pool().map(lambda r: (r, *send_one(campaign, r, state)), batch)
        for recipient, outcome, message_id, error in outcomes:
            record(recipient, outcome, message_id, error)
            counter = "requeued" if outcome == SendOutcome.RETRY_LATER else outcome
            setattr(result, counter, getattr(result, counter) + 1)
    except BaseException:
        # Whatever was not recorded may or may not have gone out: uncertain, never resent.
        Delivery.objects.filter(
            pk__in=[r.delivery_id for r in batch], status=Delivery.Status.SENDING
        ).update(status=Delivery.Status.UNCERTAIN, error="Erreur pendant l'envoi du lot.")
        raise
    Campaign.objects.filter(pk=campaign.pk).update(heartbeat_at=timezone.now())
    refresh_counters(campaign)
    if result.sent == 0 and result.failed == len(batch):
        # Nothing went through: a configuration problem (sender, account) rather than bad
        # addresses. Put them back and pause rather than fail the whole list.
        errors = set(
            Delivery.objects.filter(pk__in=[r.delivery_id for r in batch]).values_list(
                "error", flat=True
            )
        )
        Delivery.objects.filter(pk__in=[r.delivery_id for r in batch]).update(
            status=Delivery.Status.PENDING, claimed_by="", claimed_at=None
        )
        refresh_counters(campaign)
        result.paused_reason = "Tous les envois du lot ont échoué : " + " / ".join(errors)
        pause_campaign(campaign, result.paused_reason)
    elif result.requeued == len(batch):
        result.paused_reason = "SES refuse temporairement les envois (limite ou panne) : " + (
            "reprenez plus tard."
        )
        pause_campaign(campaign, result.paused_reason)
    else:
        result.paused_reason = check_health(campaign.pk)
    if (
        not result.paused_reason
        and not campaign.deliveries.filter(status=Delivery.Status.PENDING).exists()
    ):
        # The last batch: whichever worker records its last send closes the campaign, rather
        # than a deferred re-check (several workers may finish their batches together).
        result.finished = finish_if_complete(campaign)
    return result


def finish_if_complete(campaign: Campaign) -> bool:
    """DONE once nothing is pending or in flight (uncertain ones stay for staff to decide)."""
    busy = campaign.deliveries.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).exists()
    if busy:
        in_flight = campaign.deliveries.filter(status=Delivery.Status.SENDING).exists()
        if in_flight and send_campaign_batch.get_backend().supports_defer:
            # Another worker is still on a batch, or a claim awaits its lease: look again later.
            send_campaign_batch.using(run_after=timezone.now() + timedelta(seconds=30)).enqueue(
                campaign.pk
            )
        return False
    refresh_counters(campaign)
    return bool(
        Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
            status=Campaign.Status.DONE, finished_at=timezone.now()
        )
    )


def _tasks_run_in_process() -> bool:
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(send_campaign_batch.get_backend(), ImmediateBackend)


@task(queue_name="mail")
def send_campaign_batch(campaign_id: int) -> dict:
    if _tasks_run_in_process():
        # Immediate backend (development, some tests): no worker, so loop here rather than
        # recurse through enqueue() once per batch.
        while (result := run_batch(campaign_id, enqueue_next=False)).claimed:
            pass
    else:
        result = run_batch(campaign_id)
    return {
        "claimed": result.claimed,
        "sent": result.sent,
        "failed": result.failed,
        "uncertain": result.uncertain,
        "requeued": result.requeued,
        "finished": result.finished,
        "paused": result.paused_reason or "",
    }


def recover_on_worker_start() -> int:
    """Run by `db_worker` before it polls (mailing/management/commands/db_worker.py).

    Deliveries a killed worker left SENDING become UNCERTAIN, and every campaign still SENDING
    gets a batch task queued unless one is already waiting: a worker killed between claiming a
    task and queueing the next one would otherwise leave the campaign stalled.
    """
    recover_orphans()
    sending = list(
        Campaign.objects.filter(status=Campaign.Status.SENDING).values_list("pk", flat=True)
    )
    if not sending:
        return 0
    waiting: set[int] = set()
    try:
        from django_tasks_db.models import DBTaskResult

        for args_kwargs in (
            DBTaskResult.objects.ready()
            .filter(task_path=send_campaign_batch.module_path)
            .values_list("args_kwargs", flat=True)
        ):
            args = (args_kwargs or {}).get("args") or [None]
            waiting.add(args[0])
    except (ImportError, LookupError):
        pass
    queued = 0
    for campaign_id in sending:
        if campaign_id not in waiting:
            send_campaign_batch.enqueue(campaign_id)
            queued += 1
    return queued
