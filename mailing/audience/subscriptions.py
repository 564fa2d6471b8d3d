"""Subscribing and unsubscribing: double opt-in, signed tokens, consent proof, list hygiene.

Plain functions used by the public views, the document-request form of `documents`
(`start_subscription`), the admin and the maintenance task.
"""

import enum
import logging
import re
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from renouveau.abuse import hourly_mail_cap_reason
from renouveau.mail import describe_error, send_mail_message
from renouveau.mail_layout import la_cite
from renouveau.typography import french_html, french_text

from ..addresses import address_hash, hash_ip, normalize_email
from ..counters import count_unsubscribe
from ..models import Delivery, Subscriber, SuppressedAddress, TaskInput
from .consents import (
    CONSENT_TEXT_VERSION,
    WEBINARS_CONSENT_TEXT_VERSION,
    Topic,
    record_consents,
    what_they_receive,
)
from .follow import public_cites, send_follow_confirmation_mail
from .tokens import (
    CONFIRMATION_MAX_AGE,
    confirmation_url,
    preferences_url,
    read_confirmation_token,
    subscriber_from_unsubscribe_token,
)

logger = logging.getLogger(__name__)

PURGE_PENDING_AFTER = timedelta(days=30)  # unconfirmed addresses are erased after it


# A signed subscriber id as `unsubscribe_token` makes it ("<id>:<signature>").
_TOKEN_IN_TEXT = re.compile(r"(\d+:[A-Za-z0-9_-]{20,})")


def unsubscribe_by_mail(subject: str, recipients: Iterable[str] = ()) -> Subscriber | None:
    """A mail sent to the List-Unsubscribe mailto: unsubscribes at once when it carries a valid
    token, in the subject (as our header writes it) or after a `+` in the recipient's local part.
    The token is the proof: no sender authentication is needed, and nothing is answered."""
    texts = [subject]
    for recipient in recipients:
        local = recipient.rpartition("@")[0]
        texts.append(local.partition("+")[2].replace("=", ":"))
    for text in texts:
        for token in _TOKEN_IN_TEXT.findall(text or ""):
            subscriber = subscriber_from_unsubscribe_token(token)
            if subscriber is not None:
                unsubscribe(subscriber)
                return subscriber
    return None


# --- Subscribing ---


def start_subscription(
    *,
    email: str,
    first_name: str = "",
    profile: str = "",
    communes: Iterable = (),
    source: str = "",
    consent_text_version: str = CONSENT_TEXT_VERSION,
    ip: str | None = None,
    cite_ids: Iterable[int] | None = None,
    newsletter: bool = True,
    webinar_announcements: bool = False,
    alert_frequency: str = "",
) -> None:
    """Hand a subscription request to the worker (`record_subscription`).

    The web request does the same work whatever the address (new, pending, confirmed,
    suppressed): one row written, one task enqueued, so neither the answer nor its timing tells
    them apart. The address travels to the worker in a `TaskInput` row, never in the task's
    arguments (the task backend keeps those); the IP only as its keyed hash."""
    payload = {
        "email": normalize_email(email),
        "first_name": first_name.strip()[:100],
        "profile": profile,
        "commune_ids": [getattr(commune, "pk", commune) for commune in communes],
        "source": source[:300],
        "consent_text_version": consent_text_version[:40],
        "ip_hash": hash_ip(ip),
        "cite_ids": None if cite_ids is None else [int(pk) for pk in cite_ids],
        "newsletter": newsletter,
        "webinar_announcements": webinar_announcements,
        "alert_frequency": alert_frequency,
    }
    record_subscription.enqueue(TaskInput.hold(payload))


@task(queue_name="mail")
def record_subscription(input_id: int) -> str:
    """The worker's side of `start_subscription`: reads (and deletes) the request's row."""
    payload = TaskInput.take(input_id)
    if payload is None:
        return "gone"
    return subscribe_now(**payload)


