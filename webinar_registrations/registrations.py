"""Registering to a webinar, the waiting list, cancelling, and every mail a registrant receives
(confirmation with the `.ics`, promotion, reminders the day and the hour before, replay).

Plain functions used by the public views, the staff views and the scheduled jobs (schedule.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django_tasks import task

from cites_pages.models import WebinarPage
from mailing.models import TaskInput
from renouveau.abuse import hourly_mail_cap_reason
from renouveau.addresses import hash_ip, normalize_email
from renouveau.page_cache import invalidate_page_cache
from renouveau.profiles import VisitorProfile

from .mails import send_registration_mail
from .models import Registration, RegistrationSettings

logger = logging.getLogger(__name__)

Status = Registration.Status

# Reminders: (kind, stamp field, how long before the start it is due, until when it is worth it).
REMINDERS = (
    ("reminder_day", "reminder_day_sent_at", timedelta(days=1), timedelta(hours=1)),
    ("reminder_hour", "reminder_hour_sent_at", timedelta(hours=1), timedelta(0)),
)


# --- Webinar state ---


def settings_for(webinar: WebinarPage) -> RegistrationSettings:
    """The webinar's settings (an unsaved default when staff never set any)."""
    found = RegistrationSettings.objects.filter(webinar=webinar).first()
    return found or RegistrationSettings(webinar=webinar)


def registration_open(webinar: WebinarPage, now: datetime | None = None) -> bool:
    """Open while the webinar is published and not over (late-comers may still join online),
    unless staff closed it or the page sends people to an external registration form."""
    return (
        webinar.pk is not None  # a new page's preview
        and webinar.live
        and not webinar.registration_url
        and (now or timezone.now()) < webinar.end
        and settings_for(webinar).open
    )


def registered_count(webinar: WebinarPage) -> int:
    return Registration.objects.filter(webinar=webinar, status=Status.REGISTERED).count()


def is_full(webinar: WebinarPage) -> bool:
    capacity = settings_for(webinar).capacity
    return capacity is not None and registered_count(webinar) >= capacity


def full_webinar_ids(ids: Iterable[int]) -> set[int]:
    """Of these webinars, those whose seats are all taken (one query)."""
    registered = Count(
        "webinar__registrations", filter=Q(webinar__registrations__status="registered")
    )
    rows = (
        RegistrationSettings.objects.filter(webinar_id__in=list(ids), capacity__isnull=False)
        .annotate(registered=registered)
        .filter(registered__gte=F("capacity"))
    )
    return set(rows.values_list("webinar_id", flat=True))


def _when_fullness_changes(webinar: WebinarPage, capacity: int | None, was_full: bool) -> None:
    """Within _lock, after a change of seats: the cached pages and lists show « Complet » or
    « À venir », so they are emptied when that flips (once the transaction commits)."""
    full = capacity is not None and registered_count(webinar) >= capacity
    if full != was_full:
        transaction.on_commit(invalidate_page_cache)


def count_annotations(prefix: str = "") -> dict[str, Count]:
    """Staff figures as aggregates (registered, waiting, cancelled, attended): over a webinar's
    registrations, or per webinar with `prefix="registrations__"` (one query for a list)."""

    def count(**condition) -> Count:
        return Count(f"{prefix}pk", filter=Q(**{prefix + k: v for k, v in condition.items()}))

    return {
        "registered": count(status=Status.REGISTERED),
        "waiting": count(status=Status.WAITING),
        "cancelled": count(status=Status.CANCELLED),
        "attended": count(attended=True),
    }


def counts(webinar: WebinarPage) -> dict[str, int]:
    """Staff figures of one webinar, in one query."""
    return Registration.objects.filter(webinar=webinar).aggregate(**count_annotations())


def _lock(webinar: WebinarPage) -> RegistrationSettings:
    """Lock the webinar's settings row: every change of seats (register, cancel, promote) holds
    it, so that two of them never give away the same last seat."""
    RegistrationSettings.objects.get_or_create(webinar=webinar)
    return RegistrationSettings.objects.select_for_update().get(webinar=webinar)


def _fill_from_waiting_list(webinar: WebinarPage, capacity: int | None) -> list[Registration]:
    """Within _lock: give free seats to the waiting list, first come first served (until the
    webinar is over: a seat freed afterwards is no news to anyone)."""
    if not webinar.is_upcoming:
        return []
    waiting = (
        Registration.objects.select_for_update()
        .filter(webinar=webinar, status=Status.WAITING)
        .order_by("registered_at", "pk")
    )
    if capacity is not None:
        waiting = waiting[: max(capacity - registered_count(webinar), 0)]
    promoted = list(waiting)
    now = timezone.now()
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
    return promoted


