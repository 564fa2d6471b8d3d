"""Sending a campaign: the background task that claims one batch of deliveries and sends it.

The concerns live in their own modules: campaign state and snapshot (campaigns.py), health
(health.py), claiming, recording and recovering deliveries (deliveries.py), throttling and the
SES transport (transport.py). This module runs a batch and queues the next one (the task queues
itself); the names other code uses are gathered in the package (delivery/__init__.py).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from ..models import Campaign, CampaignEvent, Delivery
from .campaigns import log_event, pause_campaign, refresh_counters
from .deliveries import (
    claim_batch,
    record_and_hand_out,
    release,
    settle_interrupted,
    worker_identity,
)
from .health import check_health
from .resilience import CONNECTION_ERRORS, db_retry, drop_connection
from .transport import (
    Recipient,
    SendOutcome,
    concurrency,
    send_one,
    sender_state,
)

logger = logging.getLogger(__name__)


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    requeued: int = 0
    unreachable: int = 0
    account_paused: int = 0
    account_error: str = ""  # what SES said when it refused every mail of the account
    uncertain_answers: int = 0  # uncertain by SES's answer (5xx, lost answer), not by a stop
    finished: bool = False
    paused_reason: str | None = None

    def count(self, outcome: str, error: str = "") -> None:
        name = "requeued" if outcome == SendOutcome.RETRY_LATER else outcome
        setattr(self, name, getattr(self, name) + 1)
        if outcome == SendOutcome.ACCOUNT_PAUSED:
            self.account_error = error
        elif outcome == SendOutcome.UNCERTAIN:
            self.uncertain_answers += 1

    @property
    def handed(self) -> int:
        return (
            self.sent
            + self.failed
            + self.uncertain
            + self.requeued
            + self.unreachable
            + self.account_paused
        )


def _still_sending(campaign_id: int) -> bool:
    return Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).exists()


def _send(campaign: Campaign, batch: list[Recipient], me: str, result: BatchResult) -> None:
    """Send the claimed batch with MAILING_CONCURRENCY calls in flight, recording each outcome
    as soon as SES answers (and marking the next message in flight right after).
    Stops handing out messages when the campaign is no longer sending (paused, cancelled) or SES
    cannot be reached; what was claimed and not sent is given back."""
    state = sender_state()
    pool = state.pool()
    waiting = deque(batch)
    running: dict[Future, Recipient] = {}
    stop = False
    checked = time.monotonic()

    def hand_out(finished: list, count: int) -> None:
        following = [waiting.popleft() for _ in range(min(count, len(waiting)))]
        marked = db_retry(
            lambda: record_and_hand_out(finished, following, me), "recording outcomes"
        )
        for recipient in marked:
            running[pool.submit(send_one, campaign, recipient, state)] = recipient

    try:
        hand_out([], concurrency())
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            finished = []
            for future in done:
                recipient = running.pop(future)
                try:
                    outcome, message_id, error = future.result()
                except Exception as exc:  # before any SES call (personalising): not sent
                    outcome, message_id, error = SendOutcome.FAILED, "", repr(exc)[:500]
                finished.append((recipient, outcome, message_id, error))
                result.count(outcome, error)
                # Nothing would go through: stop handing out (the rest is given back).
                stop = stop or outcome in (SendOutcome.UNREACHABLE, SendOutcome.ACCOUNT_PAUSED)
            if not stop and time.monotonic() - checked > 1.0:
                checked = time.monotonic()
                stop = not db_retry(lambda: _still_sending(campaign.pk), "campaign status")
            hand_out(finished, 0 if stop else len(finished))
    except BaseException:
        # Whatever is in flight may or may not have gone out: uncertain, never resent; the
        # claims not yet sent go back to the pool.
        for future in running:
            future.cancel()
        try:
            result.uncertain += db_retry(
                lambda: settle_interrupted(batch, me), "settling an interrupted batch", patience=30
            )
        except Exception:
            logger.exception("Could not settle the interrupted batch (the watchdog will)")
        raise
    if waiting:
        db_retry(lambda: release(waiting, me), "releasing claims")


def run_batch(campaign_id: int, *, enqueue_next: bool = True) -> BatchResult:
    """Claim one batch of the campaign and send it. Called by the task (and the bench).

    Every database step survives a lost connection (retried on a fresh one, resilience.py).
    """
    result = BatchResult()
    me = worker_identity()
    campaign = db_retry(lambda: Campaign.objects.filter(pk=campaign_id).first(), "campaign")
    if campaign is None or campaign.status != Campaign.Status.SENDING:
        return result
    sender_state().warm()  # slow to build: before anything is claimed
    # 200 per task: each batch costs a claim, a queued task, counters and a health check, which
    # at 50 kept the worker below a bare boto3 loop; a bigger batch risks nothing more (claims
    # of a killed worker are released, only in-flight messages become uncertain).
    batch = db_retry(
        lambda: claim_batch(campaign, settings.MAILING_BATCH_SIZE, me), "claiming a batch"
    )
    result.claimed = len(batch)
    if not batch:
        result.finished = db_retry(lambda: finish_if_complete(campaign), "finishing")
        return result
    # Queued before sending: if this worker is killed, another one carries on.
    if enqueue_next and not enqueue_batch(campaign.pk):
        log_fault(campaign, QUEUE_LOST)
    _touch(campaign)
    _send(campaign, batch, me, result)
    _touch(campaign)
    db_retry(lambda: refresh_counters(campaign), "counters")
    handed = result.handed
    if result.account_paused:
        # SES refuses every mail of the account: nothing of the list is lost (what this batch
        # did not send is back in the pool); the watchdog tries again after a while.
        result.paused_reason = account_pause_reason(result.account_error)
        pause_campaign(campaign, result.paused_reason, cause=Campaign.PauseCause.ACCOUNT)
    elif handed and result.sent == 0 and result.failed == handed:
        # Nothing went through: a configuration problem (sender, account) rather than bad
        # addresses. Put them back and pause rather than fail the whole list.
        ids = [r.delivery_id for r in batch]
        errors = set(
            Delivery.objects.filter(pk__in=ids, status=Delivery.Status.FAILED).values_list(
                "error", flat=True
            )
        )
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.PENDING, claimed_by="", claimed_at=None
        )
        refresh_counters(campaign)
        result.paused_reason = "Tous les envois du lot ont échoué : " + " / ".join(errors)
        pause_campaign(campaign, result.paused_reason, cause=Campaign.PauseCause.ERRORS)
    elif handed and result.requeued == handed:
        # Throttled at every attempt (e.g. the daily quota): paused, tried again by the watchdog.
        result.paused_reason = (
            "SES refuse temporairement les envois (limite de débit ou quota) : rien n'est perdu, "
            "nouvel essai automatique dans quelques minutes."
        )
        pause_campaign(campaign, result.paused_reason, cause=Campaign.PauseCause.ACCOUNT)
    elif result.unreachable:
        # SES cannot be reached: nothing is lost (back to pending); the batch queued above, or
        # the watchdog, tries again. Not a pause: it heals by itself.
        logger.warning("SES unreachable during a batch of campaign %s", campaign.pk)
        log_fault(campaign, SES_UNREACHABLE)
    else:
        result.paused_reason = db_retry(lambda: check_health(campaign.pk), "health")
    if result.requeued and not result.paused_reason:
        log_fault(campaign, SES_THROTTLED)
    if result.uncertain_answers:
        log_fault(campaign, SES_FAILED_AFTER_SENDING)
    if not result.paused_reason:
        # The last batch: whichever worker records its last send closes the campaign, rather
        # than a deferred re-check (several workers may finish their batches together).
        result.finished = db_retry(lambda: finish_if_complete(campaign), "finishing")
    return result


# What the campaign page says of the faults the workers see (each written once in a while).
SES_UNREACHABLE = (
    "Amazon SES injoignable (connexion impossible ou trop lente) : rien n'est parti pour ces "
    "destinataires, remis en file ; l'envoi reprend de lui-même."
)
SES_THROTTLED = (
    "Amazon SES limite le débit (throttling) : les envois refusés sont réessayés plus lentement."
)
SES_FAILED_AFTER_SENDING = (
    "Amazon SES a répondu par une erreur après avoir reçu des messages : ils sont marqués "
    "incertains, jamais renvoyés d'office (voir « Envois incertains »)."
)
QUEUE_LOST = (
    "File des tâches injoignable (Redis ou base de données) : le contrôle relancera l'envoi dès "
    "qu'elle répondra."
)


def log_fault(campaign: Campaign, message: str) -> None:
    try:
        db_retry(
            lambda: log_event(campaign, CampaignEvent.Kind.FAULT, message, coalesce=True),
            "recording a fault",
        )
    except Exception:  # the page's history must never stop a batch
        logger.exception("Could not record a fault of campaign %s", campaign.pk)


def account_pause_reason(error: str) -> str:
    return (
        f"Amazon SES refuse tous les envois du compte ({error.partition(':')[0]}) : rien n'est "
        "perdu, les destinataires restants attendent ; nouvel essai automatique dans quelques "
        "minutes."
    )[:300]


def _touch(campaign: Campaign) -> None:
    """The watchdog's sign of life: a campaign whose heartbeat stops is re-queued."""
    db_retry(
        lambda: Campaign.objects.filter(pk=campaign.pk).update(heartbeat_at=timezone.now()),
        "heartbeat",
    )


