"""Campaigns end to end: freeze once, one personalised raw mail per recipient through moto SES."""

import time
from collections import Counter

import pytest
from django.test import Client

from mailing.delivery import (
    RateLimiter,
    Segment,
    cancel_campaign,
    create_campaign,
    pause_campaign,
    progress,
    recipients,
    resume_campaign,
    run_batch,
    ses_max_send_rate,
    start_campaign,
)
from mailing.models import Campaign, Delivery, Subscriber
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_sending(settings):
    settings.MAILING_MAX_SEND_RATE = 0  # no rate limit
    settings.MAILING_RETRY_BASE_DELAY = 0.01
    settings.MAILING_BATCH_SIZE = 4


def send_all(campaign: Campaign, *, max_batches: int = 100) -> None:
    """What the worker does, batch after batch, in this process."""
    for _ in range(max_batches):
        result = run_batch(campaign.pk, enqueue_next=False)
        if result.claimed == 0:
            return
    raise AssertionError("campaign did not finish")


def start(issue, segment: Segment | None = None, **kwargs) -> Campaign:
    campaign = create_campaign(issue, segment or Segment(), **kwargs)
    start_campaign(campaign)
    return campaign


def test_one_personalised_raw_mail_per_confirmed_subscriber(issue, ses, fast_sending, settings):
    confirmed = make_subscribers(5)
    make_subscribers(2, status="pending", prefix="attente")
    make_subscribers(1, status="unsubscribed", prefix="parti")
    make_subscribers(1, status="bounced", prefix="rebond")

    campaign = start(issue)
    assert campaign.recipient_count == 5
    assert campaign.status == Campaign.Status.SENDING
    assert "__UNSUBSCRIBE_TOKEN__" in campaign.html  # frozen once, personalised per mail
    send_all(campaign)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    assert campaign.sent_count == 5
    messages = ses.messages()
    assert Counter(m["To"] for m in messages) == Counter(s.email for s in confirmed)
    by_address = {m["To"]: m for m in messages}
    for subscriber in confirmed:
        message = by_address[subscriber.email]
        delivery = Delivery.objects.get(campaign=campaign, subscriber=subscriber)
        assert delivery.status == Delivery.Status.SENT and delivery.ses_message_id
        assert message["Subject"].strip() == campaign.subject  # Django folds long subjects
        unsubscribe, mailto = [part.strip(" <>") for part in message["List-Unsubscribe"].split(",")]
        assert unsubscribe.startswith("http") and "/lettre/desabonnement/" in unsubscribe
        assert mailto.startswith("mailto:")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # RFC 2919: a phrase and <label.namespace>, the namespace being SITE_URL's host.
        host = settings.SITE_URL.split("://")[1].split(":")[0].split("/")[0]
        assert message["List-Id"] == f"Renouveau du Bassin Minier <lettre.{host}>"
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        assert unsubscribe in html and unsubscribe in text
        assert "__UNSUBSCRIBE_TOKEN__" not in html + text
        assert "unsubscribe.invalid" not in html + text

    # The link of one mail unsubscribes that reader, and only them.
    first = confirmed[0]
    link = by_address[first.email]["List-Unsubscribe"].split(",")[0].strip(" <>")
    Client(enforce_csrf_checks=True).post(
        "/" + link.split("/", 3)[3], {"List-Unsubscribe": "One-Click"}
    )
    statuses = dict(Subscriber.objects.values_list("email", "status"))
    assert statuses[first.email] == "unsubscribed"
    assert statuses[confirmed[1].email] == "confirmed"


def test_segments_by_profile_and_commune(issue, communes, ses, fast_sending):
    elus = make_subscribers(3, prefix="elu", profile="elu")
    habitants = make_subscribers(3, prefix="habitant", profile="habitant")
    habitants[0].communes.add(communes[0])
    habitants[1].communes.add(communes[1])
    elus[0].communes.add(communes[0], communes[1])

    assert recipients(Segment(profiles=("elu",))).count() == 3
    by_commune = recipients(Segment(commune_ids=(communes[0].pk, communes[1].pk)))
    assert sorted(by_commune.values_list("email", flat=True)) == [
        "elu0@example.org",
        "habitant0@example.org",
        "habitant1@example.org",
    ]
    campaign = start(issue, Segment(profiles=("habitant",), commune_ids=(communes[0].pk,)))
    assert "Condé" in campaign.segment_label
    send_all(campaign)
    assert [m["To"] for m in ses.messages()] == ["habitant0@example.org"]