# --- Registering ---


def start_registration(
    webinar: WebinarPage,
    *,
    email: str,
    name: str,
    organisation: str = "",
    profile: str = "",
    ip: str | None = None,
) -> None:
    """Hand the registration to the mail worker: the request does the same work whatever the
    address (new, already registered, cancelled), so its answer and timing tell nothing. The
    name and address reach the worker in a `TaskInput` row, never in the task's arguments
    (which the task backend keeps)."""
    payload = {
        "webinar_id": webinar.pk,
        "email": normalize_email(email),
        "name": name.strip()[:150],
        "organisation": organisation.strip()[:200],
        "profile": profile if profile in VisitorProfile.values else VisitorProfile.AUTRE,
        "ip_hash": hash_ip(ip),
    }
    record_registration.enqueue(TaskInput.hold(payload))


@task(queue_name="mail")
def record_registration(input_id: int) -> str:
    """The worker's side of `start_registration`: reads (and deletes) the request's row."""
    payload = TaskInput.take(input_id)
    if payload is None:
        return "gone"
    return register_now(**payload)


def register_now(
    *,
    webinar_id: int,
    email: str,
    name: str,
    organisation: str = "",
    profile: str = "",
    ip_hash: str = "",
) -> str:
    webinar = WebinarPage.objects.filter(pk=webinar_id).first()
    if webinar is None or not registration_open(webinar):
        return "closed"
    registration, outcome = register(
        webinar,
        email=email,
        name=name,
        organisation=organisation,
        profile=profile,
        ip_hash=ip_hash,
    )
    capped = mail_cap_reason(registration)
    if capped:
        # Anyone can type anyone's address: beyond the caps, no mail; staff see why.
        Registration.objects.filter(pk=registration.pk).update(mail_error=capped)
        return "capped"
    # Registering again resends the mail of one's current state (a lost confirmation).
    send_registration_mail(registration, registration.status, raise_errors=True)
    return outcome


def mail_cap_reason(registration: Registration) -> str:
    """Why no confirmation may go now ('' when one may), as for the newsletter's opt-in mails:
    caps per hour for the whole site (WEBINAR_CONFIRMATIONS_PER_HOUR, default 200) and per
    address domain (WEBINAR_CONFIRMATIONS_PER_DOMAIN_PER_HOUR, default 50)."""
    recent = Registration.objects.filter(
        registered_at__gte=timezone.now() - timedelta(hours=1)
    ).exclude(pk=registration.pk)
    return hourly_mail_cap_reason(
        recent,
        registration.email,
        per_site=settings.WEBINAR_CONFIRMATIONS_PER_HOUR,
        per_domain=settings.WEBINAR_CONFIRMATIONS_PER_DOMAIN_PER_HOUR,
    )


def register(
    webinar: WebinarPage,
    *,
    email: str,
    name: str,
    organisation: str = "",
    profile: str = "",
    ip_hash: str = "",
) -> tuple[Registration, str]:
    """Register (or put on the waiting list when full). One row per address and webinar: an
    active registration is left as it is; a cancelled one is registered again."""
    email = normalize_email(email)
    now = timezone.now()
    with transaction.atomic():
        capacity = _lock(webinar).capacity
        registration = (
            Registration.objects.select_for_update().filter(webinar=webinar, email=email).first()
        )
        if registration is not None and registration.status != Status.CANCELLED:
            return registration, "unchanged"
        full = capacity is not None and registered_count(webinar) >= capacity
        if registration is None:
            registration = Registration(webinar=webinar, email=email)
        registration.name = name
        registration.organisation = organisation
        registration.profile = profile
        registration.ip_hash = ip_hash
        registration.status = Status.WAITING if full else Status.REGISTERED
        registration.registered_at = now
        registration.cancelled_at = registration.promoted_at = None
        registration.reminder_day_sent_at = registration.reminder_hour_sent_at = None
        registration.save()
        _when_fullness_changes(webinar, capacity, full)
    return registration, registration.status


# --- Cancelling ---


def cancel(registration: Registration) -> bool:
    """Cancel (idempotent: False if it already was); a freed seat goes to the waiting list,
    whose promoted registrants are mailed."""
    webinar = registration.webinar
    with transaction.atomic():
        capacity = _lock(webinar).capacity
        was_full = capacity is not None and registered_count(webinar) >= capacity
        updated = (
            Registration.objects.filter(pk=registration.pk)
            .exclude(status=Status.CANCELLED)
            .update(status=Status.CANCELLED, cancelled_at=timezone.now())
        )
        promoted = _fill_from_waiting_list(webinar, capacity) if updated else []
        _when_fullness_changes(webinar, capacity, was_full)
    _mail_promoted(promoted)
    return bool(updated)


