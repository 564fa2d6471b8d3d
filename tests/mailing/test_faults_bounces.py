"""The bounce pause tells a bad domain from a bad list (issue 25 item 4): per-domain rates over
the window with a minimum volume, nothing ticked below the threshold, and an override that lasts
for the campaign. Bounces arrive as SES notifications over SNS, to the real endpoint."""

import re

import pytest

from mailing.delivery import Segment, create_campaign, resume_campaign, run_batch, start_campaign
from mailing.models import Campaign, Delivery
from tests.mailing.conftest import make_subscribers
from tests.mailing.test_health import bounce_back

pytestmark = pytest.mark.django_db

COMMON = ["gmail.com", "orange.fr", "free.fr", "laposte.net", "sfr.fr"]


@pytest.fixture
def health_settings(settings, sns):
    settings.MAILING_SNS_TOPIC_ARNS = [sns.topic_arn]
    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_BATCH_SIZE = 20
    settings.MAILING_HEALTH_MIN_SENT = 10
    settings.MAILING_HEALTH_WINDOW = 40
    return settings


def interleaved(per_domain: int, domains: list[str]) -> None:
    """Subscribers created domain after domain in turn, so that each batch reaches them all."""
    for i in range(per_domain):
        for domain in domains:
            make_subscribers(1, prefix=f"{domain.split('.')[0]}{i}-", domain=domain)


def started(issue) -> Campaign:
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)
    return campaign


def sent_at(domain: str) -> list[Delivery]:
    return list(
        Delivery.objects.filter(status="sent", subscriber__email__endswith="@" + domain)
        .select_related("subscriber")
        .order_by("pk")
    )


def ticked(page: str) -> list[str]:
    return re.findall(r'name="domains" value="([^"]+)" checked', page)


def offered(page: str) -> list[str]:
    return re.findall(r'name="domains" value="([^"]+)"', page)


def test_bounces_spread_over_big_domains_tick_nothing(
    issue, ses, health_settings, client, sns, staff
):
    interleaved(12, COMMON)
    campaign = started(issue)
    run_batch(campaign.pk, enqueue_next=False)  # 20 sends, 4 per domain
    for domain in COMMON[:3]:  # one bounce at each of three big domains: 3 of 20, 15 %
        bounce_back(client, sns, sent_at(domain)[0])
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED

    page = staff.get(f"/admin/mailing/campagne/{campaign.pk}/").content.decode()
    assert sorted(offered(page)) == sorted(COMMON[:3])  # still recipients to send there
    assert ticked(page) == []  # one bounce in four sends: not a dead domain
    assert "c'est la liste qu'il faut vérifier" in page
    assert "restent à envoyer aux domaines en cause" not in page


def test_a_dead_domain_among_big_ones_is_the_only_one_ticked(
    issue, ses, health_settings, client, sns, staff
):
    interleaved(8, [*COMMON, "ancienne-mairie.example"])
    campaign = started(issue)
    run_batch(campaign.pk, enqueue_next=False)
    dead = sent_at("ancienne-mairie.example")
    assert len(dead) >= 3
    for delivery in dead:
        bounce_back(client, sns, delivery)
    bounce_back(client, sns, sent_at("gmail.com")[0])
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED

    page = staff.get(f"/admin/mailing/campagne/{campaign.pk}/").content.decode()
    assert ticked(page) == ["ancienne-mairie.example"]
    assert "gmail.com" in offered(page)
    assert "c'est la liste qu'il faut vérifier" not in page


def test_an_override_lasts_for_the_campaign(
    issue, ses, health_settings, client, sns, staff, django_user_model
):
    make_subscribers(100)
    campaign = started(issue)
    run_batch(campaign.pk, enqueue_next=False)
    bounce_back(client, sns, Delivery.objects.filter(status="sent").first())  # 1 of 20
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    resume_campaign(campaign, user=django_user_model.objects.get(), override=True)

    # After the override, 3 % of bounces (over the campaign's 2 %) no longer pause it…
    run_batch(campaign.pk, enqueue_next=False)
    run_batch(campaign.pk, enqueue_next=False)
    campaign.refresh_from_db()
    after = Delivery.objects.filter(
        status="sent", sent_at__gte=campaign.health_override_at, bounced_at__isnull=True
    ).select_related("subscriber")
    bounce_back(client, sns, after.order_by("pk")[0])  # 1 of 40 recent sends: 2,5 %
    run_batch(campaign.pk, enqueue_next=False)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING

    # … but SES's own level (5 %) still does.
    for delivery in after.order_by("-pk")[:3]:
        bounce_back(client, sns, delivery)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    assert "seuil 5 %" in campaign.pause_reason
