"""Issue 13: mass sending survives faults and heals itself.

- a real `db_worker` survives `pg_terminate_backend` of its connections and finishes the campaign;
- the watchdog (a scheduler job) closes what a dead worker left: its messages in flight become
  uncertain, its claims go back to the pool, the stalled campaign is queued again (database
  queue and RQ), and the campaign page says so, with the time;
- a worker killed mid-batch leaves at most its in-flight messages uncertain (the concurrency),
  not its batch.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mailing.delivery import Segment, create_campaign, start_campaign
from mailing.models import Campaign, CampaignEvent, Delivery
from tests.mailing.conftest import make_subscribers
from tests.subprocesses import manage, start_manage

pytestmark = pytest.mark.django_db(transaction=True)

WORKER = ["db_worker", "--queue-name", "mail", "--no-startup-delay", "--interval", "0.1"]


def received(ses) -> Counter:
    return Counter(message["To"] for message in ses.messages())


def wait_for(condition, timeout: float, process=None, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None:
            assert process.poll() is None, f"the worker exited: {process.stdout.read()[-3000:]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def sent() -> int:
    return Delivery.objects.filter(status=Delivery.Status.SENT).count()


def terminate_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_db_worker_survives_its_connection_being_terminated(issue, ses):
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's: SQLite has no server connection")
    recipients = 160
    emails = {s.email for s in make_subscribers(recipients)}
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)
    env = {"MAILING_MAX_SEND_RATE": "50", "MAILING_BATCH_SIZE": "10"}
    worker = start_manage(*WORKER, **env)
    try:
        wait_for(lambda: sent() >= 20, 240, worker, "the first sends")
        # Mid-campaign, twice: while sending, then while the worker reconnects. The worker's
        # connection is the only other one on the test database.
        assert terminate_other_connections() >= 1
        time.sleep(1.0)
        assert sent() < recipients, "the campaign was over before the fault"
        terminate_other_connections()
        wait_for(
            lambda: Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DONE,
            300,
            worker,
            "the campaign to finish",
        )
        assert worker.poll() is None, "the worker must still be running"
    finally:
        worker.terminate()
        worker.communicate(timeout=120)
    counts = received(ses)
    assert set(counts) == emails and set(counts.values()) == {1}
    # Outcomes kept in memory while the database was away are recorded afterwards: nothing is
    # left uncertain by a lost connection.
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def dead_claimant() -> str:
    """The identity of a worker process that has exited (same host, pid gone)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{socket.gethostname()}:{process.pid}"


def stalled_campaign(issue, count: int = 10) -> tuple[Campaign, str]:
    """A campaign SENDING whose worker died after claiming a batch and marking two messages in
    flight, and no batch task left in the queue: nothing would ever carry it on."""
    make_subscribers(count)
    campaign = create_campaign(issue, Segment())
    dead = dead_claimant()
    long_ago = timezone.now() - timedelta(minutes=10)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SENDING, started_at=long_ago, heartbeat_at=long_ago
    )
    ids = list(campaign.deliveries.order_by("pk").values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids[:2]).update(
        status=Delivery.Status.SENDING, claimed_by=dead, claimed_at=timezone.now()
    )
    Delivery.objects.filter(pk__in=ids[2:5]).update(claimed_by=dead, claimed_at=timezone.now())
    return campaign, dead


