"""Following a cité: residents and partners get one mail when something about their cité is
published, grouped into one digest a day.

- Following goes through the subscription path (`subscriptions.record_subscription` with
  `cite_ids`): a new address confirms by the double opt-in mail; a confirmed one confirms the new
  cité by a signed link (`follow_token`), since anyone can type anyone's address.
- Publishing a news item, case study or webinar that names cités records one `CiteUpdate` per
  cité, once per page (a republication alerts nobody again); `record_document_update` does the
  same for a library document.
- The daily job (`send_cite_alerts`) groups each follower's followed cités among the day's
  updates, and sends one mail per follower as an alert campaign: the same MJML layout, the same
  sending machinery (batches, rate, bounce pause, watchdog, one-click unsubscribe) as the
  newsletter. Followers who follow the same set of updated cités share one campaign.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .alert_mail import join_names as _join
from .alert_mail import render_alert
from .links import track_links
from .models import Campaign, CiteUpdate, Delivery, PreferenceChange, Subscriber

logger = logging.getLogger(__name__)

FOLLOW_CONSENT_TEXT = (
    "J'accepte de recevoir par courriel les nouveautés de cette cité (actualités, retours "
    "d'expérience, webinaires, documents). Je pourrai arrêter à tout moment grâce au lien "
    "présent dans chaque message."
)
FOLLOW_CONSENT_TEXT_VERSION = "2026-12-suivi-v1"
FOLLOW_LINK_MAX_AGE = 7 * 24 * 3600
_FOLLOW_SALT = "mailing.follow"

# The page types that name cités, and the field that does.
_CITES_FIELD = {
    "newspage": "related_cities",
    "casestudypage": "cities",
    "webinarpage": "related_cities",
}
_KIND_LABEL = {
    "newspage": "Actualité",
    "casestudypage": "Retour d'expérience",
    "webinarpage": "Webinaire",
}


# --- Following ---


def follow_token(
    subscriber: Subscriber, cite_id: int, newsletter: bool, webinars: bool = False
) -> str:
    return signing.dumps(
        [subscriber.pk, cite_id, int(newsletter), int(webinars)], salt=_FOLLOW_SALT, compress=True
    )


def public_cites():
    """The cités anyone may follow: published, public, not expired (renouveau.visibility)."""
    from cites_pages.models import CityPage
    from renouveau.visibility import public_pages

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
    from .consents import WEBINARS_CONSENT_TEXT_VERSION, Topic, record_consents
    from .subscriptions import CONSENT_TEXT_VERSION

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
    from django.urls import reverse

    from renouveau.mail import send_mail_message
    from renouveau.mail_layout import la_cite

    from .subscriptions import absolute_url

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


# --- Updates to announce ---


def record_page_update(page: Any) -> int:
    """On publication: one pending update per cité the page names, the first time only.
    Private pages (view restrictions) alert nobody."""
    from renouveau.visibility import private_q

    specific = page.specific
    model = type(specific)._meta.model_name
    field = _CITES_FIELD.get(model)
    if field is None:
        return 0
    if type(specific).objects.filter(pk=page.pk).filter(private_q()).exists():
        return 0
    cites = list(getattr(specific, field).all().live())
    summary = (
        getattr(specific, "lead", "")
        or getattr(specific, "intro", "")
        or getattr(specific, "search_description", "")
        or ""
    )
    return _record(
        cites,
        source=f"page:{page.pk}",
        kind=_KIND_LABEL[model],
        title=specific.title,
        url=specific.get_full_url(),
        summary=str(summary),
    )


def record_document_update(document: Any, cites: Iterable[Any], url: str) -> int:
    """A library document about these cités became available (called by `documents`)."""
    return _record(
        list(cites),
        source=f"document:{document.pk}",
        kind="Document",
        title=document.title,
        url=url,
        summary=getattr(document, "description", "") or "",
    )


def _record(cites: list, *, source: str, kind: str, title: str, url: str, summary: str) -> int:
    now = timezone.now()
    created = 0
    for cite in cites:
        _, made = CiteUpdate.objects.get_or_create(
            cite=cite,
            source=source,
            defaults={
                "kind": kind,
                "title": title[:300],
                "url": url,
                "summary": summary[:600],
                "published_at": now,
            },
        )
        created += made
    return created


def on_page_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    try:
        record_page_update(instance)
    except Exception:  # an alert must never stop a publication
        logger.exception("Could not record the cité updates of page %s", instance.pk)


# --- The daily alert ---


@dataclass(frozen=True)
class AlertGroup:
    cite_ids: frozenset[int]
    subscriber_ids: list[int]


def follower_groups(cite_ids: Iterable[int]) -> list[AlertGroup]:
    """Confirmed followers of these cités, grouped by the set of them they follow: one mail per
    follower, one campaign per distinct set. One query, streamed."""
    through = Subscriber.cites.through
    rows = (
        through.objects.filter(
            citypage_id__in=list(cite_ids), subscriber__status=Subscriber.Status.CONFIRMED
        )
        .order_by()
        .values_list("subscriber_id", "citypage_id")
    )
    followed: dict[int, set[int]] = defaultdict(set)
    for subscriber_id, cite_id in rows.iterator(chunk_size=5000):
        followed[subscriber_id].add(cite_id)
    groups: dict[frozenset[int], list[int]] = defaultdict(list)
    for subscriber_id, cites in followed.items():
        groups[frozenset(cites)].append(subscriber_id)
    return [AlertGroup(key, sorted(ids)) for key, ids in groups.items()]


def send_cite_alerts(now: datetime | None = None) -> dict[str, int]:
    """The daily job: the updates not yet announced, one mail per follower (all of that
    follower's cités in one digest), queued as alert campaigns. Updates with no follower are
    marked done too.

    Idempotent: the updates are claimed (locked, then stamped) in the same transaction that
    creates their campaigns, so two schedulers running it at once (a deploy's overlap) announce
    each update once, and a job that fails half-way announces nothing and leaves them pending.
    What is no longer public when the job runs (unpublished, made private, expired) is not
    announced, and forgotten: a later publication records it again."""
    from .campaigns import start_campaign

    now = now or timezone.now()
    with transaction.atomic():
        pending = claim_pending_updates(now)
        hidden = [u.pk for u in pending if not u.public]
        if hidden:
            CiteUpdate.objects.filter(pk__in=hidden).delete()
        pending = [u for u in pending if u.public]
        campaigns = recipients = 0
        by_cite: dict[int, list[CiteUpdate]] = defaultdict(list)
        for update in pending:
            by_cite[update.cite_id].append(update)
        for group in follower_groups(by_cite):
            updates = [u for cite_id in sorted(group.cite_ids) for u in by_cite[cite_id]]
            campaign = create_alert_campaign(updates, group.subscriber_ids)
            start_campaign(campaign)  # its first batch is queued once this transaction commits
            campaigns += 1
            recipients += len(group.subscriber_ids)
    result = {"updates": len(pending), "campaigns": campaigns, "recipients": recipients}
    if hidden:
        result["withdrawn"] = len(hidden)  # no longer public: not announced
    return result


def claim_pending_updates(now: datetime) -> list[CiteUpdate]:
    """Within the caller's transaction: lock the updates not yet announced and stamp them as
    announced. Each one gets `public`: whether its page and its cité are still public now.

    A second run at the same time waits for the first to commit, then finds nothing left: it
    must not take part of them (SKIP LOCKED would), or a follower of two cités would get two
    mails that evening. SQLite serialises writing transactions anyway."""
    from wagtail.models import Page

    from renouveau.visibility import public_pages

    queryset = CiteUpdate.objects.filter(alerted_at__isnull=True, published_at__lte=now)
    queryset = queryset.select_for_update(of=("self",))  # ignored by SQLite
    pending = list(queryset.select_related("cite").order_by("pk"))
    if not pending:
        return []
    CiteUpdate.objects.filter(pk__in=[u.pk for u in pending], alerted_at__isnull=True).update(
        alerted_at=now
    )
    page_ids = {_page_id(u.source) for u in pending} | {u.cite_id for u in pending}
    page_ids.discard(None)
    public = set(public_pages(Page.objects.filter(pk__in=page_ids)).values_list("pk", flat=True))
    for update in pending:
        page_id = _page_id(update.source)
        update.public = update.cite_id in public and (page_id is None or page_id in public)
    return pending


def _page_id(source: str) -> int | None:
    kind, _, pk = source.partition(":")
    return int(pk) if kind == "page" and pk.isdigit() else None


def create_alert_campaign(updates: list[CiteUpdate], subscriber_ids: list[int]) -> Campaign:
    subject, html, text = render_alert(updates)
    names = sorted({u.cite.title for u in updates})
    with transaction.atomic():
        campaign = Campaign.objects.create(
            kind=Campaign.Kind.CITE_ALERT,
            subject=subject,
            preheader=f"Du nouveau sur {_join(names)}",
            html=html,
            text=text,
            segment={"cites": sorted({u.cite_id for u in updates})},
            segment_label="Abonnés qui suivent " + _join(names),
            recipient_count=len(subscriber_ids),
        )
        track_links(campaign)  # clicks counted per link, as for the letter (links.py)
        # In chunks: the rows of 50,000 followers never sit in memory together.
        for start in range(0, len(subscriber_ids), 2000):
            chunk = subscriber_ids[start : start + 2000]
            Delivery.objects.bulk_create(
                [Delivery(campaign=campaign, subscriber_id=pk) for pk in chunk]
            )
    return campaign