def test_someone_who_unsubscribes_during_the_campaign_is_skipped(issue, ses, fast_sending):
    subscribers = make_subscribers(3)
    campaign = start(issue)
    Subscriber.objects.filter(pk=subscribers[1].pk).update(status="unsubscribed")
    send_all(campaign)
    assert sorted(m["To"] for m in ses.messages()) == [subscribers[0].email, subscribers[2].email]
    assert Delivery.objects.get(subscriber=subscribers[1]).status == Delivery.Status.SKIPPED


def test_pause_resume_and_cancel(issue, ses, fast_sending, settings):
    settings.MAILING_BATCH_SIZE = 2
    make_subscribers(7)
    campaign = start(issue)
    run_batch(campaign.pk, enqueue_next=False)
    assert pause_campaign(campaign)
    assert run_batch(campaign.pk, enqueue_next=False).claimed == 0  # paused: nothing sent
    assert len(ses.messages()) == 2

    resume_campaign(campaign)
    run_batch(campaign.pk, enqueue_next=False)
    assert len(ses.messages()) == 4
    state = progress(campaign)
    assert (state.sent, state.pending, state.total) == (4, 3, 7)
    assert state.estimated_end is not None

    assert cancel_campaign(campaign)
    assert run_batch(campaign.pk, enqueue_next=False).claimed == 0
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    assert progress(campaign).skipped == 3
    assert len(ses.messages()) == 4


def test_rate_comes_from_ses_quota_unless_overridden(ses, settings):
    settings.MAILING_MAX_SEND_RATE = None
    assert ses_max_send_rate() == 1.0  # moto's GetSendQuota MaxSendRate
    settings.MAILING_MAX_SEND_RATE = 14
    assert ses_max_send_rate() == 14.0
    settings.MAILING_MAX_SEND_RATE = 0
    assert ses_max_send_rate() is None

    limiter = RateLimiter(10)
    started = time.monotonic()
    for _ in range(6):
        limiter.wait()
    assert time.monotonic() - started >= 0.45  # 6 calls at 10/s: 5 intervals


def test_rate_limit_is_applied_when_sending(issue, ses, settings):
    settings.MAILING_MAX_SEND_RATE = 8
    settings.MAILING_BATCH_SIZE = 10
    make_subscribers(9)
    campaign = start(issue)
    started = time.monotonic()
    send_all(campaign)
    assert len(ses.messages()) == 9
    assert time.monotonic() - started >= 0.9  # 9 sends at 8/s


def test_throttling_and_5xx_are_retried_with_backoff(issue, flaky_ses, ses, fast_sending):
    make_subscribers(2)
    campaign = start(issue)
    flaky_ses.failures = [
        (400, "TooManyRequestsException", "Maximum sending rate exceeded."),
        (503, "ServiceUnavailable", "Service unavailable."),
        (429, "TooManyRequestsException", "Slow down."),
    ]
    send_all(campaign)
    assert flaky_ses.failures == []
    assert sorted(m["To"] for m in ses.messages()) == ["abonne0@example.org", "abonne1@example.org"]
    assert flaky_ses.requests >= 5
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_permanent_failures_are_recorded_and_do_not_stop_the_others(
    issue, flaky_ses, ses, fast_sending
):
    make_subscribers(4)
    flaky_ses.reject_containing = "abonne2@example.org"
    campaign = start(issue)
    send_all(campaign)
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.subscriber.email == "abonne2@example.org"
    assert "MessageRejected" in failed.error
    assert len(ses.messages()) == 3
    campaign.refresh_from_db()
    assert (campaign.status, campaign.sent_count, campaign.failed_count) == ("done", 3, 1)


def test_a_whole_batch_failing_pauses_instead_of_failing_the_list(
    issue, flaky_ses, ses, fast_sending
):
    make_subscribers(6)
    flaky_ses.reject_containing = "@example.org"  # e.g. the sender identity was revoked
    campaign = start(issue)
    run_batch(campaign.pk, enqueue_next=False)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    assert "ont échoué" in campaign.pause_reason
    assert not Delivery.objects.exclude(status=Delivery.Status.PENDING).exists()


def test_persistent_throttling_pauses_and_keeps_deliveries_pending(
    issue, flaky_ses, ses, fast_sending, settings
):
    settings.MAILING_MAX_ATTEMPTS = 2
    make_subscribers(2)
    campaign = start(issue)
    flaky_ses.failures = [(400, "TooManyRequestsException", "Daily quota exceeded.")] * 10
    run_batch(campaign.pk, enqueue_next=False)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert ses.messages() == []


def test_an_issue_failing_its_checks_cannot_become_a_campaign(issue, ses):
    from mailing.delivery import CampaignError

    issue.body = []
    with pytest.raises(CampaignError) as error:
        create_campaign(issue, Segment())
    assert error.value.problems
    assert not Campaign.objects.exists()


