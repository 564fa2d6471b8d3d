"""Campaign health: pause a campaign whose bounce or complaint rate passes SES's comfort zone.

The rate is measured over a sliding window of recent sends (the last MAILING_HEALTH_WINDOW
deliveries sent since the campaign started or was last resumed), not over the whole campaign:
a burst of bounces pauses quickly, and once staff have dealt with it and resumed, the bounces of
before the resume no longer count (with a whole-campaign rate, each resume sent a few dozen
messages and paused again). Staff see which addresses and domains bounced, and resume once those
addresses are suppressed and the remaining recipients at the domains in cause are set aside, or
with an explicit override that is recorded (who, when).

A bad domain is told from a bad list by each domain's own rate over the window: a domain is in
cause (offered, ticked, to set aside) only with enough sends there (MAILING_DOMAIN_MIN_SENT, 3),
enough bounces (MAILING_DOMAIN_MIN_BOUNCES, 2) and a rate above MAILING_DOMAIN_BOUNCE_LIMIT (10 %).
Bounces spread thinly over gmail.com, orange.fr… put no domain in cause: the list is the problem.
An override lasts for the campaign: from then on it pauses only at SES's own review levels
(MAILING_OVERRIDE_BOUNCE_LIMIT 5 %, MAILING_OVERRIDE_COMPLAINT_LIMIT 0.1 %).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from ..models import Campaign, Delivery, Subscriber
from .campaigns import CampaignEvent, log_event, pause_campaign

logger = logging.getLogger(__name__)

SUPPRESSED = [
    Subscriber.Status.BOUNCED,
    Subscriber.Status.COMPLAINED,
    Subscriber.Status.UNSUBSCRIBED,
]


def _percent(rate: float, digits: int) -> str:
    return f"{rate * 100:.{digits}f} %".replace(".", ",")  # French: "2,5 %"


def window(campaign: Campaign):
    """The recent sends the rate is measured over (a queryset of deliveries)."""
    since = campaign.health_window_from or campaign.started_at
    recent = Delivery.objects.filter(campaign=campaign, status=Delivery.Status.SENT)
    if since:
        recent = recent.filter(sent_at__gte=since)
    size = int(settings.MAILING_HEALTH_WINDOW)
    ids = recent.order_by("-sent_at").values("pk")[:size]
    return Delivery.objects.filter(pk__in=ids)


@dataclass
class Health:
    sent: int = 0
    bounced: int = 0
    complained: int = 0

    @property
    def bounce_rate(self) -> float:
        return self.bounced / self.sent if self.sent else 0.0

    @property
    def complaint_rate(self) -> float:
        return self.complained / self.sent if self.sent else 0.0


def measure(campaign: Campaign) -> Health:
    totals = window(campaign).aggregate(
        sent=Count("pk"),
        bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
        complained=Count("pk", filter=Q(complained_at__isnull=False)),
    )
    return Health(**totals)


def check_health(campaign_id: int) -> str | None:
    """Pause the campaign when the bounce or complaint rate of its recent sends passes our
    thresholds (after at least MAILING_HEALTH_MIN_SENT sends in the window)."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.status != Campaign.Status.SENDING:
        return None
    health = measure(campaign)
    if health.sent < settings.MAILING_HEALTH_MIN_SENT:
        return None
    reason = None
    bounce_limit = settings.MAILING_BOUNCE_RATE_LIMIT
    complaint_limit = settings.MAILING_COMPLAINT_RATE_LIMIT
    if campaign.health_override_at:  # staff chose to go on: only SES's own levels stop it
        bounce_limit = max(bounce_limit, settings.MAILING_OVERRIDE_BOUNCE_LIMIT)
        complaint_limit = max(complaint_limit, settings.MAILING_OVERRIDE_COMPLAINT_LIMIT)
    if health.bounce_rate > bounce_limit:
        reason = (
            f"Pause automatique : taux de rebonds de {_percent(health.bounce_rate, 1)} sur les "
            f"{health.sent} derniers envois (seuil {_percent(bounce_limit, 0)}). Écartez les "
            "adresses en cause avant de reprendre."
        )
    elif health.complaint_rate > complaint_limit:
        reason = (
            f"Pause automatique : taux de plaintes de {_percent(health.complaint_rate, 2)} sur "
            f"les {health.sent} derniers envois (seuil {_percent(complaint_limit, 2)}). "
            "Vérifiez le contenu et la liste."
        )
    if reason and pause_campaign(campaign, reason, cause=Campaign.PauseCause.HEALTH):
        logger.warning("Campaign %s paused: %s", campaign.pk, reason)
        return reason
    return None


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].lower()


