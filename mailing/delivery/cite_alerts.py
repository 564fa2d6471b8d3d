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
from django.db.models import Aggregate, CharField, F, QuerySet
from django.utils import timezone
from wagtail.models import Page

from renouveau.visibility import private_q, public_pages

from ..models import Campaign, CiteUpdate, Subscriber
from .alert_mail import HEADINGS, digest_subject, render_digest
from .alert_mail import join_names as _join
from .campaigns import insert_deliveries
from .links import track_links
from .sections import parse_key, sections_key
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
_STAMP = CiteUpdate.STAMP  # each frequency announces an update once, in its own field


class _SectionsKey(Aggregate):
    """The cités a follower follows among those grouped, as `Delivery.sections` (« 12,40 »,
    sections.py), computed by the database: GROUP_CONCAT on SQLite, whose order before 3.44
    is not guaranteed (`_normalise_sections` sorts what needs it), STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(CAST(%(expressions)s AS text), ',' ORDER BY %(expressions)s)",
            **extra_context,
        )


def follower_rows(
    cite_ids: Iterable[int], frequency: str = DAILY, switchers: Iterable[int] | None = None
) -> QuerySet:
    """Confirmed followers of these cités who chose this frequency and are in step with its runs
    (or, given, these of them who switched to it: `catch_up`), one row per follower:
    `recipient_id` and `sections` (the cités among these they follow), set by set."""
    through = Subscriber.cites.through
    rows = through.objects.filter(
        citypage_id__in=list(cite_ids),
        subscriber__status=Subscriber.Status.CONFIRMED,
        subscriber__alert_frequency=frequency,
    )
    if switchers is None:
        rows = rows.filter(subscriber__alerts_covered_until__isnull=True)
    else:
        rows = rows.filter(subscriber_id__in=list(switchers))
    return (
        rows.values(recipient_id=F("subscriber_id"))
        .annotate(sections=_SectionsKey("citypage_id"))
        .order_by("sections", "recipient_id")
    )


@dataclass(frozen=True)
class AlertGroup:
    cite_ids: frozenset[int]
    subscriber_ids: list[int]


def follower_groups(cite_ids: Iterable[int], frequency: str = DAILY) -> list[AlertGroup]:
    """The followers of `follower_rows` grouped by the set of cités they follow among these:
    each group's mail has the same sections (what the alert campaign's deliveries say)."""
    groups: dict[frozenset[int], list[int]] = defaultdict(list)
    for recipient_id, key in follower_rows(cite_ids, frequency).values_list(
        "recipient_id", "sections"
    ):
        groups[parse_key(key)].append(recipient_id)
    return [AlertGroup(key, sorted(ids)) for key, ids in sorted(groups.items(), key=_group_order)]


def _group_order(item: tuple[frozenset[int], list[int]]) -> list[int]:
    return sorted(item[0])


def send_cite_alerts(now: datetime | None = None, frequency: str = DAILY) -> dict[str, int]:
    """The evening job (or, with WEEKLY, the weekly one): the updates this frequency has not
    announced yet, one mail per follower who chose it (all of that follower's cités in one
    digest), in one alert campaign whose body is rendered once and spliced per follower
    (alert_mail.py). Updates with no follower are marked done too. Followers who switched to
    this frequency since its last run get what they have not had yet instead (`catch_up`).

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
        regular = create_alert_campaign(pending, frequency)
        made = [c for c in [regular, *catch_up(now, frequency)] if c is not None]
        for campaign in made:
            start_campaign(campaign)  # its first batch is queued once this transaction commits
    result = {
        "updates": len(pending),
        "campaigns": len(made),
        "recipients": sum(c.recipient_count for c in made),
    }
    if hidden:
        result["withdrawn"] = len(hidden)  # no longer public: not announced
    return result


