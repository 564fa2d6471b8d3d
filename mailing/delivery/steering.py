"""Steering campaigns: what staff and the scheduler do to one (start, program, resume, cancel,
send again). Starting queues the first batch task (sending.py), which the batches carry on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import Campaign, CampaignEvent, Delivery
from .campaigns import (
    CampaignError,
    Segment,
    log_event,
    recipients,
    refresh_counters,
    snapshot_recipients,
    temporary_failures,
)
from .health import resume_blockers
from .sending import send_campaign_batch


def schedule_campaign(campaign: Campaign, when: datetime, *, user: Any = None) -> bool:
    """« Programmer l'envoi »: the content is frozen and checked now; the recipients are taken
    again when it starts (`start_due_campaigns`), so late subscribers are in and those who left
    are out."""
    updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT).update(
        status=Campaign.Status.SCHEDULED, scheduled_for=when
    )
    if updated:
        campaign.status, campaign.scheduled_for = Campaign.Status.SCHEDULED, when
        local = timezone.localtime(when)
        log_event(
            campaign,
            CampaignEvent.Kind.SCHEDULE,
            f"Envoi programmé le {local:%d/%m/%Y à %H:%M}.",
            user,
        )
    return bool(updated)


def unschedule_campaign(campaign: Campaign, *, user: Any = None) -> bool:
    """Cancel a programmed send, as long as it has not started."""
    updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SCHEDULED).update(
        status=Campaign.Status.CANCELLED, finished_at=timezone.now()
    )
    if updated:
        campaign.status = Campaign.Status.CANCELLED
        log_event(campaign, CampaignEvent.Kind.SCHEDULE, "Programmation annulée.", user)
    return bool(updated)


def start_due_campaigns(now: datetime | None = None) -> int:
    """The scheduler's job: start the programmed campaigns whose time has come. Each is taken
    by one conditional update, so two scheduler runs never start one twice."""
    now = now or timezone.now()
    started = 0
    due = Campaign.objects.filter(status=Campaign.Status.SCHEDULED, scheduled_for__lte=now)
    for campaign in due.order_by("scheduled_for"):
        with transaction.atomic():
            taken = Campaign.objects.filter(
                pk=campaign.pk, status=Campaign.Status.SCHEDULED
            ).update(status=Campaign.Status.DRAFT)
            if not taken:
                continue
            campaign.deliveries.filter(status=Delivery.Status.PENDING).delete()
            segment = Segment.from_json(campaign.segment)
            count = snapshot_recipients(campaign, recipients(segment))
            Campaign.objects.filter(pk=campaign.pk).update(recipient_count=count)
            campaign.status = Campaign.Status.DRAFT
            start_campaign(campaign)
        started += 1
    return started


def start_campaign(campaign: Campaign) -> None:
    now = timezone.now()
    updated = Campaign.objects.filter(
        pk=campaign.pk, status__in=[Campaign.Status.DRAFT, Campaign.Status.PAUSED]
    ).update(
        status=Campaign.Status.SENDING,
        pause_reason="",
        pause_cause="",
        paused_at=None,
        started_at=now if campaign.started_at is None else campaign.started_at,
        # The health window starts again: bounces of the sends before this resume are the
        # cause of the pause staff just dealt with, not a reason to pause again.
        health_window_from=now,
        heartbeat_at=now,
    )
    if updated:
        campaign.refresh_from_db()
        transaction.on_commit(lambda: send_campaign_batch.enqueue(campaign.pk))


class ResumeRefused(CampaignError):
    """A bounce pause whose cause is still there (suppress the addresses, or override), or a
    campaign that cannot resume (cancelled, finished)."""


RESUME_REFUSED = {
    Campaign.Status.CANCELLED: "la campagne a été annulée, elle ne peut plus reprendre.",
    Campaign.Status.DONE: "la campagne est terminée.",
    Campaign.Status.SENDING: "l'envoi est déjà en cours.",
    Campaign.Status.SCHEDULED: "la campagne est programmée : elle partira à l'heure prévue.",
}


def resume_campaign(campaign: Campaign, *, user: Any = None, override: bool = False) -> None:
    """Resume a paused campaign. After an automatic bounce/complaint pause, only once the
    addresses in cause are suppressed, or with an explicit override recorded (who, when)."""
    campaign.refresh_from_db()
    if campaign.status not in (Campaign.Status.PAUSED, Campaign.Status.DRAFT):
        refused = RESUME_REFUSED.get(campaign.status, "la campagne n'est pas en pause.")
        raise ResumeRefused([refused])
    if campaign.status != Campaign.Status.PAUSED:
        start_campaign(campaign)  # a draft: starting it is resuming nothing
        return
    if campaign.pause_cause == Campaign.PauseCause.HEALTH:
        blockers = resume_blockers(campaign)
        if blockers and not override:
            raise ResumeRefused(blockers)
        if override:
            now = timezone.now()
            Campaign.objects.filter(pk=campaign.pk).update(
                health_override_by=user if getattr(user, "pk", None) else None,
                health_override_at=now,
            )
            log_event(
                campaign,
                CampaignEvent.Kind.OVERRIDE,
                "Reprise malgré la pause automatique (" + campaign.pause_reason + ")",
                user,
            )
    start_campaign(campaign)
    if campaign.status == Campaign.Status.SENDING and not override:
        log_event(campaign, CampaignEvent.Kind.RESUME, "Envoi repris.", user)


def cancel_campaign(campaign: Campaign, *, user: Any = None) -> bool:
    """Stop for good: what was not sent yet is skipped (a batch in flight still finishes).
    Recorded in the campaign's events, with who cancelled."""
    with transaction.atomic():
        updated = Campaign.objects.filter(
            pk=campaign.pk,
            status__in=[Campaign.Status.DRAFT, Campaign.Status.SENDING, Campaign.Status.PAUSED],
        ).update(status=Campaign.Status.CANCELLED, finished_at=timezone.now())
        if updated:
            skipped = campaign.deliveries.filter(status=Delivery.Status.PENDING).update(
                status=Delivery.Status.SKIPPED, error="Campagne annulée."
            )
            campaign.status = Campaign.Status.CANCELLED
            log_event(
                campaign,
                CampaignEvent.Kind.CANCEL,
                f"Envoi annulé : {skipped} destinataire(s) restant(s) écarté(s).",
                user,
            )
    return bool(updated)


