"""Two real `db_worker` processes drain one campaign together: everyone gets the issue once.

On PostgreSQL the workers claim tasks and delivery batches with SELECT … FOR UPDATE SKIP LOCKED;
on SQLite the IMMEDIATE write transactions serialise the claims. Either way no delivery may be
claimed twice."""

import time
from collections import Counter

import pytest

from mailing.delivery import Segment, create_campaign, start_campaign
from mailing.models import Campaign, Delivery
from tests.mailing.conftest import make_subscribers
from tests.subprocesses import start_manage

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = 150
WORKER_ENV = {"MAILING_BATCH_SIZE": "10", "MAILING_CONCURRENCY": "2", "MAILING_MAX_SEND_RATE": "40"}


def test_two_workers_drain_one_campaign_without_a_duplicate(issue, ses):
    emails = {s.email for s in make_subscribers(RECIPIENTS)}
    campaign = create_campaign(issue, Segment())

    # Both workers are polling before the first batch is queued, and each sends at a modest
    # rate, so that both take batches (each batch queues the next before sending).
    args = ["db_worker", "--queue-name", "mail", "--no-startup-delay", "--interval", "0.1"]
    workers = [start_manage(*args, "--worker-id", f"worker-{n}", **WORKER_ENV) for n in (1, 2)]
    try:
        time.sleep(3)
        start_campaign(campaign)
        deadline = time.monotonic() + 400  # a busy machine starts Django slowly
        while Campaign.objects.get(pk=campaign.pk).status != Campaign.Status.DONE:
            assert all(worker.poll() is None for worker in workers), "a worker died"
            assert time.monotonic() < deadline, "the campaign did not finish"
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=120)

    counts = Counter(message["To"] for message in ses.messages())
    assert set(counts) == emails
    assert set(counts.values()) == {1}, "someone got the issue twice"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    # Both workers took part (otherwise this test proves nothing about sharing the queue).
    claimed_by = Counter(Delivery.objects.values_list("claimed_by", flat=True))
    assert len(claimed_by) == 2, claimed_by
