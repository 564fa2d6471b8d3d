"""Sending faults (issue 25): no recipient is lost to a passing fault, none is mailed twice, and
the campaign page says what is happening. SES is moto_server behind a real HTTP proxy that
misbehaves on demand (tests/mailing/ses_proxy.py)."""

from collections import Counter
from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.utils import timezone

from mailing.delivery import (
    ResumeRefused,
    Segment,
    cancel_campaign,
    create_campaign,
    progress,
    resume_campaign,
    run_batch,
    start_campaign,
)
from mailing.delivery.deliveries import claim_batch, record_and_hand_out, worker_identity
from mailing.delivery.watchdog import watchdog
from mailing.models import Campaign, CampaignEvent, Delivery, Subscriber
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.django_db

PAUSED = (400, "SendingPausedException", "Sending is paused for this account.")


@pytest.fixture
def fast_sending(settings):
    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_RETRY_BASE_DELAY = 0.01
    settings.MAILING_BATCH_SIZE = 4
    settings.MAILING_CONCURRENCY = 2


def start(issue) -> Campaign:
    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)
    return campaign


def send_all(campaign: Campaign, max_batches: int = 50) -> None:
    for _ in range(max_batches):
        if run_batch(campaign.pk, enqueue_next=False).claimed == 0:
            return
    raise AssertionError("campaign did not finish")


def received(ses) -> Counter:
    return Counter(m["To"] for m in ses.messages())


def events(campaign: Campaign, kind: str | None = None) -> list[str]:
    rows = CampaignEvent.objects.filter(campaign=campaign)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("message", flat=True))


# --- Item 1: account-wide refusals pause and keep the list; nothing sent twice ---


