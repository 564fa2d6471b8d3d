"""Campaign report without tracking: SES notifications stamped on deliveries, unsubscribes put
down to a campaign, the admin report, its CSV and the comparison over time (the links and their
click counting: test_report_links.py)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mailing.delivery.links import link_token, track_links
from mailing.delivery.report import campaign_report, recent_campaigns, reports
from mailing.models import Campaign, Delivery, Subscriber, TrackedLink
from tests.mailing.conftest import handmade_campaign, make_subscribers, send

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_report_numbers_from_ses_notifications_and_unsubscribes(issue, ses, fast_sending, webhook):
    make_subscribers(6)
    older = send(issue)
    campaign = send(issue)
    deliveries = list(
        campaign.deliveries.select_related("subscriber").order_by("subscriber__email")
    )
    assert all(d.status == "sent" and d.ses_message_id for d in deliveries)

    for delivery in deliveries[:4]:
        webhook(delivery, "Delivery")
    webhook(deliveries[0], "Delivery")  # SNS may repeat itself: counted once
    webhook(deliveries[3], "Complaint")
    webhook(deliveries[4], "Bounce", bounce_type="Permanent")
    webhook(deliveries[5], "Bounce", bounce_type="Transient")
    webhook(deliveries[5], "Bounce", bounce_type="Undetermined")  # still one soft bounce

    # Two readers unsubscribe from this campaign's mail: the one-click POST, then the page.
    by_address = {m["To"]: m for m in ses.messages()}
    one_click = by_address[deliveries[1].subscriber.email]["List-Unsubscribe"]
    Client().post(path_of(one_click.split(",")[0].strip(" <>")), {"List-Unsubscribe": "One-Click"})
    page = by_address[deliveries[2].subscriber.email]["List-Unsubscribe"].split(",")[0].strip(" <>")
    Client().post(path_of(page))
    never_mailed = Subscriber.objects.create(email="nouveau@example.org", status="confirmed")
    from mailing.audience.subscriptions import unsubscribe

    unsubscribe(never_mailed)

    assert dict(
        Subscriber.objects.filter(status="unsubscribed").values_list(
            "email", "unsubscribed_campaign"
        )
    ) == {
        deliveries[1].subscriber.email: campaign.pk,
        deliveries[2].subscriber.email: campaign.pk,
        "nouveau@example.org": None,
    }
    assert Subscriber.objects.get(email=deliveries[4].subscriber.email).status == "bounced"
    assert Subscriber.objects.get(email=deliveries[5].subscriber.email).status == "confirmed"

    Client().get(f"/lettre/l/{link_token(campaign.pk, 2)}/")
    campaign.refresh_from_db()  # its counters moved with each event
    result = campaign_report(campaign)
    assert (
        result.sent,
        result.delivered,
        result.hard_bounces,
        result.soft_bounces,
        result.complaints,
        result.unsubscribes,
        result.clicks,
    ) == (6, 4, 1, 1, 1, 2, 1)
    assert result.rates["delivered"] == pytest.approx(400 / 6)
    assert result.rates["clicks"] == 25.0  # clicks per 100 delivered
    assert [link.clicks for link in result.links] == [0, 1, 0, 0, 0]
    before = campaign_report(older)
    assert (before.sent, before.delivered, before.unsubscribes, before.clicks) == (6, 0, 0, 0)


# --- Admin: report, CSV, comparison ---


def sent_campaign(n: int, subscribers, *, subject: str = "N°{n}") -> Campaign:
    now = timezone.now()
    campaign = Campaign.objects.create(
        subject=subject.format(n=n),
        html=f'<a href="https://www.example.org/{n}">Lien {n}</a>',
        text="",
        status=Campaign.Status.DONE,
        started_at=now - timedelta(days=100 - n),
    )
    track_links(campaign)
    Delivery.objects.bulk_create(
        Delivery(
            campaign=campaign,
            subscriber=s,
            status="sent",
            sent_at=now,
            delivered_at=now if i else None,
            bounced_at=None if i else now,
        )
        for i, s in enumerate(subscribers)
    )
    TrackedLink.objects.filter(campaign=campaign).update(clicks=n)
    # The figures SES and the sender recorded on the campaign (mailing/counters.py).
    Campaign.objects.filter(pk=campaign.pk).update(
        sent_count=len(subscribers), delivered_count=len(subscribers) - 1, bounce_count=1
    )
    campaign.refresh_from_db()
    return campaign


def test_the_report_page_shows_an_accessible_chart_and_the_links(staff):
    subscribers = make_subscribers(4)
    campaign = sent_campaign(3, subscribers)
    response = staff.get(f"/admin/mailing/campagne/{campaign.pk}/rapport/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 2 and "<title id=" in html and "<desc id=" in html
    assert "<script" not in html.split('id="chart-outcomes-title"')[1].split("</svg>")[0]
    assert 'id="report-measures"' in html and 'id="report-links"' in html
    assert '<th scope="row">Rebonds définitifs</th><td>1</td><td>25,0&nbsp;%</td>' in html
    assert '<td class="clicks">3</td>' in html and "Lien 3" in html
    progress = staff.get(f"/admin/mailing/campagne/{campaign.pk}/").content.decode()
    assert f"/admin/mailing/campagne/{campaign.pk}/rapport/" in progress
    listing = staff.get("/admin/mailing/campaign/").content.decode()
    assert f"/admin/mailing/campagne/{campaign.pk}/rapport/" in listing


def test_report_pages_need_the_campaign_permission(client, django_user_model):
    from django.contrib.auth.models import Group, Permission

    campaign = sent_campaign(1, make_subscribers(1))
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("redac", "redac@example.org", "pw")
    user.groups.add(group)
    client.force_login(user)
    for url in (
        f"/admin/mailing/campagne/{campaign.pk}/rapport/",
        f"/admin/mailing/campagne/{campaign.pk}/rapport.csv",
        "/admin/mailing/campagnes/comparer/",
        "/admin/mailing/campagnes/comparer.csv",
    ):
        assert client.get(url).status_code in (302, 403), url


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_csv_export_of_one_campaign_escapes_formulas(staff, settings):
    campaign = handmade_campaign(settings)
    campaign.subject = "=1+1 (objet)"
    campaign.save()
    track_links(campaign)
    TrackedLink.objects.filter(campaign=campaign, position=4).update(clicks=7)
    response = staff.get(f"/admin/mailing/campagne/{campaign.pk}/rapport.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="rapport-campagne-{campaign.pk}.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["campagne", "'=1+1 (objet)"]
    assert ["Envoyés", "0"] in rows and ["Remis (% des envoyés)", ""] in rows  # nothing sent
    header = rows.index(["rang", "texte du lien", "adresse", "clics"])
    assert rows[header + 1] == [
        "1",
        "La carte des cités",
        "https://www.example.org/cites?a=1&b=2",
        "0",
    ]
    assert rows[header + 4] == [
        "4",
        '\'=HYPERLINK("http://x.example")',
        "https://www.example.org/formule",
        "7",
    ]


def test_comparison_costs_the_same_queries_for_3_or_30_campaigns(staff, django_assert_num_queries):
    subscribers = make_subscribers(4)
    for n in range(1, 4):
        sent_campaign(n, subscribers)
    Campaign.objects.create(subject="Brouillon", html="", text="")  # never sent: left out
    alert = sent_campaign(99, subscribers, subject="Alerte {n}")  # compared apart
    Campaign.objects.filter(pk=alert.pk).update(kind=Campaign.Kind.CITE_ALERT)

    def measure(n: int):
        with CaptureQueriesContext(connection) as queries:
            response = staff.get(f"/admin/mailing/campagnes/comparer/?n={n}")
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    measure(60)  # the admin's first page fills caches (menus, site settings): not measured
    html, small = measure(60)
    assert html.count('role="img"') == 2
    assert re.findall(r">(N°\d+)</a></th>", html) == ["N°1", "N°2", "N°3"]
    assert "Brouillon" not in html and "Alerte 99" not in html
    alerts = staff.get("/admin/mailing/campagnes/comparer/?type=cite_alert").content.decode()
    assert re.findall(r">(Alerte \d+)</a></th>", alerts) == ["Alerte 99"]
    assert "Comparer les campagnes" in staff.get("/admin/").content.decode()  # in the menu
    for n in range(4, 31):
        sent_campaign(n, subscribers)
    html, large = measure(60)
    assert large == small, (small, large)
    assert re.findall(r">(N°\d+)</a></th>", html)[-1] == "N°30"
    assert len(re.findall(r">(N°\d+)</a></th>", measure(12)[0])) == 12

    with django_assert_num_queries(2):  # campaigns (their counters), links
        results = reports(recent_campaigns(30))
    assert [r.campaign.subject for r in results][:2] == ["N°1", "N°2"]
    assert (results[0].sent, results[0].delivered, results[0].hard_bounces) == (4, 3, 1)

    rows = read_csv(staff.get("/admin/mailing/campagnes/comparer.csv?n=30"))
    assert rows[0][:4] == ["date", "campagne", "Envoyés", "Remis"]
    assert rows[1][1:4] == ["N°1", "4", "3"]
    assert rows[1][rows[0].index("Rebonds définitifs (%)")] == "25,0"
    assert rows[30][rows[0].index("Clics sur les liens")] == "30"
    assert len(rows) == 31