def finish_if_complete(campaign: Campaign) -> bool:
    """DONE once nothing is pending or in flight (uncertain ones stay for staff to decide)."""
    busy = campaign.deliveries.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).exists()
    if busy:
        unclaimed = campaign.deliveries.filter(status=Delivery.Status.PENDING, claimed_by="")
        if not unclaimed.exists() and send_campaign_batch.get_backend().supports_defer:
            # Another worker is still on a batch, or a claim awaits its lease: look again later
            # (the watchdog does too, whatever the backend).
            enqueue_batch(campaign.pk, run_after=timezone.now() + timedelta(seconds=30))
        return False
    refresh_counters(campaign)
    return bool(
        Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
            status=Campaign.Status.DONE, finished_at=timezone.now(), pause_cause=""
        )
    )


def _tasks_run_in_process() -> bool:
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
        "requeued": result.requeued + result.unreachable,
        "finished": result.finished,
        "paused": result.paused_reason or "",
    }


def enqueue_batch(campaign_id: int, *, run_after=None) -> bool:
    """Queue the next batch task of a campaign. A queue that cannot be reached now (database
    or Redis down) is retried for a short while, then left to the watchdog: False."""
    task = (
        send_campaign_batch if run_after is None else send_campaign_batch.using(run_after=run_after)
    )
    delay = 0.5
    for _attempt in range(6):
        try:
            task.enqueue(campaign_id)
            return True
        except CONNECTION_ERRORS as exc:
            if connection.in_atomic_block:
                raise
            drop_connection()
            error: Exception = exc
        except Exception as exc:  # Redis (RQ backend): redis.exceptions.ConnectionError…
            error = exc
        logger.warning("Could not queue a batch of campaign %s: %s", campaign_id, error)
        time.sleep(delay)
        delay = min(delay * 2, 5.0)
    logger.error("Batch of campaign %s not queued: the watchdog will queue it", campaign_id)
    return False
