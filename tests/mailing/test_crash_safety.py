"""SIGKILL a real `db_worker` mid-campaign against moto_server, restart it, and count what SES
received per recipient: nobody twice, and nobody lost without the campaign saying so."""

import json
import os
import signal
import time
from collections import Counter

import pytest

from mailing.delivery import Segment, create_campaign, resend_uncertain, start_campaign
from mailing.models import Campaign, Delivery
from tests.mailing.conftest import make_subscribers
from tests.subprocesses import manage, start_manage

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = 240
WORKER_ENV = {
    # Slow enough that the kill lands in the middle of the campaign, and of a batch.
    "MAILING_MAX_SEND_RATE": "60",
    "MAILING_BATCH_SIZE": "12",
    "MAILING_CONCURRENCY": "4",
}


def worker_args(*extra: str) -> list[str]:
    return ["db_worker", "--queue-name", "mail", "--no-startup-delay", "--interval", "0.1", *extra]


def to_counts(ses) -> Counter:
    return Counter(message["To"] for message in ses.messages())


def test_killed_worker_resumes_without_duplicates_or_silent_losses(
    issue, ses, sns, settings, client
):
    settings.MAILING_SNS_TOPIC_ARNS = [sns.topic_arn]
    subscribers = make_subscribers(RECIPIENTS)
    emails = {s.email for s in subscribers}
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)  # enqueues the first batch for the worker

    worker = start_manage(*worker_args(), **WORKER_ENV)
    try:
        deadline = time.monotonic() + 240  # a busy machine starts Django slowly
        while Delivery.objects.filter(status=Delivery.Status.SENT).count() < RECIPIENTS // 3:
            assert worker.poll() is None, worker.stdout.read()
            assert time.monotonic() < deadline, "the worker did not send"
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()

    sent_at_kill = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    assert 0 < sent_at_kill < RECIPIENTS  # killed mid-campaign
    in_flight = Delivery.objects.filter(status=Delivery.Status.SENDING).count()

    restarted = manage(*worker_args("--batch"), timeout=300, **WORKER_ENV)
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE, (
        Counter(Delivery.objects.values_list("status", "claimed_by")),
        restarted.stdout[-3000:],
        restarted.stderr[-3000:],
    )
    counts = to_counts(ses)
    assert max(counts.values()) == 1, "someone got the issue twice"
    assert set(counts) <= emails

    deliveries = list(Delivery.objects.select_related("subscriber"))
    statuses = Counter(d.status for d in deliveries)
    assert set(statuses) <= {"sent", "uncertain"}, statuses
    assert statuses["uncertain"] <= in_flight <= int(WORKER_ENV["MAILING_BATCH_SIZE"])
    for delivery in deliveries:
        if delivery.status == "sent":
            # Recorded as sent: SES has it, exactly once.
            assert counts[delivery.subscriber.email] == 1
    # Everyone SES does not have is visibly uncertain: no silent loss.
    missing = emails - set(counts)
    assert missing <= {d.subscriber.email for d in deliveries if d.status == "uncertain"}

    # Reconciliation: SES send events (tagged with the delivery id) settle the uncertain
    # deliveries that did go out; staff resend the others.
    uncertain = [d for d in deliveries if d.status == "uncertain"]
    for delivery in uncertain:
        if counts[delivery.subscriber.email]:
            event = {
                "eventType": "Send",
                "mail": {
                    "messageId": f"moto-{delivery.pk}",
                    "destination": [delivery.subscriber.email],
                    "tags": {"delivery": [str(delivery.pk)], "campaign": [str(campaign.pk)]},
                },
                "send": {},
            }
            response = client.post(
                "/lettre/ses-notifications/",
                data=json.dumps(sns.notification(event)),
                content_type="text/plain",
            )
            assert response.status_code == 200
    resend_uncertain(campaign)
    start_campaign(campaign)
    finished = manage(*worker_args("--batch"), timeout=300, **WORKER_ENV)
    assert finished.returncode == 0, finished.stdout + finished.stderr

    final = to_counts(ses)
    assert set(final) == emails and set(final.values()) == {1}
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    campaign.refresh_from_db()
    assert (campaign.status, campaign.sent_count) == (Campaign.Status.DONE, RECIPIENTS)