def test_the_watchdog_job_requeues_a_stalled_campaign_and_settles_dead_claims(
    issue, ses, client, django_user_model
):
    from django_tasks_db.models import DBTaskResult

    from mailing.delivery import send_campaign_batch
    from mailing.schedule import JOBS

    def batches():
        return DBTaskResult.objects.ready().filter(task_path=send_campaign_batch.module_path)

    campaign, dead = stalled_campaign(issue)
    assert not batches().exists()
    [job] = [job for job in JOBS if job.name == "mailing-campaign-watchdog"]
    assert job.every_seconds == 60
    job.run()  # as the scheduler runs it

    statuses = Counter(campaign.deliveries.values_list("status", flat=True))
    assert statuses == {"uncertain": 2, "pending": 8}
    assert not campaign.deliveries.filter(status="pending").exclude(claimed_by="").exists()
    [task] = batches()
    assert task.args_kwargs["args"] == [campaign.pk]
    events = [event.message for event in CampaignEvent.objects.filter(campaign=campaign)]
    assert any("2 envoi(s) en cours marqué(s) incertain(s)" in m for m in events), events
    assert any("3 destinataire(s) réservé(s) remis en file" in m for m in events), events
    assert any("relancé automatiquement" in m for m in events), events

    job.run()  # a batch is already waiting: not queued twice
    assert batches().count() == 1

    user = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "pw")
    client.force_login(user)
    page = client.get(f"/admin/mailing/campagne/{campaign.pk}/").content.decode()
    assert "Historique" in page and "Envoi relancé automatiquement" in page
    assert "Reprise automatique" in page
    assert f'<time datetime="{timezone.localtime(CampaignEvent.objects.first().at):%Y}' in page

    # The queued batch is run by a worker: the campaign finishes; the uncertain two stay for
    # SES events or staff, never resent.
    finished = manage(*WORKER, "--batch", timeout=300)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    assert len(ses.messages()) == 8


def test_the_watchdog_heals_a_campaign_stalled_on_rq(issue, ses, redis_server):
    """RQ: both the rqworker and its work-horse killed after taking a batch leave nothing in
    the queue. The scheduler's watchdog (`run_scheduler --once`) queues it again, and an RQ
    worker finishes it."""
    env = {"TASKS_BACKEND": "rq", "REDIS_URL": redis_server.url()}
    campaign, _ = stalled_campaign(issue, count=12)

    watchdog = manage("run_scheduler", "--once", timeout=300, **env)
    assert watchdog.returncode == 0, watchdog.stdout + watchdog.stderr
    worker = manage(
        "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "mail", timeout=300, **env
    )
    assert worker.returncode == 0, worker.stdout + worker.stderr
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE, Counter(
        campaign.deliveries.values_list("status", flat=True)
    )
    assert len(ses.messages()) == 10
    assert Counter(campaign.deliveries.values_list("status", flat=True)) == {
        "sent": 10,
        "uncertain": 2,
    }


def test_a_worker_killed_mid_batch_leaves_at_most_its_in_flight_messages_uncertain(issue, ses):
    recipients, concurrency, batch = 200, 4, 40
    emails = {s.email for s in make_subscribers(recipients)}
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)
    env = {
        "MAILING_MAX_SEND_RATE": "40",  # a 40-message batch takes a second: the kill lands in one
        "MAILING_BATCH_SIZE": str(batch),
        "MAILING_CONCURRENCY": str(concurrency),
    }
    worker = start_manage(*WORKER, **env)
    try:
        wait_for(lambda: sent() >= 60, 240, worker, "sends")
        # Kill when a batch is under way: messages claimed and not yet handed to SES.
        wait_for(
            lambda: Delivery.objects.filter(status="pending").exclude(claimed_by="").count() > 10,
            120,
            worker,
            "a batch under way",
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    in_flight = Delivery.objects.filter(status=Delivery.Status.SENDING).count()
    claimed = Delivery.objects.filter(status="pending").exclude(claimed_by="").count()
    assert in_flight <= concurrency
    assert claimed > 0  # the rest of the batch: claimed, never sent

    restarted = manage(*WORKER, "--batch", timeout=300, **env)
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses["uncertain"] <= concurrency, statuses
    assert statuses["sent"] + statuses["uncertain"] == recipients
    counts = received(ses)
    assert max(counts.values()) == 1
    uncertain = set(
        Delivery.objects.filter(status="uncertain").values_list("subscriber__email", flat=True)
    )
    assert emails - set(counts) <= uncertain  # no silent loss
