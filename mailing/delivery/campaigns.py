"""Campaign state: who receives an issue (segments), the frozen snapshot of the issue and of its
recipient list, the campaign's events, pausing, and the progress shown to staff. Starting and
the other steering actions, which queue batches: steering.py."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F, Max, QuerySet
from django.utils import timezone

from cites_pages.models import Commune
from newsletter.checks import MAX_HTML_BYTES, check_issue
from newsletter.freeze import freeze_images
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue
from renouveau.mime import build_personalised

from ..audience.segments import segment_recipients
from ..audience.tokens import personal_unsubscribe
from ..counters import count_deliveries
from ..models import Campaign, CampaignEvent, Delivery, SavedSegment, Subscriber
from .links import track_links
from .transport import campaign_skeleton, is_temporary_error

logger = logging.getLogger(__name__)


# --- Segments ---


@dataclass(frozen=True)
class Segment:
    """All confirmed subscribers who want the letter, or those with one of these profiles /
    communes of interest; a webinar announcement goes to those who chose the announcements
    (preferences page), whether they take the letter or not."""

    profiles: tuple[str, ...] = ()
    commune_ids: tuple[int, ...] = ()
    webinar_announcement: bool = False
    # A saved segment (audience/segments.py): its list and criteria, narrowed by the above.
    saved_segment_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"profiles": list(self.profiles), "communes": list(self.commune_ids)}
        if self.webinar_announcement:
            data["webinar_announcement"] = True
        if self.saved_segment_id:
            data["saved_segment"] = self.saved_segment_id
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> Segment:
        data = data or {}
        return cls(
            profiles=tuple(data.get("profiles") or ()),
            commune_ids=tuple(int(pk) for pk in data.get("communes") or ()),
            webinar_announcement=bool(data.get("webinar_announcement")),
            saved_segment_id=data.get("saved_segment") or None,
        )

    def label(self) -> str:
        saved = None
        if self.saved_segment_id:
            saved = SavedSegment.objects.filter(pk=self.saved_segment_id).first()
        if saved:
            base = f"Segment « {saved.name} »"
        elif self.saved_segment_id:
            base = "Segment supprimé (personne)"
        elif self.webinar_announcement:
            base = "Abonnés aux annonces de webinaires"
        else:
            base = "Tous les abonnés confirmés"
        parts = []
        if self.profiles:
            names = dict(Subscriber.Profile.choices)
            parts.append("profils : " + ", ".join(names.get(p, p) for p in self.profiles))
        if self.commune_ids:
            names = Commune.objects.filter(pk__in=self.commune_ids).order_by("name")
            parts.append("communes : " + ", ".join(str(c) for c in names))
        return base + (f" ({' ; '.join(parts)})" if parts else "")


def recipients(segment: Segment) -> QuerySet[Subscriber]:
    """Only confirmed (hence unsuppressed) subscribers who want the newsletter receive an issue
    (a visitor who only follows a cité gets its alerts, not the letter). A saved segment decides
    the list; one deleted since the campaign was programmed reaches nobody, never everybody."""
    queryset = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    if segment.saved_segment_id:
        saved = SavedSegment.objects.filter(pk=segment.saved_segment_id).first()
        if saved is None:
            return queryset.none()
        queryset = segment_recipients(saved)
    elif segment.webinar_announcement:
        queryset = queryset.filter(webinar_announcements=True)
    else:
        queryset = queryset.filter(newsletter=True)
    if segment.profiles:
        queryset = queryset.filter(profile__in=segment.profiles)
    if segment.commune_ids:
        ids = Subscriber.communes.through.objects.filter(commune_id__in=segment.commune_ids).values(
            "subscriber_id"
        )
        queryset = queryset.filter(pk__in=ids)
    return queryset


# --- Creating and steering campaigns ---


class CampaignError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def checked_rendering(issue: Any, *, test_send: bool = False, rendered: Any = None) -> Any:
    """The issue rendered once with the unsubscribe placeholder, checked, its images frozen: what
    a campaign and a test send both snapshot (`test_send`: draft links lead to previews;
    `rendered`: that rendering already made, e.g. by the send form, so not made again)."""
    if rendered is None:
        rendered = render_issue(
            issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER, previews=test_send
        )
    problems = check_issue(issue, rendered, test_send=test_send)
    if problems:
        raise CampaignError(problems)
    if UNSUBSCRIBE_URL_PLACEHOLDER not in rendered.html:
        raise CampaignError(["Le lien de désabonnement manque dans la version HTML."])
    return replace(rendered, html=freeze_images(rendered.html))


def frozen_campaign(issue: Any, rendered: Any, **fields: Any) -> Campaign:
    """A campaign holding `rendered` (from `checked_rendering`), its links made counted links,
    within the caller's transaction; CampaignError if the mail as sent is too large."""
    campaign = Campaign.objects.create(
        issue=issue,
        subject=rendered.subject,
        preheader=rendered.preheader,
        html=rendered.html,
        text=rendered.text,
        **fields,
    )
    track_links(campaign)  # counted clicks, same links for every recipient (links.py)
    oversize = final_size_problem(campaign)
    if oversize:
        raise CampaignError([oversize])  # rolls the campaign back
    return campaign


