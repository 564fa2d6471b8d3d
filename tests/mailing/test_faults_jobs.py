"""Deferred jobs that send claim their work before sending (issue 25 item 2): the evening cité
alert run twice at once (two schedulers during a deploy) mails each follower once; and what is
no longer public when it runs is not announced (issue 24 item 3)."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import PageViewRestriction

from mailing.delivery import run_batch
from mailing.delivery.cite_alerts import send_cite_alerts
from mailing.models import Campaign, CiteUpdate
from tests.factories import (
    NewsPageFactory,
)

from .conftest import make_subscribers


@pytest.fixture
def sending(settings, ses):
    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_BATCH_SIZE = 100
    return ses


def send_every_alert() -> None:
    for campaign in Campaign.objects.filter(kind=Campaign.Kind.CITE_ALERT):
        while run_batch(campaign.pk, enqueue_next=False).claimed:
            pass


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("frequency", ["daily", "weekly"])
def test_two_alert_jobs_at_once_mail_each_follower_once(cites, news_index, sending, frequency):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent writers: PostgreSQL (SQLite serialises them anyway)")
    lemay, pinson = cites
    followers = make_subscribers(40, prefix="suit", alert_frequency=frequency)
    for subscriber in followers[:30]:
        subscriber.cites.add(lemay)
    for subscriber in followers[20:]:
        subscriber.cites.add(pinson)
    NewsPageFactory(parent=news_index, title="Réunion publique", related_cities=[lemay])
    NewsPageFactory(parent=news_index, title="Chantier terminé", related_cities=[pinson])
    assert CiteUpdate.objects.count() == 2

    start = threading.Barrier(2)
    results, errors = [], []

    def job() -> None:
        try:
            start.wait()
            results.append(send_cite_alerts(frequency=frequency))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(r["updates"] for r in results) == [0, 2]  # one run took both updates

    send_every_alert()
    received = Counter(m["To"] for m in sending.messages())
    assert received == Counter(s.email for s in followers)  # each follower, once
    stamp = "alerted_at" if frequency == "daily" else "weekly_alerted_at"
    assert not CiteUpdate.objects.filter(**{f"{stamp}__isnull": True}).exists()


@pytest.mark.django_db
def test_a_job_that_fails_half_way_leaves_its_updates_to_the_next_run(
    cites, news_index, sending, monkeypatch
):
    lemay, _ = cites
    [follower] = make_subscribers(1, prefix="suit")
    follower.cites.add(lemay)
    NewsPageFactory(parent=news_index, title="Réunion publique", related_cities=[lemay])

    from mailing.delivery import cite_alerts as follow

    def broken(*args, **kwargs):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(follow, "render_digest", broken)  # a failure, not a pass
    with pytest.raises(RuntimeError):
        send_cite_alerts()
    monkeypatch.undo()
    assert CiteUpdate.objects.filter(alerted_at__isnull=True).count() == 1
    assert not Campaign.objects.filter(kind=Campaign.Kind.CITE_ALERT).exists()
    assert send_cite_alerts()["campaigns"] == 1


def unpublish(page) -> None:
    page.unpublish()


def make_private(page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def expire(page) -> None:
    type(page).objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))


@pytest.mark.django_db
@pytest.mark.parametrize("hide", [unpublish, make_private, expire], ids=lambda f: f.__name__)
def test_a_news_item_no_longer_public_by_evening_is_not_announced(cites, news_index, sending, hide):
    lemay, _ = cites
    [follower] = make_subscribers(1, prefix="suit")
    follower.cites.add(lemay)
    gone = NewsPageFactory(parent=news_index, title="Annonce retirée", related_cities=[lemay])
    NewsPageFactory(parent=news_index, title="Réunion publique", related_cities=[lemay])
    assert CiteUpdate.objects.count() == 2

    hide(gone)
    result = send_cite_alerts()
    assert (result["updates"], result["withdrawn"]) == (1, 1)
    send_every_alert()
    [mail] = sending.messages()
    assert mail["Subject"] == "Cité Lemay : Réunion publique"
    assert "Annonce retirée" not in mail.get_body(("plain",)).get_content()
    # Forgotten: published again later, it is announced then.
    assert not CiteUpdate.objects.filter(title="Annonce retirée").exists()


@pytest.mark.django_db
def test_an_alert_about_a_cite_made_private_is_not_sent(cites, news_index, sending):
    lemay, _ = cites
    [follower] = make_subscribers(1, prefix="suit")
    follower.cites.add(lemay)
    NewsPageFactory(parent=news_index, title="Réunion publique", related_cities=[lemay])
    make_private(lemay)
    assert send_cite_alerts() == {"updates": 0, "campaigns": 0, "recipients": 0, "withdrawn": 1}
    assert sending.messages() == []