def subscribe_now(
    *,
    email: str,
    first_name: str = "",
    profile: str = "",
    commune_ids: list[int] | None = None,
    source: str = "",
    consent_text_version: str = CONSENT_TEXT_VERSION,
    ip_hash: str = "",
    cite_ids: list[int] | None = None,
    newsletter: bool = True,
    webinar_announcements: bool = False,
    alert_frequency: str = "",
) -> str:
    """Record a subscription request (the newsletter, or following cités: `cite_ids`, with
    `newsletter` saying whether the letter is wanted too; webinar announcements only when
    ticked) and send the double opt-in mail. Each list asked for gets its consent record.

    Suppressed addresses get no mail; pending and unsubscribed ones start a fresh opt-in. A
    confirmed address asking to follow a cité confirms it by a signed link (follow.py); asking
    for the letter again changes nothing. Returns what happened (for the task's result, not for
    the visitor)."""
    email = normalize_email(email)
    if profile not in Subscriber.Profile.values:
        profile = ""
    cites = list(public_cites().filter(pk__in=cite_ids)) if cite_ids else []
    if cite_ids and not cites:
        return "unchanged"  # a cité no longer public is followed by nobody
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        status = subscriber.status if subscriber is not None else None
        if status in (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED):
            return "unchanged"
        if status == Subscriber.Status.CONFIRMED:
            wants_more = (newsletter and not subscriber.newsletter) or (
                webinar_announcements and not subscriber.webinar_announcements
            )
            if not cites and not wants_more:
                return "unchanged"
            # A cité, or a list it does not receive yet: confirmed by a signed link.
            follow_requested = subscriber
        else:
            follow_requested = None
            if subscriber is None:
                subscriber = Subscriber(email=email)
            pending = status == Subscriber.Status.PENDING
            if cite_ids is None or first_name:
                subscriber.first_name = first_name
            if cite_ids is None or profile:
                subscriber.profile = profile
            # A pending address asking again keeps what it already asked for.
            subscriber.newsletter = newsletter or (pending and subscriber.newsletter)
            subscriber.webinar_announcements = webinar_announcements or (
                pending and subscriber.webinar_announcements
            )
            # A confirmed address keeps its frequency (anyone may type it here): the
            # preferences page, behind its personal link, changes it.
            if alert_frequency in Subscriber.AlertFrequency.values:
                subscriber.alert_frequency = alert_frequency
            subscriber.status = Subscriber.Status.PENDING
            subscriber.consent_at = now
            subscriber.consent_source = source
            subscriber.consent_text_version = consent_text_version
            subscriber.consent_ip_hash = ip_hash
            subscriber.confirmed_at = None
            subscriber.save()
            if cite_ids is None:
                subscriber.communes.set(list(commune_ids or []))
            if pending:
                subscriber.cites.add(*cites)
            else:
                subscriber.cites.set(cites)
            record_consents(
                subscriber,
                given=True,
                newsletter=newsletter,
                webinars=webinar_announcements,
                cites=cites,
                source=source,
                versions={
                    Topic.NEWSLETTER: CONSENT_TEXT_VERSION if cites else consent_text_version,
                    Topic.WEBINARS: WEBINARS_CONSENT_TEXT_VERSION,
                    Topic.CITE: consent_text_version,
                },
                ip_hash=ip_hash,
            )
    capped = confirmation_cap_reason(subscriber)
    if capped:
        # Anyone can type anyone's address: beyond the caps, no mail; staff see why.
        Subscriber.objects.filter(pk=subscriber.pk).update(mail_error=capped, mail_error_at=now)
        return "capped"
    if follow_requested is not None:
        send_follow_confirmation_mail(
            follow_requested,
            cites[0] if cites else None,
            newsletter,
            webinars=webinar_announcements,
        )
        return "follow-pending"
    send_confirmation_mail(subscriber)
    return "pending"