def test_an_account_pause_in_the_middle_of_a_batch_loses_nobody(
    issue, flaky_ses, ses, fast_sending, settings
):
    subscribers = make_subscribers(6)
    campaign = start(issue)
    # Two mails go through, then SES pauses the account's sending (for a while).
    flaky_ses.failures = [None, None] + [PAUSED] * 50
    result = run_batch(campaign.pk, enqueue_next=False)
    campaign.refresh_from_db()
    assert (result.sent, campaign.status) == (2, Campaign.Status.PAUSED)
    assert campaign.pause_cause == Campaign.PauseCause.ACCOUNT
    assert "SendingPausedException" in campaign.pause_reason
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {"sent": 2, "pending": 4}  # none failed
    assert not Delivery.objects.exclude(claimed_by="").filter(status="pending").exists()
    assert events(campaign, CampaignEvent.Kind.PAUSE) == [campaign.pause_reason]

    # Still paused at SES: the watchdog's retry pauses again, nothing sent, one event only.
    settings.MAILING_ACCOUNT_RETRY_SECONDS = 0
    assert watchdog()["retried"] == 1
    run_batch(campaign.pk, enqueue_next=False)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    assert len(events(campaign, CampaignEvent.Kind.PAUSE)) == 1

    # SES accepts again: the next retry finishes the campaign without help.
    flaky_ses.failures = []
    assert watchdog()["retried"] == 1
    send_all(campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    assert received(ses) == Counter(s.email for s in subscribers)  # each one, once


def test_an_account_pause_is_not_retried_before_its_time(issue, flaky_ses, ses, fast_sending):
    make_subscribers(2)
    campaign = start(issue)
    flaky_ses.failures = [PAUSED] * 10
    run_batch(campaign.pk, enqueue_next=False)
    assert watchdog()["retried"] == 0  # 5 minutes by default
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED


def test_an_error_after_ses_took_the_mail_is_uncertain_never_resent(
    issue, flaky_ses, ses, fast_sending
):
    subscribers = make_subscribers(3)
    campaign = start(issue)
    flaky_ses.failures_after = [(500, "InternalFailure", "We encountered an internal error.")]
    send_all(campaign)
    assert received(ses) == Counter(s.email for s in subscribers)  # nobody twice
    [uncertain] = Delivery.objects.filter(status=Delivery.Status.UNCERTAIN)
    assert uncertain.error.startswith("InternalFailure")
    assert any("erreur après avoir reçu" in m for m in events(campaign, "fault"))


def test_ses_unreachable_is_recorded_once_and_heals(
    issue, ses, fast_sending, settings, monkeypatch
):
    import socket

    from mailing.delivery import reset_sending_state

    settings.MAILING_MAX_ATTEMPTS = 1
    subscribers = make_subscribers(3)
    campaign = start(issue)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    reset_sending_state()
    run_batch(campaign.pk, enqueue_next=False)
    run_batch(campaign.pk, enqueue_next=False)
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {"pending": 3}
    [fault] = events(campaign, CampaignEvent.Kind.FAULT)  # said once, not per batch
    assert "Amazon SES injoignable" in fault

    monkeypatch.setenv("AWS_ENDPOINT_URL", ses.url)
    reset_sending_state()
    send_all(campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    assert received(ses) == Counter(s.email for s in subscribers)


def test_temporary_failures_are_sent_again_on_request(staff, issue, ses, fast_sending, settings):
    subscribers = make_subscribers(4)
    campaign = start(issue)
    send_all(campaign)
    ses.reset()
    ses.verify_sender(parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    # Recorded as failed by causes that sent nothing (as the old classification did), and one
    # real rejection that must stay failed.
    rows = list(Delivery.objects.order_by("pk"))
    Delivery.objects.filter(pk=rows[0].pk).update(
        status="failed", error="ConnectTimeoutError: Connect timeout on endpoint URL"
    )
    Delivery.objects.filter(pk=rows[1].pk).update(
        status="failed", error="SendingPausedException: Sending is paused for this account."
    )
    Delivery.objects.filter(pk=rows[2].pk).update(
        status="failed", error="MessageRejected: Email address is not verified."
    )
    url = f"/admin/mailing/campagne/{campaign.pk}/"
    page = staff.get(url).content.decode()
    assert "Renvoyer les échecs temporaires" in page
    assert "2 envois en échec pour une cause passagère" in page

    response = staff.post(url, {"action": "resend_temporary_failures"}, follow=True)
    assert "2 échec(s) temporaire(s) remis en file." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING  # a finished campaign sends again
    [event] = CampaignEvent.objects.filter(campaign=campaign, kind=CampaignEvent.Kind.REQUEUE)
    assert event.user.username == "equipe"
    send_all(campaign)
    assert received(ses) == Counter([subscribers[0].email, subscribers[1].email])
    assert Delivery.objects.get(pk=rows[2].pk).status == Delivery.Status.FAILED
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE


# --- Item 3: the in-flight mark re-checks the subscriber ---


def test_someone_who_unsubscribes_after_the_claim_is_not_mailed(issue, ses, fast_sending):
    subscribers = make_subscribers(3)
    campaign = start(issue)
    me = worker_identity()
    batch = claim_batch(campaign, 10, me)
    assert len(batch) == 3
    # The one-click unsubscribe lands between the claim and the send.
    Subscriber.objects.filter(pk=subscribers[1].pk).update(status="unsubscribed")
    marked = record_and_hand_out([], batch, me)
    assert [r.subscriber_id for r in marked] == [subscribers[0].pk, subscribers[2].pk]
    skipped = Delivery.objects.get(subscriber=subscribers[1])
    assert (skipped.status, skipped.attempts) == (Delivery.Status.SKIPPED, 0)


# --- Item 5: the campaign page says what happened, and who did it ---


def test_a_cancel_is_recorded_with_who_did_it_and_resume_is_then_refused(
    staff, issue, ses, fast_sending
):
    make_subscribers(5)
    campaign = start(issue)
    url = f"/admin/mailing/campagne/{campaign.pk}/"
    staff.post(url, {"action": "cancel"})
    [event] = CampaignEvent.objects.filter(campaign=campaign, kind=CampaignEvent.Kind.CANCEL)
    assert event.user.username == "equipe"
    assert "5 destinataire(s)" in event.message

    response = staff.post(url, {"action": "resume"}, follow=True)
    page = response.content.decode()
    assert "Envoi repris." not in page
    assert "Reprise refusée : la campagne a été annulée" in page
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    with pytest.raises(ResumeRefused):
        resume_campaign(campaign)


def test_cancel_without_a_user_is_still_recorded(issue, ses, fast_sending):
    make_subscribers(1)
    campaign = start(issue)
    assert cancel_campaign(campaign)
    assert events(campaign, CampaignEvent.Kind.CANCEL)


def test_a_worker_start_does_not_claim_to_relaunch_a_healthy_campaign(issue, ses, fast_sending):
    from django_tasks_db.models import DBTaskResult

    from mailing.delivery import recover_on_worker_start

    make_subscribers(3)
    campaign = start(issue)

    DBTaskResult.objects.all().delete()  # the batch task was taken by a worker, still busy
    Campaign.objects.filter(pk=campaign.pk).update(heartbeat_at=timezone.now())
    recover_on_worker_start()
    assert events(campaign, CampaignEvent.Kind.RECOVERY) == []

    # Really silent for longer than the stall delay: then it is said.
    Campaign.objects.filter(pk=campaign.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    DBTaskResult.objects.all().delete()
    recover_on_worker_start()
    [relaunched] = events(campaign, CampaignEvent.Kind.RECOVERY)
    assert relaunched.startswith("Envoi relancé automatiquement (aucune activité depuis 10 min")


def test_the_estimate_stops_when_nothing_moves(staff, issue, ses, fast_sending, settings):
    settings.MAILING_BATCH_SIZE = 2
    make_subscribers(5)
    campaign = start(issue)
    run_batch(campaign.pk, enqueue_next=False)
    campaign.refresh_from_db()
    assert progress(campaign).estimated_end is not None

    # Two minutes without a single send (SES unreachable, workers down).
    earlier = timezone.now() - timedelta(minutes=2)
    Delivery.objects.filter(status="sent").update(sent_at=earlier)
    Campaign.objects.filter(pk=campaign.pk).update(
        started_at=earlier - timedelta(seconds=5), health_window_from=earlier
    )
    campaign.refresh_from_db()
    state = progress(campaign)
    assert state.estimated_end is None and state.stalled_since is not None
    page = staff.get(f"/admin/mailing/campagne/{campaign.pk}/").content.decode()
    assert "pas d'estimation tant que rien n'avance" in page