@dataclass(frozen=True)
class DomainCause:
    """One domain's share of the window: sends, bounces or complaints, recipients still to send
    there, and whether its own rate puts it in cause."""

    domain: str
    bounces: int
    sent: int
    pending: int
    in_cause: bool

    @property
    def rate(self) -> str:
        return _percent(self.bounces / self.sent if self.sent else 0.0, 0)


def domain_in_cause(sent: int, bounces: int) -> bool:
    """A bad domain rather than a bad list: enough sends and bounces there, at a high rate."""
    return (
        sent >= settings.MAILING_DOMAIN_MIN_SENT
        and bounces >= settings.MAILING_DOMAIN_MIN_BOUNCES
        and bounces / sent > settings.MAILING_DOMAIN_BOUNCE_LIMIT
    )


@dataclass
class Cause:
    """What a paused campaign's page shows: the addresses that bounced or complained in the
    window, and per domain with any of them its rate and recipients still to be sent."""

    addresses: list[tuple[str, str, bool]] = field(default_factory=list)  # email, kind, suppressed
    domains: list[DomainCause] = field(default_factory=list)

    @property
    def unsuppressed(self) -> list[str]:
        return [email for email, _, suppressed in self.addresses if not suppressed]

    @property
    def in_cause(self) -> list[DomainCause]:
        return [d for d in self.domains if d.in_cause]

    @property
    def pending_at_domains(self) -> int:
        return sum(d.pending for d in self.in_cause)


def pending_at(campaign: Campaign, domains: list[str]):
    condition = Q()
    for domain in domains:
        condition |= Q(subscriber__email__iendswith="@" + domain)
    return campaign.deliveries.filter(condition, status=Delivery.Status.PENDING, claimed_by="")


def cause(campaign: Campaign, limit: int = 200) -> Cause:
    """The window's bounces and complaints, by address and by domain (with each domain's rate
    over its own sends in the window: at most MAILING_HEALTH_WINDOW rows read)."""
    rows = window(campaign).values_list(
        "subscriber__email", "subscriber__status", "bounced_at", "complained_at"
    )
    result = Cause()
    sent: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for email, status, bounced_at, complained_at in rows.order_by("subscriber__email"):
        domain = domain_of(email)
        sent[domain] += 1
        if bounced_at or complained_at:
            hit[domain] += 1
            if len(result.addresses) < limit:
                kind = "rebond" if bounced_at else "plainte"
                result.addresses.append((email, kind, status in SUPPRESSED))
    for domain, count in hit.most_common():
        in_cause = domain_in_cause(sent[domain], count)
        pending = pending_at(campaign, [domain]).count()
        result.domains.append(DomainCause(domain, count, sent[domain], pending, in_cause))
    result.domains.sort(key=lambda d: (not d.in_cause, -d.bounces, d.domain))
    return result


def resume_blockers(campaign: Campaign) -> list[str]:
    """Why « Reprendre » without override is refused after a bounce/complaint pause."""
    found = cause(campaign)
    problems = []
    if found.unsuppressed:
        problems.append(
            f"{len(found.unsuppressed)} adresse(s) en cause ne sont pas encore suspendues."
        )
    if found.pending_at_domains:
        names = ", ".join(d.domain for d in found.in_cause if d.pending)
        problems.append(
            f"{found.pending_at_domains} destinataire(s) restent à envoyer aux domaines en "
            f"cause ({names}) : écartez-les, ou reprenez en connaissance de cause."
        )
    return problems


def set_aside(campaign: Campaign, domains: list[str], user: Any = None) -> int:
    """Staff set aside the recipients still to be sent at the bouncing domains."""
    domains = [d.strip().lower() for d in domains if d.strip()]
    if not domains:
        return 0
    count = pending_at(campaign, domains).update(
        status=Delivery.Status.SKIPPED, error="Écarté : domaine en rebond."
    )
    if count:
        log_event(
            campaign,
            CampaignEvent.Kind.SKIP,
            f"{count} destinataire(s) écarté(s) aux domaines : {', '.join(domains)}.",
            user,
        )
    return count


def suppress_addresses(campaign: Campaign, user: Any = None) -> int:
    """Staff suspend the addresses in cause that SES notifications did not suppress."""
    emails = cause(campaign).unsuppressed
    count = Subscriber.objects.filter(email__in=emails, status=Subscriber.Status.CONFIRMED).update(
        status=Subscriber.Status.BOUNCED,
        suppression_reason=f"Suspendue par l'équipe (campagne {campaign.pk}), "
        f"{timezone.localdate():%d/%m/%Y}",
    )
    if count:
        log_event(campaign, CampaignEvent.Kind.SKIP, f"{count} adresse(s) suspendue(s).", user)
    return count