def confirmation_cap_reason(subscriber: Subscriber) -> str:
    """Why no opt-in mail may go now ('' when one may): caps per hour for the whole site
    (MAILING_CONFIRMATIONS_PER_HOUR) and per address domain
    (MAILING_CONFIRMATIONS_PER_DOMAIN_PER_HOUR), counting the opt-ins started this hour."""
    recent = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, consent_at__gte=timezone.now() - timedelta(hours=1)
    ).exclude(pk=subscriber.pk)
    return hourly_mail_cap_reason(
        recent,
        subscriber.email,
        per_site=int(settings.MAILING_CONFIRMATIONS_PER_HOUR),
        per_domain=int(settings.MAILING_CONFIRMATIONS_PER_DOMAIN_PER_HOUR),
    )


def send_confirmation_mail(subscriber: Subscriber, *, reminder: bool = False) -> None:
    """Send the opt-in mail now (transient SES errors are retried by renouveau.mail). A failure
    is recorded on the subscriber (shown in the staff list) and raised, so the task fails too.
    Nothing typed by the visitor goes into the mail (only the link). `reminder`: the one
    reminder before the purge (remind_unconfirmed), which says when the address is erased."""
    cites = [cite.title for cite in subscriber.cites.order_by("title")]
    context = {
        "lists": what_they_receive(subscriber),
        "confirm_url": confirmation_url(subscriber),
        "days": CONFIRMATION_MAX_AGE.days,
        "site_url": settings.SITE_URL,
        "cites": cites,
        "newsletter": subscriber.newsletter,
        "reminder": reminder,
        "erased_on": subscriber.consent_at + PURGE_PENDING_AFTER if subscriber.consent_at else None,
    }
    if subscriber.newsletter or not cites:
        subject = "Confirmez votre abonnement à la lettre du Renouveau du Bassin Minier"
    else:
        subject = f"Confirmez le suivi de {la_cite(cites[0])}"
    if reminder:
        subject = f"Rappel : {subject[0].lower()}{subject[1:]}"
    try:
        send_mail_message(
            to=[subscriber.email],
            subject=subject,
            text=french_text(render_to_string("mailing/email/confirmation.txt", context)),
            html=french_html(render_to_string("mailing/email/confirmation.html", context)),
            tags={"kind": "subscription-confirmation"},
        )
    except Exception as exc:
        logger.exception("Confirmation mail to subscriber %s failed", subscriber.pk)
        Subscriber.objects.filter(pk=subscriber.pk).update(
            mail_error=describe_error(exc), mail_error_at=timezone.now()
        )
        raise
    Subscriber.objects.filter(pk=subscriber.pk).exclude(mail_error="").update(mail_error="")


