"""Campaign report without tracking: links rewritten once at creation to a signed redirect that
counts clicks per link (no subscriber identifier), SES notifications stamped on deliveries,
unsubscribes put down to a campaign, the admin report, its CSV and the comparison over time."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from mailing.delivery import Segment, create_campaign, run_batch, start_campaign
from mailing.delivery.links import link_token, track_links
from mailing.delivery.report import campaign_report, recent_campaigns, reports
from mailing.models import Campaign, Delivery, Subscriber, TrackedLink
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER
from tests.mailing.conftest import make_subscribers
from tests.typography import as_typed

pytestmark = pytest.mark.django_db

TRACKED = re.compile(r"https?://[^\s\"'<>]+/lettre/l/(\d+)\.(\d+):[\w-]+/")


@pytest.fixture
def fast_sending(settings):
    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_RETRY_BASE_DELAY = 0.01
    settings.MAILING_BATCH_SIZE = 10


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "pw")
    client.force_login(user)
    return client


def send(issue) -> Campaign:
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)
    while run_batch(campaign.pk, enqueue_next=False).claimed:
        pass
    campaign.refresh_from_db()
    return campaign


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# --- Rewriting ---


def handmade_campaign(settings) -> Campaign:
    site = settings.SITE_URL
    html = (
        '<a href="https://www.example.org/cites?a=1&amp;b=2" style="x">La <b>carte</b> '
        "des cités</a>"
        f'<a href="{site}/actualites/" ><img src="{site}/media/i.jpg" alt="Photo du chantier"></a>'
        "<a href='https://www.example.org/cites?a=1&amp;b=2'>Encore la carte</a>"
        '<a href="=HYPERLINK(1)">pas un lien web</a>'
        '<a href="https://www.example.org/formule">=HYPERLINK("http://x.example")</a>'
        '<a href="mailto:contact@example.org">Écrire</a><a href="#haut">Haut</a>'
        f'<a href="{site}/lettre/preferences/abc/">Mes préférences</a>'
        f'<a href="{UNSUBSCRIBE_URL_PLACEHOLDER}">Se désabonner</a>'
        '<a href="https://preferences.invalid/__TOKEN__">Un autre espace réservé</a>'
        '<a href="http://[::1">Adresse cassée</a>'
    )
    text = (
        "La carte des cités : https://www.example.org/cites?a=1&b=2\n"
        "Seulement dans le texte : https://www.example.org/texte.\n"
        f"Se désabonner : {UNSUBSCRIBE_URL_PLACEHOLDER}\n"
    )
    return Campaign.objects.create(subject="Essai", html=html, text=text)


def test_every_content_link_is_rewritten_once_and_subscription_links_are_left(settings):
    campaign = handmade_campaign(settings)
    track_links(campaign)

    links = list(
        TrackedLink.objects.filter(campaign=campaign).values_list("position", "url", "label")
    )
    assert links == [
        (1, "https://www.example.org/cites?a=1&b=2", "La carte des cités"),
        (2, f"{settings.SITE_URL}/actualites/", "Photo du chantier"),  # an image's alt text
        (3, "https://www.example.org/cites?a=1&b=2", "Encore la carte"),  # same URL, own place
        (4, "https://www.example.org/formule", '=HYPERLINK("http://x.example")'),
        (5, "https://www.example.org/texte", "Seulement dans le texte"),  # text part only
    ]
    campaign.refresh_from_db()
    hrefs = re.findall(r"""href=["']([^"']*)""", campaign.html)
    assert [TRACKED.fullmatch(h).groups() for h in hrefs[:3]] == [
        (str(campaign.pk), "1"),
        (str(campaign.pk), "2"),
        (str(campaign.pk), "3"),
    ]
    assert TRACKED.fullmatch(hrefs[4]).groups() == (str(campaign.pk), "4")
    assert [hrefs[3], *hrefs[5:]] == [
        "=HYPERLINK(1)",
        "mailto:contact@example.org",
        "#haut",
        f"{settings.SITE_URL}/lettre/preferences/abc/",
        UNSUBSCRIBE_URL_PLACEHOLDER,
        "https://preferences.invalid/__TOKEN__",
        "http://[::1",
    ]
    assert "example.org/cites" not in campaign.html
    assert 'style="x">La <b>carte</b> des cités</a>' in campaign.html  # the rest is kept
    # The text part: the same address counts for its first place in the HTML.
    lines = campaign.text.splitlines()
    assert TRACKED.search(lines[0]).groups() == (str(campaign.pk), "1")
    assert TRACKED.search(lines[1]).groups() == (str(campaign.pk), "5")
    assert lines[1].endswith("/.")  # the sentence's full stop stays out of the address
    assert lines[2] == f"Se désabonner : {UNSUBSCRIBE_URL_PLACEHOLDER}"


def test_the_sent_mails_carry_the_same_links_for_every_recipient(issue, ses, fast_sending):
    first, second = make_subscribers(2)
    campaign = send(issue)
    archive = issue.get_full_url()
    featured = Page.objects.get(slug="page-mise-en-avant").get_full_url()  # tests/pages.py
    assert list(campaign.links.values_list("position", "url", "label")) == [
        (1, archive, "Lire cette lettre dans votre navigateur"),
        (2, featured, "Lire"),  # the call to action
        (3, featured, "Lire la suite →"),  # the teaser of the same page: a place of its own
        (4, "https://example.org/inscription", "S’inscrire"),  # the webinar's registration
        (5, archive, "Lire en ligne"),
    ]
    found = {}
    for message in ses.messages():
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        assert archive not in html + text and featured not in html + text
        found[message["To"]] = (TRACKED.findall(html), TRACKED.findall(text))
        # The headers and the unsubscribe link stay personal, and untouched.
        unsubscribe = message["List-Unsubscribe"].split(",")[0].strip(" <>")
        assert "/lettre/desabonnement/" in unsubscribe and unsubscribe in html
        assert "/lettre/l/" not in message["List-Unsubscribe"]
    pk = str(campaign.pk)
    assert found[first.email] == found[second.email]
    # In the text part an address counts for its first place in the HTML.
    html_places = [(pk, str(n)) for n in range(1, 6)]
    assert found[first.email] == (html_places, [(pk, n) for n in ("1", "2", "2", "4", "1")])


# --- Redirect ---


def test_the_redirect_counts_the_click_and_goes_to_the_stored_address_only(settings):
    campaign = handmade_campaign(settings)
    track_links(campaign)
    url = f"/lettre/l/{link_token(campaign.pk, 1)}/"
    client = Client()

    for expected in (1, 2):  # two readers (one click per client and hour counts)
        response = client.get(url, REMOTE_ADDR=f"198.51.100.{expected}")
        assert response.status_code == 302
        assert response["Location"] == "https://www.example.org/cites?a=1&b=2"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies and "Set-Cookie" not in response
        assert TrackedLink.objects.get(campaign=campaign, position=1).clicks == expected
    assert client.head(url).status_code == 302  # link checkers: not a click
    assert TrackedLink.objects.get(campaign=campaign, position=1).clicks == 2
    assert client.post(url).status_code == 405
    assert not client.cookies

    token = link_token(campaign.pk, 1)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # bad signature
        token.replace(f"{campaign.pk}.1:", f"{campaign.pk}.2:"),  # another link, same signature
        link_token(campaign.pk, 99),  # signed, but no such link
        "evil.example",
    ]
    for bad in forged:
        response = client.get(f"/lettre/l/{bad}/")
        assert response.status_code == 404, bad
        assert "Lien non valable" in response.content.decode()
    assert list(TrackedLink.objects.order_by("position").values_list("clicks", flat=True)) == [
        2,
        0,
        0,
        0,
        0,
    ]


