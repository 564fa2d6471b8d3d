"""Reminders (the day and the hour before) and the replay mail, as the scheduler runs them:
the clock is moved by passing `now`; every mail goes out once."""

import datetime

import pytest

from renouveau.scheduler import discover_jobs
from webinar_registrations import registrations
from webinar_registrations.models import Registration

from .conftest import in_hours

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
REPLAY = [
    {
        "type": "video",
        "value": {"video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Le replay"},
    }
]


def register(webinar, email: str, **fields) -> Registration:
    registration, _ = registrations.register(
        webinar, email=email, name=email.split("@")[0], profile="habitant", **fields
    )
    return registration


def subjects(ses) -> list[tuple[str, str]]:
    return sorted((str(m["To"]), str(m["Subject"]).strip()) for m in ses.messages())


def test_the_jobs_are_declared_for_the_scheduler():
    names = {job.name for job in discover_jobs()}
    assert {
        "webinar-reminders",
        "webinar-replays",
        "webinar-registrations-retention",
    } <= names


def test_reminders_the_day_before_and_the_hour_before_each_once(ses, webinar):
    register(webinar, "inscrite@example.org")
    register(webinar, "annule@example.org")
    registrations.cancel(Registration.objects.get(email="annule@example.org"))
    start = webinar.start

    assert registrations.send_reminders(now=start - 25 * HOUR) == {
        "reminder_day": 0,
        "reminder_hour": 0,
    }
    assert ses.messages() == []

    assert registrations.send_reminders(now=start - 23 * HOUR)["reminder_day"] == 1
    # A second run, or a second scheduler, sends nothing more.
    assert registrations.send_reminders(now=start - 23 * HOUR)["reminder_day"] == 0
    assert registrations.send_reminders(now=start - 2 * HOUR)["reminder_day"] == 0
    [day] = ses.messages()
    assert day["To"] == "inscrite@example.org"
    assert str(day["Subject"]).strip() == f"Rappel\u00a0: {webinar.title}, demain"
    assert any(p.get_content_type() == "text/calendar" for p in day.iter_attachments())

    assert registrations.send_reminders(now=start - 50 * datetime.timedelta(minutes=1)) == {
        "reminder_day": 0,
        "reminder_hour": 1,
    }
    assert registrations.send_reminders(now=start - 10 * datetime.timedelta(minutes=1)) == {
        "reminder_day": 0,
        "reminder_hour": 0,
    }
    assert ("inscrite@example.org", f"Rappel\u00a0: {webinar.title}, dans une heure") in subjects(
        ses
    )
    assert len(ses.messages()) == 2
    # After the start, nothing.
    assert registrations.send_reminders(now=start + HOUR) == {"reminder_day": 0, "reminder_hour": 0}


def test_a_late_registrant_and_the_waiting_list_get_no_day_reminder(ses, make_webinar):
    webinar = make_webinar(start=in_hours(10))
    registrations.set_capacity(webinar, capacity=1, open=True)
    register(webinar, "tardive@example.org")  # registered 10 hours before: no « demain »
    register(webinar, "attente@example.org")
    assert registrations.send_reminders(now=webinar.start - 9 * HOUR)["reminder_day"] == 0
    sent = registrations.send_reminders(now=webinar.start - 55 * datetime.timedelta(minutes=1))
    assert sent["reminder_hour"] == 1
    assert [m["To"] for m in ses.messages()] == ["tardive@example.org"]


def test_a_failed_reminder_is_recorded_and_retried_by_the_next_run(ses, webinar, moto_server):
    register(webinar, "inscrite@example.org")
    moto_server.reset()  # the sender is no longer verified: SES rejects the message
    now = webinar.start - 23 * HOUR
    assert registrations.send_reminders(now=now)["reminder_day"] == 0
    registration = Registration.objects.get()
    assert registration.reminder_day_sent_at is None
    assert "MessageRejected" in registration.mail_error

    moto_server.verify_sender("contact@renouveaubassinminier.fr")
    assert registrations.send_reminders(now=now)["reminder_day"] == 1
    registration.refresh_from_db()
    assert registration.reminder_day_sent_at == now and registration.mail_error == ""


def test_the_replay_goes_to_registrants_once_its_published(ses, webinar, settings):
    register(webinar, "inscrite@example.org")
    register(webinar, "annule@example.org")
    registrations.cancel(Registration.objects.get(email="annule@example.org"))
    after = webinar.end + HOUR

    assert registrations.send_replays(now=after) == 0  # no replay yet

    webinar.replay = REPLAY
    webinar.save_revision()  # a draft: not published, not sent
    assert registrations.send_replays(now=after) == 0

    webinar.get_latest_revision().publish()
    assert registrations.send_replays(now=webinar.start) == 0  # not over yet
    assert registrations.send_replays(now=after) == 1
    assert registrations.send_replays(now=after) == 0
    [mail] = ses.messages()
    assert mail["To"] == "inscrite@example.org"
    assert str(mail["Subject"]).strip() == f"Le replay est en ligne\u00a0: {webinar.title}"
    text = mail.get_body(("plain",)).get_content()
    assert f"{settings.SITE_URL}{webinar.url}" in text
    assert "annuler" not in text
    assert list(mail.iter_attachments()) == []


def test_no_replay_mail_for_a_webinar_over_for_long(ses, webinar):
    register(webinar, "inscrite@example.org")
    webinar.replay = REPLAY
    webinar.save_revision().publish()
    assert registrations.send_replays(now=webinar.end + datetime.timedelta(days=90)) == 0
    assert ses.messages() == []


@pytest.mark.django_db(transaction=True)  # the scheduler is another process
def test_the_scheduler_process_sends_the_hour_reminder(ses, make_webinar):
    """`run_scheduler --once` runs every job, ours included, against the real clock."""
    from tests.subprocesses import manage

    webinar = make_webinar(start=in_hours(0.8))
    registration = register(webinar, "inscrite@example.org")
    Registration.objects.filter(pk=registration.pk).update(
        registered_at=webinar.start - datetime.timedelta(days=2)
    )
    result = manage("run_scheduler", "--once")
    assert result.returncode == 0, result.stdout + result.stderr
    [mail] = ses.messages()
    assert str(mail["Subject"]).strip() == f"Rappel\u00a0: {webinar.title}, dans une heure"
    registration.refresh_from_db()
    assert registration.reminder_hour_sent_at and registration.reminder_day_sent_at is None


def test_names_and_addresses_are_erased_a_year_after_the_webinar(webinar):
    registration = register(webinar, "inscrite@example.org", organisation="Mairie")
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    assert registrations.anonymise_old_registrations(now=webinar.end + 300 * 24 * HOUR) == 0
    later = webinar.end + 366 * 24 * HOUR
    assert registrations.anonymise_old_registrations(now=later) == 1
    assert registrations.anonymise_old_registrations(now=later) == 0
    registration.refresh_from_db()
    assert (registration.name, registration.organisation) == ("", "")
    assert "inscrite" not in registration.email
    assert registrations.counts(webinar)["attended"] == 1  # the figures stay
