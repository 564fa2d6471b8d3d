"""The cité alerts: publishing a news item, case study or webinar that names cités records one
`CiteUpdate` per cité, once per page (a republication alerts nobody again);
`record_document_update` does the same for a library document. The daily job
(`send_cite_alerts`) groups each follower's followed cités among the day's updates, and sends one
mail per follower as an alert campaign: the same MJML layout, the same sending machinery
(batches, rate, bounce pause, watchdog, one-click unsubscribe) as the newsletter. Followers who
follow the same set of updated cités share one campaign. Following itself: audience/follow.py.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from renouveau.visibility import private_q, public_pages

from ..models import Campaign, CiteUpdate, Delivery, Subscriber
from .alert_mail import join_names as _join
from .alert_mail import render_alert
from .links import track_links
from .steering import start_campaign

logger = logging.getLogger(__name__)

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


# --- Updates to announce ---


def record_page_update(page: Any) -> int:
    """On publication: one pending update per cité the page names, the first time only.
    Private pages (view restrictions) alert nobody."""
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
    return record_cite_update(
        cites,
        source=f"page:{page.pk}",
        kind=_KIND_LABEL[model],
        title=specific.title,
        url=specific.get_full_url(),
        summary=str(summary),
    )


def record_document_update(document: Any, cites: Iterable[Any], url: str) -> int:
    """A library document about these cités became available (called by `documents`)."""
    return record_cite_update(
        list(cites),
        source=f"document:{document.pk}",
        kind="Document",
        title=document.title,
        url=url,
        summary=getattr(document, "description", "") or "",
    )


def record_cite_update(
    cites: list, *, source: str, kind: str, title: str, url: str, summary: str
) -> int:
    """One pending update per cité, once per `source` (a page, a document, a works note): what
    the next daily alert announces to the cité's followers. The number recorded."""
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
