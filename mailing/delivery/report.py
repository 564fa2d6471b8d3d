"""Campaign reports without tracking: per campaign, what SES said about each mail (sent,
delivered, hard and soft bounces, complaints), the unsubscribes put down to it and the clicks per
link counted by the redirect (links.py): aggregate numbers only, nothing about who clicked.

Read from the campaign's own counters (counters.py), recorded as its deliveries changed state:
a GDPR erasure, which deletes the subscriber's delivery rows, leaves a past campaign's figures
as they were. Any number of campaigns is reported in two queries (campaigns, links).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from ..models import Campaign, TrackedLink

COMPARE_DEFAULT = 12
COMPARE_MAX = 60


@dataclass
class CampaignReport:
    campaign: Campaign
    sent: int = 0
    delivered: int = 0
    hard_bounces: int = 0
    soft_bounces: int = 0
    complaints: int = 0
    unsubscribes: int = 0
    links: list[TrackedLink] = field(default_factory=list)

    @property
    def clicks(self) -> int:
        return sum(link.clicks for link in self.links)

    def rate(self, count: int, basis: int | None = None) -> float | None:
        """Percentage of the sent mails (or of `basis`); None when nothing was sent."""
        basis = self.sent if basis is None else basis
        return 100 * count / basis if basis else None

    @property
    def rates(self) -> dict[str, float | None]:
        return {
            "delivered": self.rate(self.delivered),
            "hard_bounces": self.rate(self.hard_bounces),
            "soft_bounces": self.rate(self.soft_bounces),
            "complaints": self.rate(self.complaints),
            "unsubscribes": self.rate(self.unsubscribes),
            # Clicks, not people: the same reader may click twice. Per 100 mails delivered;
            # nothing to measure until SES has said some were (never per 100 sent: 5 clicks
            # on 1 sent mail read « 500 % »).
            "clicks": self.rate(self.clicks, self.delivered),
        }


# What the report shows, in order: (attribute, label, rate label).
MEASURES = [
    ("sent", "Envoyés", None),
    ("delivered", "Remis", "Remis (% des envoyés)"),
    ("hard_bounces", "Rebonds définitifs", "Rebonds définitifs (%)"),
    ("soft_bounces", "Rebonds temporaires", "Rebonds temporaires (%)"),
    ("complaints", "Plaintes pour spam", "Plaintes (%)"),
    ("unsubscribes", "Désabonnements", "Désabonnements (%)"),
    ("clicks", "Clics sur les liens", "Clics pour 100 courriels remis"),
]


def reports(campaigns: Iterable[Campaign]) -> list[CampaignReport]:
    """The reports of these campaigns, in their order: one query for the links."""
    by_id = {
        campaign.pk: CampaignReport(
            campaign,
            sent=campaign.sent_count,
            delivered=campaign.delivered_count,
            hard_bounces=campaign.bounce_count,
            soft_bounces=campaign.soft_bounce_count,
            complaints=campaign.complaint_count,
            unsubscribes=campaign.unsubscribe_count,
        )
        for campaign in campaigns
    }
    if not by_id:
        return []
    for link in TrackedLink.objects.filter(campaign_id__in=list(by_id)).order_by(
        "campaign", "position"
    ):
        by_id[link.campaign_id].links.append(link)
    return list(by_id.values())


def campaign_report(campaign: Campaign) -> CampaignReport:
    return reports([campaign])[0]


def recent_campaigns(
    count: int = COMPARE_DEFAULT, kind: str = Campaign.Kind.NEWSLETTER
) -> list[Campaign]:
    """The last `count` campaigns of a kind that went out, oldest first (a chart reads left to
    right). Letters and cité alerts are compared apart: daily alerts would hide the letters."""
    count = max(1, min(count, COMPARE_MAX))
    sent = Campaign.objects.filter(kind=kind).exclude(status=Campaign.Status.DRAFT)
    sent = sent.exclude(started_at=None)
    return list(reversed(sent.order_by("-started_at", "-pk")[:count]))


# --- CSV ---


def percent(value: float | None) -> str:
    """French notation, one decimal: "12,5" (empty when there is nothing to measure)."""
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def _day(campaign: Campaign) -> str:
    moment = campaign.started_at or campaign.created_at
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def report_rows(report: CampaignReport) -> Iterator[list]:
    """One campaign: its figures, then one row per link (place, visible text, address, clicks)."""
    yield ["campagne", report.campaign.subject]
    yield ["envoi", _day(report.campaign)]
    rates = report.rates
    for name, label, rate_label in MEASURES:
        yield [label, getattr(report, name)]
        if rate_label:
            yield [rate_label, percent(rates[name])]
    yield []
    yield ["rang", "texte du lien", "adresse", "clics"]
    for link in report.links:
        yield [link.position, link.label, link.url, link.clicks]


def comparison_rows(campaign_reports: Iterable[CampaignReport]) -> Iterator[list]:
    """Several campaigns, one row each: counts then rates."""
    yield [
        "date",
        "campagne",
        *(label for _, label, _ in MEASURES),
        *(rate_label for _, _, rate_label in MEASURES if rate_label),
    ]
    for report in campaign_reports:
        rates = report.rates
        yield [
            _day(report.campaign),
            report.campaign.subject,
            *(getattr(report, name) for name, _, _ in MEASURES),
            *(percent(rates[name]) for name, _, rate_label in MEASURES if rate_label),
        ]
