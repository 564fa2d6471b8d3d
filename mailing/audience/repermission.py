"""Re-permission (CNIL guidance on consent durations): a consent older than
MAILING_REPERMISSION_YEARS (3) is asked again, once, by a mail whose button leads to a page with
« Je reste abonné » (mail scanners open links: only the POST renews). Renewing records a consent
per list received; no answer within 30 days unsubscribes, recorded as a withdrawal. No open
tracking: only the button counts."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from renouveau.mail import send_mail_message
from renouveau.typography import french_html, french_text

from ..addresses import absolute_url
from ..models import Subscriber
from .consents import Topic, record_consents, what_they_receive
from .subscriptions import unsubscribe
from .tokens import unsubscribe_token

logger = logging.getLogger(__name__)

ANSWER_WITHIN = timedelta(days=30)
RENEW_SOURCE = "Je reste abonné (renouvellement du consentement)"
RENEW_VERSION = "2026-12-renouvellement-v1"
NO_ANSWER_SOURCE = "Sans réponse à la demande de renouvellement"


def repermission_after() -> timedelta:
    return timedelta(days=365 * int(settings.MAILING_REPERMISSION_YEARS))


def renew_url(subscriber_id: int) -> str:
    return absolute_url(reverse("mailing:renew", args=[unsubscribe_token(subscriber_id)]))


def due_for_repermission(now: datetime):
    """Confirmed subscribers not asked yet whose latest consent given (confirmation, or a list
    chosen since) is older than the period."""
    limit = now - repermission_after()
    return (
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, repermission_asked_at=None)
        .annotate(last_consent=Max("consents__at", filter=Q(consents__given=True)))
        .filter(Q(last_consent__lt=limit) | Q(last_consent=None, confirmed_at__lt=limit))
    )


def send_repermission_mail(subscriber: Subscriber) -> None:
    context = {
        "lists": what_they_receive(subscriber),
        "renew_url": renew_url(subscriber.pk),
        "since": subscriber.confirmed_at,
        "days": ANSWER_WITHIN.days,
        "site_url": settings.SITE_URL,
    }
    send_mail_message(
        to=[subscriber.email],
        subject="Souhaitez-vous rester abonné au Renouveau du Bassin Minier ?",
        text=french_text(render_to_string("mailing/email/repermission.txt", context)),
        html=french_html(render_to_string("mailing/email/repermission.html", context)),
        tags={"kind": "repermission"},
    )


def run_repermission(now: datetime | None = None) -> dict[str, int]:
    """Ask the due subscribers once (claimed before sending: never twice), and unsubscribe
    those asked more than 30 days ago who did not answer."""
    now = now or timezone.now()
    asked = failed = 0
    for pk in due_for_repermission(now).values_list("pk", flat=True).iterator():
        if not Subscriber.objects.filter(pk=pk, repermission_asked_at=None).update(
            repermission_asked_at=now
        ):
            continue
        try:
            send_repermission_mail(Subscriber.objects.get(pk=pk))
        except Exception:
            logger.exception("Re-permission mail to subscriber %s failed", pk)
            failed += 1
        else:
            asked += 1
    expired = 0
    for subscriber in Subscriber.objects.filter(
        status=Subscriber.Status.CONFIRMED, repermission_asked_at__lt=now - ANSWER_WITHIN
    ).iterator():
        if unsubscribe(subscriber, source=NO_ANSWER_SOURCE, count_on_campaign=False):
            logger.info("Subscriber %s unsubscribed: no answer to the re-permission", subscriber.pk)
            expired += 1
    return {"asked": asked, "failed": failed, "unsubscribed": expired}


def renew_consent(subscriber: Subscriber, *, ip_hash: str = "") -> bool:
    """« Je reste abonné »: a consent given again for each list received. False when there was
    nothing to renew (not asked, or no longer subscribed)."""
    now = timezone.now()
    with transaction.atomic():
        updated = Subscriber.objects.filter(
            pk=subscriber.pk,
            status=Subscriber.Status.CONFIRMED,
            repermission_asked_at__isnull=False,
        ).update(repermission_asked_at=None, last_interaction_at=now, renewal_flagged_at=None)
        if updated:
            subscriber.refresh_from_db()
            record_consents(
                subscriber,
                given=True,
                newsletter=subscriber.newsletter,
                webinars=subscriber.webinar_announcements,
                cites=subscriber.cites.values_list("pk", flat=True),
                source=RENEW_SOURCE,
                versions=dict.fromkeys(Topic.values, RENEW_VERSION),
                ip_hash=ip_hash,
            )
    return bool(updated)