def set_capacity(webinar: WebinarPage, *, capacity: int | None, open: bool) -> list[Registration]:
    """Staff change the settings; more seats go to the waiting list at once."""
    with transaction.atomic():
        row = _lock(webinar)
        was_full = row.capacity is not None and registered_count(webinar) >= row.capacity
        reopened_or_closed = row.open != open
        row.capacity = capacity
        row.open = open
        row.save(update_fields=["capacity", "open"])
        promoted = _fill_from_waiting_list(webinar, capacity)
        _when_fullness_changes(webinar, capacity, was_full)
    if reopened_or_closed:
        invalidate_page_cache()  # the cached webinar page shows or hides its button at once
    _mail_promoted(promoted)
    return promoted


def _mail_promoted(promoted: Iterable[Registration]) -> None:
    for registration in promoted:
        send_registration_mail(registration, "promoted")


def set_attended(webinar: WebinarPage, attended_ids: Iterable[int]) -> None:
    """Staff mark who attended (the ticked rows), the others of the webinar as absent."""
    ids = {int(pk) for pk in attended_ids}
    rows = Registration.objects.filter(webinar=webinar)
    rows.filter(pk__in=ids).update(attended=True)
    rows.exclude(pk__in=ids).update(attended=False)


# --- Scheduled mails ---


def _claim_and_send(registration: Registration, kind: str, field: str, now: datetime) -> bool:
    """At most once: the stamp is set before sending by a conditional update that only one
    run can win; a failed send clears it again so that a later run retries."""
    claimed = Registration.objects.filter(pk=registration.pk, **{field: None}).update(
        **{field: now}
    )
    if not claimed:
        return False
    if send_registration_mail(registration, kind):
        return True
    Registration.objects.filter(pk=registration.pk).update(**{field: None})
    return False


def send_reminders(now: datetime | None = None) -> dict[str, int]:
    """The reminders due now: the day before (24 h before the start) and the hour before.
    Someone who registered after a reminder's moment does not get it (the confirmation has
    just told them everything)."""
    now = now or timezone.now()
    sent = {}
    for kind, field, before, until in REMINDERS:
        due = Registration.objects.filter(
            status=Status.REGISTERED,
            webinar__live=True,
            webinar__start__lte=now + before,
            webinar__start__gt=now + until,
            **{f"{field}__isnull": True},
        ).select_related("webinar")
        sent[kind] = sum(
            _claim_and_send(registration, kind, field, now)
            for registration in due
            if registration.registered_at <= registration.webinar.start - before
        )
    return sent


def send_replays(now: datetime | None = None) -> int:
    """The replay link to every registrant (waiting list included, not the cancelled) of a
    webinar over for less than WEBINAR_REPLAY_MAIL_DAYS (default 60) once its published page
    has a replay."""
    now = now or timezone.now()
    days = settings.WEBINAR_REPLAY_MAIL_DAYS
    due = Registration.objects.filter(
        status__in=[Status.REGISTERED, Status.WAITING], replay_sent_at__isnull=True
    )
    webinars = WebinarPage.objects.live().filter(
        end__lte=now,
        end__gt=now - timedelta(days=days),
        pk__in=due.values("webinar_id"),
    )
    sent = 0
    for webinar in webinars:
        if not webinar.replay:  # the published version has no replay yet
            continue
        for registration in due.filter(webinar=webinar):
            registration.webinar = webinar
            sent += _claim_and_send(registration, "replay", "replay_sent_at", now)
    return sent


# --- Retention ---


def anonymise_old_registrations(now: datetime | None = None) -> int:
    """Personal data is kept for WEBINAR_REGISTRATION_RETENTION_DAYS (365) after the webinar
    (the form says so); the rows stay, without name, address or organisation, for the counts."""
    now = now or timezone.now()
    days = settings.WEBINAR_REGISTRATION_RETENTION_DAYS
    old = Registration.objects.filter(webinar__end__lt=now - timedelta(days=days)).exclude(
        email__endswith="@anonyme.invalid"
    )
    count = 0
    for pk in old.values_list("pk", flat=True).iterator():
        # The address stays unique per webinar (constraint) without saying anything.
        count += Registration.objects.filter(pk=pk).update(
            email=f"{pk}@anonyme.invalid", name="", organisation="", ip_hash="", mail_error=""
        )
    return count
