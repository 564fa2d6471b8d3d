"""Following a cité: residents and partners get one mail when something about their cité is
published, grouped into one digest a day (the updates and the daily alert: delivery/cite_alerts.py).

Following goes through the subscription path (`subscriptions.record_subscription` with
`cite_ids`): a new address confirms by the double opt-in mail; a confirmed one confirms the new
cité by a signed link (`follow_token`), since anyone can type anyone's address.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

from cites_pages.models import CityPage
from renouveau.mail import send_mail_message
from renouveau.mail_layout import la_cite
from renouveau.visibility import public_pages

from ..addresses import absolute_url
from ..models import PreferenceChange, Subscriber
from .consents import CONSENT_TEXT_VERSION, WEBINARS_CONSENT_TEXT_VERSION, Topic, record_consents

logger = logging.getLogger(__name__)

FOLLOW_CONSENT_TEXT = (
    "J'accepte de recevoir par courriel les nouveautés de cette cité (actualités, retours "
    "d'expérience, webinaires, documents). Je pourrai arrêter à tout moment grâce au lien "
    "présent dans chaque message."
)
FOLLOW_CONSENT_TEXT_VERSION = "2026-12-suivi-v1"
FOLLOW_LINK_MAX_AGE = 7 * 24 * 3600
_FOLLOW_SALT = "mailing.follow"

# --- Following ---


def follow_token(
    subscriber: Subscriber, cite_id: int, newsletter: bool, webinars: bool = False
) -> str:
    return signing.dumps(
        [subscriber.pk, cite_id, int(newsletter), int(webinars)], salt=_FOLLOW_SALT, compress=True
    )


def public_cites():
    """The cités anyone may follow: published, public, not expired (renouveau.visibility)."""
    return public_pages(CityPage.objects.all())


def read_follow_token(token: str) -> tuple[Subscriber, Any, bool, bool] | None:
    """(subscriber, cité, also the newsletter, also webinar announcements) for a valid,
    unexpired link to a cité still public (or to no cité: lists only), else None."""

    try:
        pk, cite_id, newsletter, *rest = signing.loads(
            token, salt=_FOLLOW_SALT, max_age=FOLLOW_LINK_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscriber = Subscriber.objects.filter(pk=pk, status=Subscriber.Status.CONFIRMED).first()
    cite = public_cites().filter(pk=cite_id).first() if cite_id else None
    if subscriber is None or (cite_id and cite is None):
        return None
    return subscriber, cite, bool(newsletter), bool(rest and rest[0])


def add_followed_cite(
    subscriber: Subscriber,
    cite: Any,
    *,
    newsletter: bool = False,
    webinars: bool = False,
    source: str = "",
    ip_hash="",
) -> bool:
    """A confirmed subscriber follows one more cité (and the newsletter, webinar announcements
    if asked); logged with the consent proof, one consent record per list. False if nothing
    changed."""
    changes: dict[str, Any] = {}
    new_cite = cite is not None and not subscriber.cites.filter(pk=cite.pk).exists()
    if new_cite:
        subscriber.cites.add(cite)
        changes["cites_added"] = [cite.title]
    newsletter = newsletter and not subscriber.newsletter
    if newsletter:
        Subscriber.objects.filter(pk=subscriber.pk).update(newsletter=True)
        changes["newsletter"] = True
    webinars = webinars and not subscriber.webinar_announcements
    if webinars:
        Subscriber.objects.filter(pk=subscriber.pk).update(webinar_announcements=True)
        changes["webinar_announcements"] = True
    if changes:
        log_preference_change(
            subscriber, changes, source=source, version=FOLLOW_CONSENT_TEXT_VERSION, ip_hash=ip_hash
        )
        record_consents(
            subscriber,
            given=True,
            newsletter=newsletter,
            webinars=webinars,
            cites=[cite] if new_cite else [],
            source=source,
            versions={
                Topic.NEWSLETTER: CONSENT_TEXT_VERSION,
                Topic.WEBINARS: WEBINARS_CONSENT_TEXT_VERSION,
                Topic.CITE: FOLLOW_CONSENT_TEXT_VERSION,
            },
            ip_hash=ip_hash,
        )
    return bool(changes)


def log_preference_change(
    subscriber: Subscriber, changes: dict, *, source: str, version: str, ip_hash: str = ""
) -> PreferenceChange:
    return PreferenceChange.objects.create(
        subscriber=subscriber,
        changes=changes,
        source=source[:300],
        consent_text_version=version[:40],
        ip_hash=ip_hash,
    )


def send_follow_confirmation_mail(
    subscriber: Subscriber, cite: Any, newsletter: bool, *, webinars: bool = False
) -> None:
    """A confirmed address asked to follow a cité (or, `cite` None, for the letter or webinar
    announcements it does not receive yet): it confirms by a signed link (nothing changes
    until then; the answer on the site was the same as for any address)."""
    token = follow_token(subscriber, cite.pk if cite else 0, newsletter, webinars)
    context = {
        "cite": cite.title if cite else "",
        "newsletter": newsletter and not subscriber.newsletter,
        "webinars": webinars and not subscriber.webinar_announcements,
        "follow_url": absolute_url(reverse("mailing:follow_confirm", args=[token])),
        "days": FOLLOW_LINK_MAX_AGE // 86400,
        "site_url": settings.SITE_URL,
    }
    send_mail_message(
        to=[subscriber.email],
        subject=f"Confirmez le suivi de {la_cite(cite.title)}"
        if cite
        else "Confirmez votre abonnement au Renouveau du Bassin Minier",
        text=render_to_string("mailing/email/follow_confirmation.txt", context),
        html=render_to_string("mailing/email/follow_confirmation.html", context),
        tags={"kind": "follow-confirmation"},
    )