def create_campaign(
    issue: Any, segment: Segment, *, user: Any = None, rendered: Any = None
) -> Campaign:
    """Render the issue once (or take `rendered`, made with the unsubscribe placeholder), check
    it, freeze it and snapshot the recipient list (DRAFT)."""
    rendered = checked_rendering(issue, rendered=rendered)
    with transaction.atomic():
        campaign = frozen_campaign(
            issue,
            rendered,
            segment=segment.to_json(),
            segment_label=segment.label(),
            created_by=user if getattr(user, "pk", None) else None,
        )
        count = snapshot_recipients(campaign, recipients(segment))
        Campaign.objects.filter(pk=campaign.pk).update(recipient_count=count)
        campaign.recipient_count = count
    return campaign


def final_size_problem(campaign: Campaign) -> str:
    """The size check on the mail as it leaves: the MIME that the sender builds for the
    recipient with the longest personal addresses, its HTML part decoded — frozen images,
    counted links (as `track_links` left them on the campaign), personal unsubscribe link
    (Gmail clips a mail whose HTML passes 102 KB; the issue's own check ran before all that)."""
    unsubscribe, headers = personal_unsubscribe(10**12)  # ids will not grow past this one
    raw = build_personalised(
        campaign_skeleton(campaign),
        to="destinataire@example.org",
        value=unsubscribe,
        headers=headers,
    )
    html = message_from_bytes(raw, policy=policy.default).get_body(("html",)).get_content()
    size = len(html.replace("\r\n", "\n").encode())
    if size <= MAX_HTML_BYTES:
        return ""
    return (
        f"Telle qu'elle partira (images figées, liens et désabonnement personnels), la lettre "
        f"pèse {size / 1024:.1f} Ko de HTML : au-delà de 100 Ko, Gmail la coupe. Retirez un "
        "bloc ou raccourcissez les textes."
    )


def snapshot_recipients(campaign: Campaign, queryset: QuerySet[Subscriber]) -> int:
    """One Delivery per recipient, in a single INSERT … SELECT: the list never passes through
    Python, so time and memory stay flat per recipient (50,000 rows in well under a second)."""
    return insert_deliveries(
        campaign, queryset.order_by().annotate(recipient_id=F("pk")).values("recipient_id")
    )


def insert_deliveries(campaign: Campaign, rows: QuerySet, *, sections: bool = False) -> int:
    """One pending Delivery per row of `rows`, a `values()` query giving `recipient_id` (and
    `sections` with `sections=True`: a digest's sections, delivery/sections.py), inserted in
    its order by one INSERT … SELECT on SQLite and PostgreSQL alike. The deliveries of the
    campaign, counted."""
    select_sql, params = rows.query.sql_with_params()
    names = ["campaign", "subscriber", "status", "ses_message_id", "attempts", "error"]
    names += ["claimed_by", "sections"] if sections else ["claimed_by"]
    columns = ", ".join(connection_quote(Delivery._meta.get_field(n).column) for n in names)
    table = connection_quote(Delivery._meta.db_table)
    extra = ", recipients.sections" if sections else ""
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 (identifiers from the model, values bound)
        f"SELECT %s, recipients.recipient_id, %s, '', 0, '', ''{extra} "
        f"FROM ({select_sql}) AS recipients"
    )
    with db_connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, Delivery.Status.PENDING, *params])
    return Delivery.objects.filter(campaign=campaign).count()


def connection_quote(name: str) -> str:
    return db_connection.ops.quote_name(name)


