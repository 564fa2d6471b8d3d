"""Subscribing and unsubscribing: double opt-in, signed tokens, consent proof, list hygiene.

Plain functions used by the public views, the document-request form of `documents`
(`start_subscription`), the admin and the maintenance task.
"""

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import Subscriber

# The consent wording shown next to the checkbox; its version is recorded with each consent.
# Change the version whenever the wording changes.
CONSENT_TEXT = (
    "J'accepte de recevoir par courriel la lettre d'information du Renouveau du Bassin Minier. "
    "Je pourrai me désabonner à tout moment grâce au lien présent dans chaque lettre."
)
CONSENT_TEXT_VERSION = "2026-11-v1"

CONFIRMATION_MAX_AGE = timedelta(days=7)
PURGE_PENDING_AFTER = timedelta(days=30)
RENEWAL_AFTER = timedelta(days=3 * 365)

_CONFIRM_SALT = "mailing.confirm"
_UNSUBSCRIBE_SALT = "mailing.unsubscribe"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_ip(ip: str | None) -> str:
    """A keyed hash of the visitor's IP (proof of consent without keeping the address)."""
    if not ip:
        return ""
    return salted_hmac("mailing.consent-ip", ip, algorithm="sha256").hexdigest()


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- Tokens ---


def confirmation_token(subscriber: Subscriber) -> str:
    # Bound to this consent: a new opt-in (new consent_at) invalidates older links.
    stamp = int(subscriber.consent_at.timestamp()) if subscriber.consent_at else 0
    return signing.dumps([subscriber.pk, stamp], salt=_CONFIRM_SALT, compress=True)


def confirmation_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("mailing:confirm", args=[confirmation_token(subscriber)]))


def unsubscribe_token(subscriber_id: int) -> str:
    """Never expires: an issue received years ago must still unsubscribe its reader."""
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(str(subscriber_id))


def unsubscribe_url(subscriber_id: int) -> str:
    return absolute_url(reverse("mailing:unsubscribe", args=[unsubscribe_token(subscriber_id)]))


def unsubscribe_mailto(subscriber_id: int) -> str:
    address = (
        getattr(settings, "MAILING_UNSUBSCRIBE_MAILTO", "")
        or (parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    )
    return f"mailto:{address}?subject={quote('desabonnement ' + unsubscribe_token(subscriber_id))}"


def list_unsubscribe_headers(subscriber_id: int) -> dict[str, str]:
    """RFC 2369 + RFC 8058 one-click headers."""
    return {
        "List-Unsubscribe": (
            f"<{unsubscribe_url(subscriber_id)}>, <{unsubscribe_mailto(subscriber_id)}>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def subscriber_from_unsubscribe_token(token: str) -> Subscriber | None:
    try:
        pk = int(signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Subscriber.objects.filter(pk=pk).first()


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
) -> None:
    """Record a subscription request and send the double opt-in mail (through the worker).

    Answers nothing: callers show the same message whether the address was new, pending,
    already confirmed or suppressed (no enumeration). Confirmed and suppressed addresses get
    no mail; pending and unsubscribed ones start a fresh opt-in.
    """
    email = normalize_email(email)
    if profile not in Subscriber.Profile.values:
        profile = ""
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is not None and subscriber.status in (
            Subscriber.Status.CONFIRMED,
            Subscriber.Status.BOUNCED,
            Subscriber.Status.COMPLAINED,
        ):
            return
        if subscriber is None:
            subscriber = Subscriber(email=email)
        subscriber.first_name = first_name.strip()[:100]
        subscriber.profile = profile
        subscriber.status = Subscriber.Status.PENDING
        subscriber.consent_at = now
        subscriber.consent_source = source[:300]
        subscriber.consent_text_version = consent_text_version[:40]
        subscriber.consent_ip_hash = hash_ip(ip)
        subscriber.confirmed_at = None
        subscriber.save()
        subscriber.communes.set(list(communes))
        send_confirmation_mail(subscriber)


def send_confirmation_mail(subscriber: Subscriber) -> None:
    """Queue the opt-in mail. Nothing typed by the visitor goes into it (only the link)."""
    from renouveau.mail import send_mail_task

    context = {
        "confirm_url": confirmation_url(subscriber),
        "days": CONFIRMATION_MAX_AGE.days,
        "site_url": settings.SITE_URL,
    }
    send_mail_task.enqueue(
        to=[subscriber.email],
        subject="Confirmez votre abonnement à la lettre du Renouveau du Bassin Minier",
        text=render_to_string("mailing/email/confirmation.txt", context),
        html=render_to_string("mailing/email/confirmation.html", context),
    )


class Confirmation(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    EXPIRED = "expired"
    INVALID = "invalid"


def check_confirmation_token(token: str) -> tuple[Confirmation, Subscriber | None]:
    """What confirming with this token would do, without changing anything (GET)."""
    try:
        pk, stamp = signing.loads(
            token, salt=_CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE.total_seconds()
        )
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
    """Confirm once; confirming again is harmless and says so."""
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
    return result


def unsubscribe(subscriber: Subscriber) -> bool:
    """Stop every future mail to this subscriber. Returns False if it was already the case."""
    now = timezone.now()
    updated = Subscriber.objects.filter(
        pk=subscriber.pk,
        status__in=[Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED],
    ).update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=now, last_interaction_at=now)
    return bool(updated)


# --- Hygiene ---


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Delete addresses never confirmed within 30 days (no consent, no reason to keep them)."""
    limit = (now or timezone.now()) - PURGE_PENDING_AFTER
    _, per_model = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, consent_at__lt=limit
    ).delete()
    return per_model.get(Subscriber._meta.label, 0)


def flag_inactive(now: datetime | None = None) -> int:
    """Flag confirmed subscribers without any interaction for three years (consent renewal)."""
    now = now or timezone.now()
    limit = now - RENEWAL_AFTER
    return (
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, renewal_flagged_at=None)
        .exclude(last_interaction_at__gte=limit)
        .exclude(last_interaction_at=None, confirmed_at__gte=limit)
        .update(renewal_flagged_at=now)
    )
