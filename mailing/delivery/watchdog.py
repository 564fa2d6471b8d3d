"""The campaign watchdog: one recovery, whatever the task backend (database queue or RQ).

Run every minute by the scheduler (`mailing/schedule.py`, `manage.py run_scheduler`) and once by
each `db_worker` as it starts:

1. deliveries held by a dead worker (same host and pid gone, or a claim older than the lease):
   those in flight become UNCERTAIN, those only claimed go back to the pool;
2. a campaign still SENDING with nothing pending or in flight is closed (DONE);
3. a campaign still SENDING with deliveries to send and no sign of life (heartbeat) for
   MAILING_STALL_SECONDS gets a batch task queued, unless one is already waiting in the queue.
   (An RQ worker killed with its work-horse right after taking a batch leaves an empty queue
   and a campaign nobody carries on: this is what starts it again.) Run at a worker's start
   (`stalled_after=0`), it queues a batch of a campaign that was active a moment ago without
   saying « relancé »: nothing had stopped;
4. a campaign paused because SES refused every mail of the account (sending paused, account
   suspended) is tried again every MAILING_ACCOUNT_RETRY_SECONDS (300): one batch whose first
   answers say whether SES accepts again (if not, it pauses again, nothing sent, nothing lost).

Each recovery is recorded as a CampaignEvent, shown with its time on the campaign page.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import django_rq
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ..models import Campaign, CampaignEvent, Delivery
from .campaigns import log_event
from .deliveries import recover_dead_claims
from .sending import QUEUE_LOST, enqueue_batch, finish_if_complete, log_fault, send_campaign_batch
from .steering import start_campaign

logger = logging.getLogger(__name__)


def waiting_batches() -> set[int] | None:
    """Campaign ids with a batch task waiting in the queue (None: cannot tell)."""
    backend = send_campaign_batch.get_backend()
    path = send_campaign_batch.module_path
    waiting: set[int] = set()
    try:
        if type(backend).__name__ == "DatabaseBackend":
            for args_kwargs in (
                DBTaskResult.objects.ready()
                .filter(task_path=path)
                .values_list("args_kwargs", flat=True)
            ):
                args = (args_kwargs or {}).get("args") or [None]
                waiting.add(args[0])
        elif type(backend).__name__ == "RQBackend":
            queue = django_rq.get_queue(send_campaign_batch.queue_name)
            for job in queue.get_jobs():
                if job.func_name == path and job.args:
                    waiting.add(job.args[0])
        else:
            return None
    except Exception:  # an unreachable queue: queue anyway, a duplicate batch finds nothing
        logger.exception("Could not list the waiting batch tasks")
        return None
    return waiting


def _minutes(seconds: float) -> str:
    return f"{round(seconds / 60)} min" if seconds >= 90 else f"{round(seconds)} s"


def retry_account_pauses(now) -> int:
    """Campaigns paused because SES refused the whole account, paused for long enough: start
    them again (the first answers tell whether SES accepts mail again)."""
    wait = timedelta(seconds=float(settings.MAILING_ACCOUNT_RETRY_SECONDS))
    retried = 0
    for campaign in Campaign.objects.filter(
        status=Campaign.Status.PAUSED,
        pause_cause=Campaign.PauseCause.ACCOUNT,
        paused_at__lte=now - wait,
    ):
        start_campaign(campaign)
        campaign.refresh_from_db()
        if campaign.status == Campaign.Status.SENDING:
            retried += 1
            log_event(
                campaign,
                CampaignEvent.Kind.RECOVERY,
                "Nouvel essai automatique après le refus d'Amazon SES.",
                coalesce=True,
            )
    return retried


def watchdog(*, stalled_after: float | None = None) -> dict[str, int]:
    """Recover dead claims, close finished campaigns, re-queue stalled ones."""
    stall = float(settings.MAILING_STALL_SECONDS)
    if stalled_after is None:
        stalled_after = stall
    report = {"uncertain": 0, "released": 0, "finished": 0, "requeued": 0}
    recovered = recover_dead_claims()
    for campaign_id in set(recovered.uncertain) | set(recovered.released):
        uncertain = recovered.uncertain.get(campaign_id, 0)
        released = recovered.released.get(campaign_id, 0)
        report["uncertain"] += uncertain
        report["released"] += released
        parts = []
        if uncertain:
            parts.append(f"{uncertain} envoi(s) en cours marqué(s) incertain(s)")
        if released:
            parts.append(f"{released} destinataire(s) réservé(s) remis en file")
        log_event(
            campaign_id,
            CampaignEvent.Kind.RECOVERY,
            "Un processus d'envoi s'est arrêté : " + ", ".join(parts) + ".",
        )

    now = timezone.now()
    waiting: set[int] | None = None
    for campaign in Campaign.objects.filter(status=Campaign.Status.SENDING):
        deliveries = campaign.deliveries
        if not deliveries.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
        ).exists():
            if finish_if_complete(campaign):
                report["finished"] += 1
                log_event(campaign, CampaignEvent.Kind.RECOVERY, "Envoi clos par le contrôle.")
            continue
        last_sign = campaign.heartbeat_at or campaign.started_at or campaign.created_at
        if last_sign and now - last_sign < timedelta(seconds=stalled_after):
            continue
        if not deliveries.filter(status=Delivery.Status.PENDING, claimed_by="").exists():
            continue  # only claims by live workers left: they carry on
        if waiting is None:
            waiting = waiting_batches() or set()
        if campaign.pk in waiting:
            continue
        if enqueue_batch(campaign.pk):
            report["requeued"] += 1
            Campaign.objects.filter(pk=campaign.pk).update(heartbeat_at=now)
            silence = (now - last_sign).total_seconds() if last_sign else stall
            if silence >= stall:  # really silent, not a campaign seen at a worker's start
                log_event(
                    campaign,
                    CampaignEvent.Kind.RECOVERY,
                    f"Envoi relancé automatiquement (aucune activité depuis {_minutes(silence)}).",
                )
        else:
            log_fault(campaign, QUEUE_LOST)
    report["retried"] = retry_account_pauses(now)
    if any(report.values()):
        logger.warning("Campaign watchdog: %s", report)
    return report


def recover_on_worker_start() -> int:
    """Run by `db_worker` before it polls: the watchdog's recovery, without waiting for a stall."""
    return watchdog(stalled_after=0)["requeued"]
