"""Evening alerts and weekly digests of followed cités (issue 31 item 6), with the clock moved
(freezegun) through a week, the scheduler's own jobs, real SES (moto) and the real sending path.
One alert campaign per run, its body rendered once and spliced per follower."""

import re
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from mailing.delivery import run_batch
from mailing.delivery.cite_alerts import send_cite_alerts
from mailing.models import Campaign, Delivery
from mailing.schedule import cite_alerts, weekly_cite_digests
from tests.factories import NewsPageFactory

from .conftest import make_subscribers

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def sending(settings, ses):
    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_CITE_DIGEST_WEEKDAY = 5  # Friday
    return ses


def at(day: int, hour: int) -> datetime:
    """A moment of the week of Monday 7 December 2026, Paris time."""
    return datetime(2026, 12, day, hour, 0, tzinfo=PARIS)


def send_queued() -> None:
    for campaign in Campaign.objects.filter(kind=Campaign.Kind.CITE_ALERT):
        while run_batch(campaign.pk, enqueue_next=False).claimed:
            pass


def received(ses) -> dict[str, list]:
    by_recipient = defaultdict(list)
    for mail in ses.messages():
        by_recipient[mail["To"]].append(mail)
    return by_recipient


def text_of(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def test_a_weekly_follower_gets_one_mail_a_week_a_daily_one_each_evening(
    cites, news_index, sending
):
    lemay, _ = cites
    [daily] = make_subscribers(1, prefix="soir")
    [weekly] = make_subscribers(1, prefix="semaine", alert_frequency="weekly")
    daily.cites.add(lemay)
    weekly.cites.add(lemay)
    news_index.get_full_url()  # imports what URLs need (pydantic) before the clock is frozen
    titles = ["Réunion publique", "Chantier commencé", "Visite de chantier"]
    days = [7, 8, 10]  # Monday, Tuesday, Thursday
    for day in range(7, 15):  # Monday 7 to Monday 14, Friday 11 the digest's day
        with freeze_time(at(day, 10)):
            if day in days:
                NewsPageFactory(
                    parent=news_index, title=titles[days.index(day)], related_cities=[lemay]
                )
        with freeze_time(at(day, 17)):  # the evening jobs, as the scheduler runs them
            cite_alerts()
            weekly_cite_digests()
        send_queued()
        mails = received(sending)
        # Each evening with news, the daily follower got exactly the day's.
        assert len(mails[daily.email]) == sum(d <= day for d in days)
        # The weekly follower: nothing before Friday, one mail from Friday on.
        assert len(mails[weekly.email]) == (1 if day >= 11 else 0)

    daily_texts = [text_of(m) for m in mails[daily.email]]
    for title, text in zip(titles, daily_texts, strict=True):
        assert title in text
        assert all(other not in text for other in titles if other != title)
    [digest] = mails[weekly.email]
    assert all(title in text_of(digest) for title in titles)  # the week's updates, once
    assert all(text_of(digest).count(title) == 1 for title in titles)
    assert digest["Subject"] == "La semaine de Cité Lemay (3 publications)"
    assert "la semaine des cités que vous suivez" in text_of(digest)
    # One campaign per run: three evenings, one Friday digest.
    assert Campaign.objects.filter(kind=Campaign.Kind.CITE_ALERT).count() == 4

    # The next Friday: nothing new, nothing sent.
    with freeze_time(at(18, 17)):
        assert weekly_cite_digests()["updates"] == 0
    assert len(received(sending)[weekly.email]) == 1


def test_one_rendering_spliced_per_follower(cites, news_index, sending):
    lemay, pinson = cites
    [both] = make_subscribers(1, prefix="deux")
    both.cites.add(lemay, pinson)
    [pinson_only] = make_subscribers(1, prefix="pinson")
    pinson_only.cites.add(pinson)
    [lemay_only] = make_subscribers(1, prefix="lemay")
    lemay_only.cites.add(lemay)
    NewsPageFactory(parent=news_index, title="Fête des deux cités", related_cities=[lemay, pinson])
    NewsPageFactory(parent=news_index, title="Jardins partagés", related_cities=[pinson])

    assert send_cite_alerts() == {"updates": 3, "campaigns": 1, "recipients": 3}
    [campaign] = Campaign.objects.filter(kind=Campaign.Kind.CITE_ALERT)
    assert sorted(Delivery.objects.values_list("sections", flat=True)) == sorted(
        [f"{lemay.pk}", f"{pinson.pk}", ",".join(str(pk) for pk in sorted([lemay.pk, pinson.pk]))]
    )
    send_queued()
    mails = {to: mail for to, [mail] in received(sending).items()}

    text = text_of(mails[both.email])
    # The item naming both cités once, under the first (alphabetical) with « concerne aussi ».
    assert text.count("Fête des deux cités") == 1
    assert (
        text.index("CITÉ DU PINSON") < text.index("Fête des deux cités") < text.index("CITÉ LEMAY")
    )
    assert "concerne aussi Cité Lemay" in text
    assert "Ne plus suivre Cité Lemay" in text and "Ne plus suivre Cité du Pinson" in text
    assert mails[both.email]["Subject"] == (
        "Nouveautés de Cité du Pinson et Cité Lemay (2 publications)"
    )

    lemay_text = text_of(mails[lemay_only.email])
    assert "Fête des deux cités" in lemay_text
    assert "Jardins partagés" not in lemay_text and "CITÉ DU PINSON" not in lemay_text
    assert "Ne plus suivre Cité du Pinson" not in lemay_text
    assert mails[lemay_only.email]["Subject"] == "Cité Lemay : Fête des deux cités"

    pinson_html = mails[pinson_only.email].get_body(("html",)).get_content()
    assert "Jardins partagés" in pinson_html and "Fête des deux cités" in pinson_html
    assert "Cité Lemay</h2>" not in pinson_html
    assert "<!--part:" not in pinson_html and "@@part" not in text_of(mails[pinson_only.email])


def preferences_path(subscriber) -> str:
    from mailing.audience.tokens import unsubscribe_url

    return "/" + unsubscribe_url(subscriber.pk).split("/", 3)[3].replace(
        "desabonnement", "preferences"
    )


def test_the_preferences_page_sets_the_alert_frequency(client, cites):
    from mailing.models import PreferenceChange, Subscriber

    lemay, _ = cites
    [subscriber] = make_subscribers(1)
    subscriber.cites.add(lemay)
    path = preferences_path(subscriber)
    html = client.get(path).content.decode()
    assert "Nouveautés des cités suivies" in html
    assert re.search(r'<input[^>]*value="daily"[^>]*checked', html)  # today's choice shown
    kept = {"newsletter": "on", "cites": [lemay.pk]}
    response = client.post(path, {**kept, "alert_frequency": "weekly"})
    assert response.status_code == 303
    subscriber.refresh_from_db()
    assert subscriber.alert_frequency == Subscriber.AlertFrequency.WEEKLY
    [change] = PreferenceChange.objects.all()
    assert change.changes == {
        "alert_frequency": {"avant": "Chaque soir", "après": "Une fois par semaine"}
    }

    bad = client.post(path, {**kept, "alert_frequency": "hourly"})
    assert bad.status_code == 400
    assert "Choisissez" in bad.content.decode() and "une fois par semaine" in bad.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.alert_frequency == Subscriber.AlertFrequency.WEEKLY  # nothing lost


def test_the_follow_form_offers_the_weekly_digest(client, cites, ses, immediate_tasks):
    from mailing.models import Subscriber

    lemay, pinson = cites
    page = client.get(f"/lettre/suivre/{lemay.pk}/").content.decode()
    assert "Une fois par semaine" in page and "Chaque soir" in page
    data = {"email": "hebdo@example.org", "consent": "on", "website": ""}
    assert (
        client.post(
            f"/lettre/suivre/{lemay.pk}/", {**data, "alert_frequency": "weekly"}
        ).status_code
        == 302
    )
    subscriber = Subscriber.objects.get(email="hebdo@example.org")
    assert (subscriber.status, subscriber.alert_frequency) == ("pending", "weekly")

    # A confirmed address keeps its choice: anyone may type it in the form.
    Subscriber.objects.filter(pk=subscriber.pk).update(status="confirmed")
    client.post(f"/lettre/suivre/{pinson.pk}/", {**data, "alert_frequency": "daily"})
    subscriber.refresh_from_db()
    assert subscriber.alert_frequency == "weekly"


def test_sections_written_in_another_order_are_read_as_one_set():
    """SQLite before 3.44 concatenates a follower's cités in no promised order: the campaign's
    sets are rewritten in the order of `sections_key`, so one set has one subject and one
    encoded mail."""
    from mailing.delivery.cite_alerts import _normalise_sections

    campaign = Campaign.objects.create(kind=Campaign.Kind.CITE_ALERT, subject="s", html="", text="")
    people = make_subscribers(3)
    for subscriber, sections in zip(people, ["40,12", "12,40", "7"], strict=True):
        Delivery.objects.create(campaign=campaign, subscriber=subscriber, sections=sections)
    assert _normalise_sections(campaign) == ["12,40", "7"]
    assert sorted(campaign.deliveries.values_list("sections", flat=True)) == ["12,40", "12,40", "7"]
