"""The scheduler process runs what the site promises on a schedule (issue 11, item 5)."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from renouveau.models import StandardPage
from renouveau.scheduler import discover_jobs
from tests.factories import StandardPageFactory
from tests.subprocesses import start_manage


def test_every_promised_job_is_scheduled():
    jobs = {job.name: job for job in discover_jobs()}
    assert jobs["publish-scheduled-pages"].every_seconds == 60
    # The forms promise both purges to the public.
    assert jobs["mailing-list-hygiene"].daily_at
    assert jobs["documents-purge-old-requests"].daily_at


@pytest.mark.django_db(transaction=True)
def test_a_page_scheduled_a_few_seconds_ahead_goes_live_with_no_manual_command(home_page, client):
    page = StandardPageFactory(parent=home_page, slug="programme", title="Le programme")
    draft = StandardPage(slug="reunion-publique", title="Réunion publique à Rouvroy")
    page.add_child(instance=draft)
    draft.go_live_at = timezone.now() + timedelta(seconds=3)
    draft.save_revision().publish()  # with go_live_at ahead, Wagtail schedules it
    draft.refresh_from_db()
    assert not draft.live
    assert client.get("/programme/reunion-publique/").status_code == 404

    scheduler = start_manage("run_scheduler", SCHEDULE_PUBLISH_SECONDS="1")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if client.get("/programme/reunion-publique/").status_code == 200:
                break
            assert scheduler.poll() is None, scheduler.stdout.read()
            time.sleep(0.5)
        else:
            pytest.fail("the scheduled page never went live")
    finally:
        scheduler.terminate()
        output = scheduler.communicate(timeout=10)[0]
    assert "Scheduler started" in output


@pytest.mark.django_db(transaction=True)  # jobs close unusable connections, as in production
def test_run_once_runs_the_purges():
    """`run_scheduler --once` runs every job: an unconfirmed address older than 30 days and a
    document request older than a year are gone."""
    from documents.models import DocumentRequest
    from mailing.models import Subscriber

    old = timezone.now() - timedelta(days=400)
    subscriber = Subscriber.objects.create(
        email="oublie@example.org", status="pending", consent_at=old
    )
    request = DocumentRequest.objects.create(email="ancien@example.org", source="form")
    DocumentRequest.objects.filter(pk=request.pk).update(created_at=old)
    call_command("run_scheduler", "--once", verbosity=0)
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert not DocumentRequest.objects.filter(pk=request.pk).exists()


def test_a_daily_job_is_due_at_its_last_passed_time_in_paris():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from renouveau.scheduler import last_due

    paris = ZoneInfo("Europe/Paris")
    before = datetime(2026, 7, 1, 2, 0, tzinfo=paris)
    after = datetime(2026, 7, 1, 4, 0, tzinfo=paris)
    assert last_due("03:10", before) == datetime(2026, 6, 30, 3, 10, tzinfo=paris)
    assert last_due("03:10", after) == datetime(2026, 7, 1, 3, 10, tzinfo=paris)


@pytest.mark.django_db
def test_only_daily_jobs_whose_time_passed_since_their_last_run_are_missed():
    from renouveau.models import JobRun
    from renouveau.scheduler import Job, missed_jobs

    def noop():
        return None

    now = timezone.now()
    daily = [Job(f"daily-{n}", noop, daily_at="03:10") for n in range(3)]
    every = Job("every-minute", noop, every_seconds=60)
    JobRun.objects.create(name="daily-0", last_run_at=now - timedelta(days=2))
    JobRun.objects.create(name="daily-1", last_run_at=now)
    assert missed_jobs([*daily, every], now) == [daily[0]]
    # Never run (a new deployment): recorded, not run.
    assert JobRun.objects.get(name="daily-2").last_run_at == now
    assert not JobRun.objects.filter(name="every-minute").exists()


@pytest.mark.django_db(transaction=True)
def test_a_daily_job_missed_while_no_scheduler_ran_runs_once_at_start():
    """The purges were due at 03:10 while the scheduler was down for two days: the next
    scheduler to start runs them once, without waiting for tomorrow."""
    from mailing.models import Subscriber
    from renouveau.models import JobRun

    two_days_ago = timezone.now() - timedelta(days=2)
    JobRun.objects.create(name="mailing-list-hygiene", last_run_at=two_days_ago, runs=4)
    forgotten = Subscriber.objects.create(
        email="oublie@example.org",
        status="pending",
        consent_at=timezone.now() - timedelta(days=40),
    )
    scheduler = start_manage("run_scheduler", LEADER_POLL_SECONDS="1")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Subscriber.objects.filter(pk=forgotten.pk).exists():
            assert scheduler.poll() is None, scheduler.stdout.read()
            time.sleep(0.5)
        time.sleep(2)  # a second run would show in `runs`
    finally:
        scheduler.terminate()
        output = scheduler.communicate(timeout=20)[0]
    assert not Subscriber.objects.filter(pk=forgotten.pk).exists(), output
    run = JobRun.objects.get(name="mailing-list-hygiene")
    assert run.runs == 5 and run.last_run_at > two_days_ago, output
    assert "missed runs now: mailing-list-hygiene" in output
    assert scheduler.returncode == 0, output  # SIGTERM ends it cleanly