def test_other_mail_backends_get_the_same_bytes_through_the_one_sender(
    issue, fast_sending, settings, mailoutbox
):
    """Django's other backends (console in development, SMTP) get the very bytes SES would."""
    from email import message_from_bytes, policy

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    [subscriber] = make_subscribers(1)
    campaign = start(issue)
    send_all(campaign)
    [message] = mailoutbox
    assert message.recipients() == [subscriber.email]
    assert message.raw.count(b"\n") == message.raw.count(b"\r\n")  # CRLF, as built
    parsed = message_from_bytes(message.raw, policy=policy.default)
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/lettre/desabonnement/" in parsed["List-Unsubscribe"]
    assert "__UNSUBSCRIBE_TOKEN__" not in parsed.get_body(("plain",)).get_content()
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_raw_mime_is_well_formed_for_non_ascii_subjects_and_long_lines(ses, fast_sending):
    from email import message_from_bytes, policy

    from renouveau.mime import build_mail

    html = "<p>" + "Cité minière é à ç — " * 200 + "\r</p>"
    raw = build_mail(
        subject="N°2 — Juillet 2019 : la cité Taffin à Vieux-Condé",
        to=["lecteur@example.org"],
        text="Vous lisez la lettre.\n" * 3,
        html=html,
        headers={"List-Unsubscribe": "<https://a.example/x/>, <mailto:b@example.org?subject=x>"},
    )
    head, body = raw.split(b"\r\n\r\n", 1)
    assert max(len(line) for line in head.split(b"\r\n")) <= 998  # RFC 5322
    assert max(len(line) for line in body.split(b"\r\n")) <= 76  # quoted-printable
    assert raw.count(b"\n") == raw.count(b"\r\n") == raw.count(b"\r")  # CRLF only (RFC 5322)
    raw.decode("ascii")  # 7-bit clean, as SES recommends
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"].strip() == "N°2 — Juillet 2019 : la cité Taffin à Vieux-Condé"
    # Line ends travel as CRLF (a lone CR too); the parser hands them back as they travelled.
    content = message.get_body(("html",)).get_content()
    assert content.replace("\r\n", "\n") == html.replace("\r", "\n")
    assert message["List-Unsubscribe"] == "<https://a.example/x/>, <mailto:b@example.org?subject=x>"


def test_the_mail_ses_receives_is_exactly_the_personalised_issue(issue, ses, fast_sending):
    """The issue is QP-encoded once per campaign, in pieces around the unsubscribe URL: each
    mail decodes to exactly what `personalise` gives that recipient, in 76-character lines."""
    from mailing.delivery import personalise

    subscribers = make_subscribers(3)
    campaign = start(issue)
    send_all(campaign)
    by_address = {m["To"]: m for m in ses.messages()}
    for raw in ses.raw_messages():
        _, body = raw.split(b"\r\n\r\n", 1)
        assert max(len(line) for line in body.split(b"\r\n")) <= 76
        assert raw.count(b"\n") == raw.count(b"\r\n") == raw.count(b"\r")  # CRLF only
        raw.decode("ascii")
    for subscriber in subscribers:
        html, text, headers = personalise(campaign, subscriber.pk)
        message = by_address[subscriber.email]
        # CRLF on the wire: compare the line ends as `personalise` writes them.
        assert message.get_body(("html",)).get_content().replace("\r\n", "\n") == html
        assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
        assert message["List-Unsubscribe"] == headers["List-Unsubscribe"]


@pytest.mark.parametrize(
    "body",
    [
        "@@",
        "@@ début, fin @@",
        "deux @@@@ collés, espace avant \t@@ et après @@ \n",
        "ligne longue " * 20 + "@@" + "é" * 100 + "\r\n" + "=3D " * 30,
    ],
)
def test_a_body_encoded_once_decodes_to_the_plain_replacement(body):
    import quopri

    from renouveau.mime import EncodedBody

    url = "https://renouveau.example/lettre/desabonnement/12:abc=def_" + "x" * 80 + "/"
    encoded = EncodedBody.encode(body, "@@").fill(url)
    assert max(len(line) for line in encoded.split(b"\n")) <= 76
    expected = body.replace("\r\n", "\n").replace("@@", url)
    assert quopri.decodestring(encoded).decode() == expected


@pytest.mark.parametrize(
    "address", ["lecteur@example.org", "o'brien+lettre@mairie-vieux-conde.fr", "élu@cité.fr", "a@b"]
)
def test_the_to_header_is_what_django_would_write(address):
    from django.core.mail.message import sanitize_address

    from renouveau.mime import to_header

    assert to_header(address) == sanitize_address(address, "utf-8")