def resend_temporary_failures(campaign: Campaign, *, user: Any = None) -> int:
    """« Renvoyer les échecs temporaires »: deliveries recorded as failed by a cause that sent
    nothing and passes (connection, throttling, account paused — `transport.is_temporary_error`)
    go back to the pool; a finished campaign sends again. Recorded with who asked."""
    if campaign.status in (Campaign.Status.CANCELLED, Campaign.Status.SCHEDULED):
        return 0
    failed = temporary_failures(campaign)
    count = failed.update(status=Delivery.Status.PENDING, claimed_by="", claimed_at=None)
    if not count:
        return 0
    refresh_counters(campaign)
    log_event(
        campaign,
        CampaignEvent.Kind.REQUEUE,
        f"{count} échec(s) temporaire(s) remis en file.",
        user,
    )
    campaign.refresh_from_db()
    if campaign.status == Campaign.Status.DONE:
        Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DONE).update(
            status=Campaign.Status.PAUSED, finished_at=None
        )
        campaign.status = Campaign.Status.PAUSED
        start_campaign(campaign)
    return count


def resend_uncertain(campaign: Campaign, delivery_ids: Iterable[int] | None = None) -> int:
    """Staff decided that these uncertain deliveries did not go out: queue them again."""
    queryset = campaign.deliveries.filter(status=Delivery.Status.UNCERTAIN)
    if delivery_ids is not None:
        queryset = queryset.filter(pk__in=list(delivery_ids))
    count = queryset.update(status=Delivery.Status.PENDING, claimed_by="", claimed_at=None)
    if count and campaign.status == Campaign.Status.DONE:
        Campaign.objects.filter(pk=campaign.pk).update(
            status=Campaign.Status.PAUSED, pause_reason="Envois incertains remis en file."
        )
    return count