def catch_up(now: datetime, frequency: str = DAILY) -> list[Campaign | None]:
    """Within the caller's transaction: the followers who switched to this frequency since its
    last run (`Subscriber.alerts_covered_until`) get the updates of their cités published since
    what they last got, up to `now` — one campaign per such moment (a past run's, so a few a
    week) — and are in step again. Locked first, so a second run at once finds them done.

    A resubscription starts afresh: nothing published before it is sent again. An update whose
    publication committed while the run it missed was claiming (a fraction of a second) may
    reach a switcher twice or not at all."""
    switchers = (
        Subscriber.objects.select_for_update()
        .filter(
            status=Subscriber.Status.CONFIRMED,
            alert_frequency=frequency,
            alerts_covered_until__isnull=False,
        )
        .values_list("pk", "alerts_covered_until", "confirmed_at")
    )
    since: dict[datetime, list[int]] = defaultdict(list)
    for pk, covered, confirmed in switchers:
        since[max(covered, confirmed or covered)].append(pk)
    campaigns = []
    for start, ids in sorted(since.items()):
        followed = Subscriber.cites.through.objects.filter(subscriber_id__in=ids)
        updates = CiteUpdate.objects.filter(
            published_at__gt=start,
            published_at__lte=now,
            cite_id__in=followed.values("citypage_id"),
        )
        updates = [u for u in _with_public(list(updates.select_related("cite"))) if u.public]
        campaigns.append(create_alert_campaign(updates, frequency, ids))
    Subscriber.objects.filter(pk__in=[pk for ids in since.values() for pk in ids]).update(
        alerts_covered_until=None
    )
    return campaigns


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
    return _with_public(pending)


def _with_public(updates: list[CiteUpdate]) -> list[CiteUpdate]:
    """The updates, each with `public`: whether its page and its cité are still public now."""
    page_ids = {_page_id(u.source) for u in updates} | {u.cite_id for u in updates}
    page_ids.discard(None)
    public = set(public_pages(Page.objects.filter(pk__in=page_ids)).values_list("pk", flat=True))
    for update in updates:
        page_id = _page_id(update.source)
        update.public = update.cite_id in public and (page_id is None or page_id in public)
    return updates


def _page_id(source: str) -> int | None:
    kind, _, pk = source.partition(":")
    return int(pk) if kind == "page" and pk.isdigit() else None


def create_alert_campaign(
    updates: list[CiteUpdate], frequency: str = DAILY, switchers: Iterable[int] | None = None
) -> Campaign | None:
    """One campaign for every follower of these updates who chose this frequency (or for these
    `switchers`, `follower_rows`); None if there is none: the digest rendered once, one
    delivery per follower naming the sections (cités) they get, inserted by the database
    straight from the follows (no row passes through Python), set by set, and the subject of
    each set of cités."""
    cite_ids = sorted({u.cite_id for u in updates})
    rows = follower_rows(cite_ids, frequency, switchers)
    if not cite_ids or not rows.exists():
        return None
    sections, html, text = render_digest(updates, frequency)
    names = sorted({u.cite.title for u in updates}, key=str.casefold)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            kind=Campaign.Kind.CITE_ALERT,
            subject=HEADINGS[frequency],
            preheader=HEADINGS[frequency],
            html=html,
            text=text,
            segment={"cites": cite_ids, "frequency": frequency},
            segment_label=(
                f"Abonnés ({Subscriber.AlertFrequency(frequency).label.lower()}) qui suivent "
                + _join(names)
            )[:300],
        )
        track_links(campaign)  # clicks counted per link, as for the letter (links.py)
        campaign.recipient_count = insert_deliveries(campaign, rows, sections=True)
        keys = _normalise_sections(campaign)
        campaign.section_subjects = {
            key: digest_subject(sections, parse_key(key), frequency) for key in keys
        }
        campaign.save(update_fields=["recipient_count", "section_subjects"])
        if switchers is None:  # the run that announced them (a catch-up repeats them)
            CiteUpdate.objects.filter(pk__in=[u.pk for u in updates]).update(campaign=campaign)
    return campaign


def _normalise_sections(campaign: Campaign) -> list[str]:
    """The distinct `sections` of the campaign's deliveries, each in the sorted form of
    `sections_key` (rewritten where the database concatenated in another order)."""
    found = campaign.deliveries.order_by().values_list("sections", flat=True).distinct()
    keys = set()
    for raw in list(found):
        key = sections_key(parse_key(raw))
        if key != raw:
            campaign.deliveries.filter(sections=raw).update(sections=key)
        keys.add(key)
    return sorted(keys)