class Confirmation(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    EXPIRED = "expired"
    INVALID = "invalid"


def check_confirmation_token(token: str) -> tuple[Confirmation, Subscriber | None]:
    """What confirming with this token would do, without changing anything (GET)."""
    try:
        pk, stamp = read_confirmation_token(token)
    except signing.SignatureExpired:
        return Confirmation.EXPIRED, None
    except (signing.BadSignature, ValueError, TypeError):
        return Confirmation.INVALID, None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not subscriber.consent_at:
        return Confirmation.INVALID, None
    if int(subscriber.consent_at.timestamp()) != stamp:
        # An older opt-in link; only harmless if the address is confirmed anyway.
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return Confirmation.ALREADY_CONFIRMED, subscriber
        return Confirmation.INVALID, None
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return Confirmation.ALREADY_CONFIRMED, subscriber
    if subscriber.status != Subscriber.Status.PENDING:
        return Confirmation.INVALID, None
    return Confirmation.CONFIRMED, subscriber


def confirm_subscription(token: str) -> Confirmation:
    """Confirm once; confirming again is harmless and says so. A confirmation sends the welcome
    mail (what they will receive, and the preferences link)."""
    with transaction.atomic():
        result, subscriber = check_confirmation_token(token)
        if result is Confirmation.CONFIRMED and subscriber is not None:
            now = timezone.now()
            updated = Subscriber.objects.filter(
                pk=subscriber.pk, status=Subscriber.Status.PENDING
            ).update(
                status=Subscriber.Status.CONFIRMED,
                confirmed_at=now,
                last_interaction_at=now,
                renewal_flagged_at=None,
            )
            if not updated:
                return Confirmation.ALREADY_CONFIRMED
            # Confirmed again after unsubscribing: no longer on the suppression list.
            SuppressedAddress.objects.filter(address_hash=address_hash(subscriber.email)).delete()
    if result is Confirmation.CONFIRMED and subscriber is not None:
        send_welcome_mail.enqueue(subscriber.pk)  # by id: no address in the task's arguments
    return result


@task(queue_name="mail")
def send_welcome_mail(subscriber_id: int) -> str:
    """Welcome a confirmed subscriber: exactly what they will receive, and where to change it."""
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.CONFIRMED
    ).first()
    if subscriber is None:
        return "gone"
    context = {
        "lists": what_they_receive(subscriber),
        "preferences_url": preferences_url(subscriber.pk),
        "site_url": settings.SITE_URL,
    }
    send_mail_message(
        to=[subscriber.email],
        subject="Bienvenue : votre abonnement au Renouveau du Bassin Minier est confirmé",
        text=french_text(render_to_string("mailing/email/welcome.txt", context)),
        html=french_html(render_to_string("mailing/email/welcome.html", context)),
        tags={"kind": "welcome"},
    )
    return "sent"


def is_suppressed(email: str) -> bool:
    """Did this address unsubscribe (and was its row since reduced to the hash)?"""
    return SuppressedAddress.objects.filter(address_hash=address_hash(email)).exists()


def unsubscribe(
    subscriber: Subscriber,
    *,
    source: str = "Me désabonner de tout",
    count_on_campaign: bool = True,
) -> bool:
    """Stop every future mail to this subscriber: every list's consent is withdrawn (and
    recorded), so that the preferences page shows nothing ticked. Returns False if it was
    already the case. `count_on_campaign`: False when no mail caused it (re-permission left
    unanswered), so no campaign's report counts it."""
    now = timezone.now()
    with transaction.atomic():
        updated = Subscriber.objects.filter(
            pk=subscriber.pk,
            status__in=[Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED],
        ).update(
            status=Subscriber.Status.UNSUBSCRIBED,
            unsubscribed_at=now,
            last_interaction_at=now,
            unsubscribed_campaign=_last_campaign_received(now) if count_on_campaign else None,
            newsletter=False,
            webinar_announcements=False,
        )
        if updated:
            subscriber.refresh_from_db(fields=["newsletter", "webinar_announcements", "status"])
            cites = list(subscriber.cites.values_list("pk", flat=True))
            subscriber.cites.clear()
            record_consents(
                subscriber,
                given=False,
                newsletter=True,
                webinars=True,
                cites=cites,
                source=source,
                versions=dict.fromkeys(Topic.values, UNSUBSCRIBE_VERSION),
            )
    if updated and count_on_campaign:
        count_unsubscribe(subscriber.pk)
    return bool(updated)


UNSUBSCRIBE_VERSION = "desabonnement"


def _last_campaign_received(now):
    """The campaign report counts the unsubscribes each campaign caused. The unsubscribe link,
    the one-click POST and the mailto: carry only the subscriber, so the unsubscribe is put down
    to the last campaign sent to them before it: the mail they most likely unsubscribed from
    (nothing when they never received one). One subquery of the same UPDATE."""
    last = Delivery.objects.filter(
        subscriber=OuterRef("pk"), status=Delivery.Status.SENT, sent_at__lte=now
    ).order_by("-sent_at", "-pk")
    return Subquery(last.values("campaign_id")[:1])
