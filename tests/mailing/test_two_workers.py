"""Two real `db_worker` processes drain one campaign together: everyone gets the issue once.

On PostgreSQL the workers claim tasks and delivery batches with SELECT … FOR UPDATE SKIP LOCKED;
on SQLite the IMMEDIATE write transactions serialise the claims. Either way no delivery may be
claimed twice."""

from collections import Counter

import pytest

from mailing.models import Campaign, Delivery
from mailing.sending import Segment, create_campaign, start_campaign
from tests.mailing.conftest import make_subscribers
from tests.subprocesses import start_manage

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = 150
WORKER_ENV = {"MAILING_BATCH_SIZE": "10", "MAILING_CONCURRENCY": "2"}


@pytest.fixture
def issue(home_page):
    from newsletter import demo
    from newsletter.models import NewsletterIssuePage

    demo.load(home_page)
    return NewsletterIssuePage.objects.get(number=2)


def test_two_workers_drain_one_campaign_without_a_duplicate(issue, ses):
    emails = {s.email for s in make_subscribers(RECIPIENTS)}
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)

    args = [
        "db_worker",
        "--queue-name",
        "mail",
        "--no-startup-delay",
        "--interval",
        "0.1",
        "--batch",
    ]
    workers = [start_manage(*args, "--worker-id", f"worker-{n}", **WORKER_ENV) for n in (1, 2)]
    outputs = [worker.communicate(timeout=240)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    counts = Counter(message["To"] for message in ses.messages())
    assert set(counts) == emails
    assert set(counts.values()) == {1}, "someone got the issue twice"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    # Both workers took part (otherwise this test proves nothing about sharing the queue).
    claimed_by = Counter(Delivery.objects.values_list("claimed_by", flat=True))
    assert len(claimed_by) == 2, claimed_by
