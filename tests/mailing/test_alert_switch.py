"""Switching between the evening alert and the weekly digest (issue 31 item 6): each update of a
followed cité reaches each follower exactly once, whatever the switches and their direction. The
clock moves (freezegun) through a week and the one before it, the switches are made on the
preferences page, the scheduler's own jobs run each evening, and the mails are read in the SES
outbox (moto) after the real sending path."""

from collections import Counter

import pytest
from freezegun import freeze_time

from mailing.models import Subscriber
from mailing.schedule import cite_alerts, weekly_cite_digests
from tests.factories import NewsPageFactory

from .conftest import make_subscribers
from .test_cite_digests import at, preferences_path, received, send_queued, text_of

pytestmark = pytest.mark.django_db

# What is published, and when (day of December 2026, Paris time; Friday the 4th and the 11th
# are the weekly digest's days).
PUBLISHED = {
    3: "Réunion publique",  # Thursday of the week before
    7: "Chantier commencé",  # Monday
    8: "Visite des façades",  # Tuesday
    9: "Jardins partagés",  # Wednesday
    10: "Atelier mémoire",  # Thursday
    11: "Fête de la cité",  # Friday
    14: "Balade urbaine",  # the Monday after
}
# Who switches, when (day, hour) and to what, on the preferences page.
SWITCHES = {
    (8, 12): [("twice", "weekly")],  # before Tuesday's alert: Tuesday's item waits
    (9, 9): [("to_weekly", "weekly"), ("to_daily", "daily"), ("twice", "daily")],
}


@pytest.fixture
def sending(settings, ses):
    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_CITE_DIGEST_WEEKDAY = 5  # Friday
    return ses


def switch(client, subscriber: Subscriber, frequency: str, cite) -> None:
    kept = {"newsletter": "on", "cites": [cite.pk]}
    response = client.post(preferences_path(subscriber), {**kept, "alert_frequency": frequency})
    assert response.status_code == 303


def test_each_update_reaches_each_follower_once_whatever_the_switches(
    client, cites, news_index, sending
):
    lemay, _ = cites
    # Confirmed before the week starts, whatever today's real date (a confirmation after an
    # update rightly keeps it out of a catch-up).
    with freeze_time(at(1, 9)):
        people = {
            name: make_subscribers(1, prefix=name, alert_frequency=frequency)[0]
            for name, frequency in [
                ("daily", "daily"),
                ("weekly", "weekly"),
                ("to_weekly", "daily"),
                ("to_daily", "weekly"),
                ("twice", "daily"),
            ]
        }
    for subscriber in people.values():
        subscriber.cites.add(lemay)
    news_index.get_full_url()  # imports what URLs need (pydantic) before the clock is frozen
    mails_on: dict[int, Counter] = {}
    for day in range(3, 19):  # to the Friday after: its digest has the last item
        for (switch_day, hour), moves in SWITCHES.items():
            if switch_day == day:
                with freeze_time(at(day, hour)):
                    for name, frequency in moves:
                        switch(client, people[name], frequency, lemay)
        if day in PUBLISHED:
            with freeze_time(at(day, 10)):
                NewsPageFactory(parent=news_index, title=PUBLISHED[day], related_cities=[lemay])
        with freeze_time(at(day, 17)):  # the evening jobs, as the scheduler runs them
            cite_alerts()
            weekly_cite_digests()
        send_queued()
        mails_on[day] = Counter(
            {name: len(received(sending)[s.email]) for name, s in people.items()}
        )

    mails = received(sending)
    for name, subscriber in people.items():
        texts = [text_of(mail) for mail in mails[subscriber.email]]
        seen = Counter(title for text in texts for title in PUBLISHED.values() if title in text)
        assert seen == Counter(PUBLISHED.values()), name  # every update, once

    # And when: the weekly digest on Fridays only, the switchers' missing items on the first
    # run of their new frequency (Wednesday's alert for those who left the digest).
    assert mails_on[13] == {"daily": 6, "weekly": 2, "to_weekly": 4, "to_daily": 4, "twice": 5}
    [late] = [text_of(m) for m in mails[people["to_daily"].email] if "Jardins" in text_of(m)]
    assert "Chantier commencé" in late and "Visite des façades" in late  # Wednesday's catch-up
    [digest] = [text_of(m) for m in mails[people["to_weekly"].email] if "Fête" in text_of(m)]
    assert "Jardins partagés" in digest and "Visite des façades" not in digest
    assert Subscriber.objects.filter(alerts_covered_until__isnull=False).count() == 0
