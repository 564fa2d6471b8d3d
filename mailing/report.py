"""Campaign reports without tracking: per campaign, what SES said about each mail (sent,
delivered, hard and soft bounces, complaints), the unsubscribes put down to it and the clicks per
link counted by the redirect (links.py): aggregate numbers only, nothing about who clicked.

Counted from the deliveries (not the campaign's counters), so every rate has the same basis;
an erased subscriber (GDPR) takes their delivery rows, hence their share of the counts, along.
Any number of campaigns is reported in four queries (campaigns, deliveries, unsubscribes,
links), whatever their number.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from .models import Campaign, Delivery, Subscriber, TrackedLink

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
            # Clicks, not people: the same reader may click twice.
            "clicks": self.rate(self.clicks, self.delivered or self.sent),
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
    """The reports of these campaigns, in their order: three queries, whatever their number."""
    by_id = {campaign.pk: CampaignReport(campaign) for campaign in campaigns}
    ids = list(by_id)
    if not ids:
        return []
    delivery_counts = (
        Delivery.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(
            sent=Count("id", filter=Q(status=Delivery.Status.SENT)),
            delivered=Count("id", filter=Q(delivered_at__isnull=False)),
            hard_bounces=Count("id", filter=Q(bounced_at__isnull=False)),
            # A mail that bounced for good after a temporary failure counts once, as hard.
            soft_bounces=Count(
                "id", filter=Q(soft_bounced_at__isnull=False, bounced_at__isnull=True)
            ),
            complaints=Count("id", filter=Q(complained_at__isnull=False)),
        )
        .order_by()
    )
    for row in delivery_counts:
        report = by_id[row.pop("campaign_id")]
        for name, value in row.items():
            setattr(report, name, value)
    unsubscribes = (
        Subscriber.objects.filter(unsubscribed_campaign_id__in=ids)
        .values_list("unsubscribed_campaign_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for campaign_id, count in unsubscribes:
        by_id[campaign_id].unsubscribes = count
    for link in TrackedLink.objects.filter(campaign_id__in=ids).order_by("campaign", "position"):
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