# --- SES notifications, unsubscribes, report ---


@pytest.fixture
def webhook(sns, settings, client):
    settings.MAILING_SNS_TOPIC_ARNS = [sns.topic_arn]

    def post(delivery: Delivery, kind: str, bounce_type: str = ""):
        """An event as SES publishes it (configuration set), tagged with our delivery."""
        email = delivery.subscriber.email
        payload = {
            "eventType": kind,
            "mail": {
                "messageId": delivery.ses_message_id,
                "destination": [email],
                "tags": {"delivery": [str(delivery.pk)], "campaign": [str(delivery.campaign_id)]},
            },
        }
        if kind == "Bounce":
            payload["bounce"] = {
                "bounceType": bounce_type,
                "bounceSubType": "General",
                "bouncedRecipients": [{"emailAddress": email}],
            }
        elif kind == "Complaint":
            payload["complaint"] = {"complainedRecipients": [{"emailAddress": email}]}
        elif kind == "Delivery":
            payload["delivery"] = {"recipients": [email], "smtpResponse": "250 2.0.0 OK"}
        message = sns.notification(payload, version=2)
        response = client.post(
            "/lettre/ses-notifications/", data=json.dumps(message), content_type="text/plain"
        )
        assert response.status_code == 200

    return post


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


def test_the_privacy_and_cookies_pages_say_how_clicks_are_counted(home_page, client):

    from renouveau.demo_legal import load

    load(home_page)
    for path in ("/donnees-personnelles/", "/cookies/"):
        html = " ".join(as_typed(client.get(path).content.decode()).split())
        assert "La lettre ne contient aucun pixel de suivi" in html, path
        assert "redirection par notre site dont l'adresse ne contient aucun identifiant" in html
        assert "aucune donnée personnelle n'est conservée sur les clics" in html


def test_a_link_that_shows_its_address_keeps_it(settings):
    campaign = Campaign.objects.create(
        subject="Adresses visibles",
        html='<p><a href="https://www.example.org/rapport">www.example.org/rapport</a> et '
        '<a href="https://www.example.org/carte">la carte</a></p>',
        text="",
    )
    track_links(campaign)
    campaign.refresh_from_db()
    # Rewritten, its text would show one site and its target another: what phishing looks like.
    assert '<a href="https://www.example.org/rapport">www.example.org/rapport</a>' in campaign.html
    assert list(TrackedLink.objects.values_list("url", flat=True)) == [
        "https://www.example.org/carte"
    ]
