"""The scheduler process runs what the site promises on a schedule (issue 11, item 5)."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from renouveau.demo import child_page
from renouveau.models import StandardPage
from renouveau.scheduler import discover_jobs
from tests.subprocesses import start_manage


def test_every_promised_job_is_scheduled():
    jobs = {job.name: job for job in discover_jobs()}
    assert jobs["publish-scheduled-pages"].every_seconds == 60
    # The forms promise both purges to the public.
    assert jobs["mailing-list-hygiene"].daily_at
    assert jobs["documents-purge-old-requests"].daily_at


@pytest.mark.django_db(transaction=True)
def test_a_page_scheduled_a_few_seconds_ahead_goes_live_with_no_manual_command(home_page, client):
    page = child_page(home_page, StandardPage, slug="programme", title="Le programme")
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
