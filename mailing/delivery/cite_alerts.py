"""The cité alerts: publishing a news item, case study or webinar that names cités records one
`CiteUpdate` per cité, once per page (a republication alerts nobody again);
`record_document_update` does the same for a library document. The evening job
(`send_cite_alerts`) and the weekly one (`send_weekly_digests`, for followers who chose it)
each send one mail per follower with the updates of the cités they follow, as one alert
campaign per run: the digest is rendered once and spliced per follower (alert_mail.py,
sections.py), through the same sending machinery (batches, rate, bounce pause, watchdog,
one-click unsubscribe) as the newsletter. Following itself: audience/follow.py.
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
from .alert_mail import HEADINGS, digest_subject, render_digest
from .alert_mail import join_names as _join
from .links import track_links
from .sections import sections_key
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


# --- The evening alert and the weekly digest ---

DAILY = Subscriber.AlertFrequency.DAILY
WEEKLY = Subscriber.AlertFrequency.WEEKLY
# Each frequency announces an update once, stamped in its own field.
_STAMP = {DAILY: "alerted_at", WEEKLY: "weekly_alerted_at"}


@dataclass(frozen=True)
class AlertGroup:
    cite_ids: frozenset[int]
    subscriber_ids: list[int]


def follower_groups(cite_ids: Iterable[int], frequency: str = DAILY) -> list[AlertGroup]:
    """Confirmed followers of these cités who chose this frequency, grouped by the set of them
    they follow: each group's mail has the same sections. One query, streamed."""
    through = Subscriber.cites.through
    rows = (
        through.objects.filter(
            citypage_id__in=list(cite_ids),
            subscriber__status=Subscriber.Status.CONFIRMED,
            subscriber__alert_frequency=frequency,
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
    return [AlertGroup(key, sorted(ids)) for key, ids in sorted(groups.items(), key=_group_order)]


def _group_order(item: tuple[frozenset[int], list[int]]) -> list[int]:
    return sorted(item[0])


def send_cite_alerts(now: datetime | None = None, frequency: str = DAILY) -> dict[str, int]:
    """The evening job (or, with WEEKLY, the weekly one): the updates this frequency has not
    announced yet, one mail per follower who chose it (all of that follower's cités in one
    digest), in one alert campaign whose body is rendered once and spliced per follower
    (alert_mail.py). Updates with no follower are marked done too.

    Idempotent: the updates are claimed (locked, then stamped) in the same transaction that
    creates the campaign, so two schedulers running it at once (a deploy's overlap) announce
    each update once per frequency, and a job that fails half-way announces nothing and leaves
    them pending. What is no longer public when the job runs (unpublished, made private,
    expired) is not announced, and forgotten: a later publication records it again."""
    now = now or timezone.now()
    with transaction.atomic():
        pending = claim_pending_updates(now, frequency)
        hidden = [u.pk for u in pending if not u.public]
        if hidden:
            CiteUpdate.objects.filter(pk__in=hidden).delete()
        pending = [u for u in pending if u.public]
        groups = follower_groups({u.cite_id for u in pending}, frequency)
        campaigns = recipients = 0
        if groups:
            campaign = create_alert_campaign(pending, groups, frequency)
            start_campaign(campaign)  # its first batch is queued once this transaction commits
            campaigns, recipients = 1, campaign.recipient_count
    result = {"updates": len(pending), "campaigns": campaigns, "recipients": recipients}
    if hidden:
        result["withdrawn"] = len(hidden)  # no longer public: not announced
    return result


def send_weekly_digests(now: datetime | None = None) -> dict[str, int]:
    """The weekly digest, for the followers who chose « une fois par semaine »."""
    return send_cite_alerts(now, WEEKLY)


def claim_pending_updates(now: datetime, frequency: str = DAILY) -> list[CiteUpdate]:
    """Within the caller's transaction: lock the updates this frequency has not announced and
    stamp them as announced. Each one gets `public`: whether its page and its cité are still
    public now.

    A second run at the same time waits for the first to commit, then finds nothing left: it
    must not take part of them (SKIP LOCKED would), or a follower of two cités would get two
    mails that evening. SQLite serialises writing transactions anyway."""
    stamp = _STAMP[frequency]
    queryset = CiteUpdate.objects.filter(**{f"{stamp}__isnull": True}, published_at__lte=now)
    queryset = queryset.select_for_update(of=("self",))  # ignored by SQLite
    pending = list(queryset.select_related("cite").order_by("pk"))
    if not pending:
        return []
    CiteUpdate.objects.filter(pk__in=[u.pk for u in pending], **{f"{stamp}__isnull": True}).update(
        **{stamp: now}
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


def create_alert_campaign(
    updates: list[CiteUpdate], groups: list[AlertGroup], frequency: str = DAILY
) -> Campaign:
    """One campaign for every follower of this run: the digest rendered once, each delivery
    naming the sections (cités) its follower gets, and the subject of each set of cités."""
    sections, html, text = render_digest(updates, frequency)
    names = sorted({u.cite.title for u in updates}, key=str.casefold)
    subjects = {
        sections_key(g.cite_ids): digest_subject(sections, g.cite_ids, frequency) for g in groups
    }
    with transaction.atomic():
        campaign = Campaign.objects.create(
            kind=Campaign.Kind.CITE_ALERT,
            subject=HEADINGS[frequency],
            preheader=HEADINGS[frequency],
            html=html,
            text=text,
            section_subjects=subjects,
            segment={"cites": sorted({u.cite_id for u in updates}), "frequency": frequency},
            segment_label=(
                f"Abonnés ({Subscriber.AlertFrequency(frequency).label.lower()}) qui suivent "
                + _join(names)
            )[:300],
            recipient_count=sum(len(g.subscriber_ids) for g in groups),
        )
        track_links(campaign)  # clicks counted per link, as for the letter (links.py)
        # Set by set (the sender encodes each set's mail once), in chunks: the rows of 50,000
        # followers never sit in memory together.
        rows: list[Delivery] = []
        for group in groups:
            key = sections_key(group.cite_ids)
            rows.extend(
                Delivery(campaign=campaign, subscriber_id=pk, sections=key)
                for pk in group.subscriber_ids
            )
            if len(rows) >= 2000:
                Delivery.objects.bulk_create(rows)
                rows = []
        Delivery.objects.bulk_create(rows)
        CiteUpdate.objects.filter(pk__in=[u.pk for u in updates]).update(campaign=campaign)
    return campaign
