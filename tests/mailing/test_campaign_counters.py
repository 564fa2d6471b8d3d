"""Issue 23 item 5: a campaign's figures are recorded on the campaign as its deliveries change
state, never recomputed from the rows a GDPR erasure deletes; a test send reads « 1 envoyé »;
a rate with nothing to measure reads « — »."""

import pytest

from mailing.counters import count_deliveries
from mailing.delivery.report import campaign_report
from mailing.delivery.test_sends import send_test
from mailing.models import Campaign, Delivery, Subscriber, TrackedLink
from tests.mailing.conftest import make_subscribers, send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_sending")]


def measures(html: str) -> str:
    return html.split('id="report-measures"')[1].split("</table>")[0]


def test_erasing_a_subscriber_leaves_the_campaign_report_as_it_was(
    issue,
    ses,
    staff,
    webhook,  # noqa: F811
):
    [subscriber, other] = make_subscribers(2)
    campaign = send(issue)
    mine = campaign.deliveries.get(subscriber=subscriber)
    webhook(mine, "Delivery")
    webhook(campaign.deliveries.get(subscriber=other), "Bounce", bounce_type="Transient")
    url = f"/admin/mailing/campagne/{campaign.pk}/rapport/"
    before = measures(staff.get(url).content.decode())
    assert '<th scope="row">Envoyés</th><td>2</td>' in before
    assert '<th scope="row">Remis</th><td>1</td><td>50,0&nbsp;%</td>' in before

    # The erase page promises the campaign totals stay; both subscribers go.
    page = staff.get(f"/admin/mailing/abonnes/{subscriber.pk}/effacer/").content.decode()
    assert "totaux" in page or "campagne" in page
    for gone in (subscriber, other):
        response = staff.post(f"/admin/mailing/abonnes/{gone.pk}/effacer/")
        assert response.status_code == 302
    assert not Delivery.objects.filter(campaign=campaign).exists()

    after = measures(staff.get(url).content.decode())
    assert after == before
    progress = staff.get(f"/admin/mailing/campagne/{campaign.pk}/").content.decode()
    assert '<td data-status="sent">2</td>' in progress
    campaign.refresh_from_db()
    result = campaign_report(campaign)
    assert (result.sent, result.delivered, result.soft_bounces) == (2, 1, 1)
    # A later recount (an SES event, staff settling an uncertain mail) changes nothing either.
    count_deliveries(campaign.pk)
    campaign.refresh_from_db()
    assert (campaign.sent_count, campaign.delivered_count) == (2, 1)


def test_a_batch_recorded_by_a_killed_worker_is_counted_once_by_the_next_count():
    subscribers = make_subscribers(3)
    campaign = Campaign.objects.create(subject="N°3", html="x", text="x", status="sending")
    rows = Delivery.objects.bulk_create(
        Delivery(campaign=campaign, subscriber=s) for s in subscribers
    )
    # The worker recorded two outcomes, then died before counting them.
    Delivery.objects.filter(pk=rows[0].pk).update(status="sent")
    Delivery.objects.filter(pk=rows[1].pk).update(status="failed")
    count_deliveries(campaign.pk)
    count_deliveries(campaign.pk)  # twice: nothing is counted twice
    campaign.refresh_from_db()
    assert (campaign.sent_count, campaign.failed_count) == (1, 1)
    # A failed mail put back in the queue, then sent: failed goes down, sent up.
    Delivery.objects.filter(pk=rows[1].pk).update(status="pending")
    count_deliveries(campaign.pk)
    Delivery.objects.filter(pk=rows[1].pk).update(status="sent")
    count_deliveries(campaign.pk)
    campaign.refresh_from_db()
    assert (campaign.sent_count, campaign.failed_count) == (2, 0)


def test_a_test_send_reads_one_sent(issue, ses, staff):
    result = send_test(issue, ["relecture@example.org"])
    assert result.campaign.sent_count == 1
    send_page = staff.get(f"/admin/mailing/envoyer/{issue.pk}/").content.decode()
    assert "(1 envoyé)" in send_page and "0 envoyé" not in send_page
    report = staff.get(f"/admin/mailing/campagne/{result.campaign.pk}/rapport/")
    assert '<th scope="row">Envoyés</th><td>1</td>' in measures(report.content.decode())
    progress = staff.get(f"/admin/mailing/campagne/{result.campaign.pk}/").content.decode()
    assert '<td data-status="sent">1</td>' in progress


def test_a_rate_with_nothing_to_measure_reads_a_dash(staff):
    campaign = Campaign.objects.create(
        subject="N°3", html='<a href="https://www.example.org/">x</a>', text="", sent_count=1
    )
    TrackedLink.objects.create(campaign=campaign, position=1, url="https://www.example.org/")
    TrackedLink.objects.filter(campaign=campaign).update(clicks=5)
    assert campaign_report(campaign).rates["clicks"] is None  # no mail said delivered
    html = measures(staff.get(f"/admin/mailing/campagne/{campaign.pk}/rapport/").content.decode())
    assert "500" not in html
    assert '<th scope="row">Clics sur les liens</th><td>5</td><td>—</td>' in html
    assert '<th scope="row">Remis</th><td>0</td><td>0,0&nbsp;%</td>' in html
    empty = Campaign.objects.create(subject="N°4", html="", text="")
    html = measures(staff.get(f"/admin/mailing/campagne/{empty.pk}/rapport/").content.decode())
    assert '<th scope="row">Remis</th><td>0</td><td>—</td>' in html


def test_the_data_migration_fills_the_counters_of_existing_campaigns():
    from datetime import timedelta
    from importlib import import_module

    from django.apps import apps
    from django.utils import timezone

    now = timezone.now()
    subscribers = make_subscribers(4)
    campaign = Campaign.objects.create(subject="N°1", html="x", text="x", status="done")
    Delivery.objects.bulk_create(
        [
            Delivery(campaign=campaign, subscriber=subscribers[0], status="sent", delivered_at=now),
            Delivery(campaign=campaign, subscriber=subscribers[1], status="sent", bounced_at=now),
            Delivery(
                campaign=campaign,
                subscriber=subscribers[2],
                status="sent",
                soft_bounced_at=now - timedelta(hours=1),
            ),
            Delivery(campaign=campaign, subscriber=subscribers[3], status="failed"),
        ]
    )
    Subscriber.objects.filter(pk=subscribers[0].pk).update(
        status="unsubscribed", unsubscribed_campaign=campaign
    )
    # A test send of before: no rows, its sent count never recorded.
    test = Campaign.objects.create(
        subject="Test", html="x", text="x", kind="test", status="done", recipient_count=2
    )
    migration = import_module("mailing.migrations.0010_fill_campaign_counters")
    migration.forwards(apps, None)
    campaign.refresh_from_db()
    figures = (
        campaign.sent_count,
        campaign.failed_count,
        campaign.delivered_count,
        campaign.bounce_count,
        campaign.soft_bounce_count,
        campaign.unsubscribe_count,
    )
    assert figures == (3, 1, 1, 1, 1, 1)
    test.refresh_from_db()
    assert test.sent_count == 2
    # Every row is counted: the next count adds nothing.
    count_deliveries(campaign.pk)
    campaign.refresh_from_db()
    assert (campaign.sent_count, campaign.failed_count) == (3, 1)