def log_event(
    campaign: Campaign | int, kind: str, message: str, user: Any = None, *, coalesce: bool = False
) -> CampaignEvent | None:
    """Record what happened on the campaign page. `coalesce`: a fault the workers see again and
    again (SES unreachable, throttled) is written once per MAILING_EVENT_COALESCE_SECONDS."""
    campaign_id = campaign.pk if isinstance(campaign, Campaign) else campaign
    message = message[:500]
    if coalesce:
        since = timezone.now() - timedelta(seconds=settings.MAILING_EVENT_COALESCE_SECONDS)
        if CampaignEvent.objects.filter(
            campaign_id=campaign_id, kind=kind, message=message, at__gte=since
        ).exists():
            return None
    return CampaignEvent.objects.create(
        campaign_id=campaign_id,
        kind=kind,
        message=message,
        user=user if getattr(user, "pk", None) else None,
    )


def pause_campaign(
    campaign: Campaign,
    reason: str = "Mise en pause par l'équipe.",
    *,
    cause: str = Campaign.PauseCause.STAFF,
    user: Any = None,
) -> bool:
    updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
        status=Campaign.Status.PAUSED,
        pause_reason=reason[:300],
        pause_cause=cause,
        paused_at=timezone.now(),
    )
    if updated:
        campaign.status, campaign.pause_reason, campaign.pause_cause = "paused", reason, cause
        # An account-wide refusal seen again at each automatic retry is written once a while.
        coalesce = cause == Campaign.PauseCause.ACCOUNT
        log_event(campaign, CampaignEvent.Kind.PAUSE, reason, user, coalesce=coalesce)
    return bool(updated)


def temporary_failures(campaign: Campaign) -> QuerySet[Delivery]:
    """The campaign's deliveries failed by a cause that sent nothing and passes."""
    failed = campaign.deliveries.filter(status=Delivery.Status.FAILED)
    errors = set(failed.values_list("error", flat=True).distinct().order_by())
    return failed.filter(error__in=[error for error in errors if is_temporary_error(error)])


def count_temporary_failures(campaign: Campaign) -> int:
    return temporary_failures(campaign).count()


def mark_uncertain_as_sent(campaign: Campaign, delivery_ids: Iterable[int] | None = None) -> int:
    """Staff decided that these uncertain deliveries did go out (e.g. seen in SES logs)."""
    queryset = campaign.deliveries.filter(status=Delivery.Status.UNCERTAIN)
    if delivery_ids is not None:
        queryset = queryset.filter(pk__in=list(delivery_ids))
    count = queryset.update(status=Delivery.Status.SENT)
    refresh_counters(campaign)
    return count


# --- Progress ---


@dataclass
class Progress:
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    rate_per_second: float | None = None
    estimated_end: datetime | None = None
    # Sending, yet nothing sent for a while (SES unreachable, workers down): no estimate then.
    stalled_since: datetime | None = None

    def __getattr__(self, name: str) -> int:
        if name in Delivery.Status.values:
            return self.counts.get(name, 0)
        raise AttributeError(name)

    @property
    def remaining(self) -> int:
        return self.counts.get("pending", 0) + self.counts.get("sending", 0)

    @property
    def percent_done(self) -> int:
        return round(100 * (self.total - self.remaining) / self.total) if self.total else 100


def progress(campaign: Campaign) -> Progress:
    """Counts per status (one query), observed rate and estimated end. The estimate stops when
    nothing moves: no send for MAILING_ESTIMATE_STALE_SECONDS while some remain."""
    rows = campaign.deliveries.values("status").annotate(n=Count("id")).order_by()
    counts = {row["status"]: row["n"] for row in rows}
    result = Progress(counts=counts, total=sum(counts.values()))
    sent = counts.get("sent", 0) + counts.get("failed", 0)
    if campaign.started_at and campaign.status == Campaign.Status.SENDING and result.remaining:
        last = campaign.deliveries.aggregate(last=Max("sent_at"))["last"]
        last = max(filter(None, [last, campaign.started_at, campaign.health_window_from]))
        if timezone.now() - last > timedelta(seconds=settings.MAILING_ESTIMATE_STALE_SECONDS):
            result.stalled_since = last
            return result
    if campaign.started_at and sent and campaign.status == Campaign.Status.SENDING:
        elapsed = (timezone.now() - campaign.started_at).total_seconds()
        if elapsed > 0:
            result.rate_per_second = sent / elapsed
            result.estimated_end = timezone.now() + timedelta(
                seconds=result.remaining / result.rate_per_second
            )
    return result


def refresh_counters(campaign: Campaign) -> None:
    """Record the deliveries' changes of state in the campaign's counters (counters.py)."""
    count_deliveries(campaign.pk)
