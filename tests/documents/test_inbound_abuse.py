"""Issue 12: nobody can make the site mail a third party, and the mailto: unsubscribe works.

Real moto S3/SES, SNS messages signed with the tests' own certificate (tests/sns.py)."""

import json
import uuid
from urllib.parse import unquote, urlsplit

import pytest
from django.utils import timezone

from documents.models import DocumentRequest, InboundMail, RequestStatus
from tests.documents.conftest import INBOUND_URL, mails_to

pytestmark = pytest.mark.django_db

ASK = "Référentiel d'ambitions partagées, SVP"


# --- 12.1: only a proven From: is answered -------------------------------------------------------


@pytest.mark.parametrize(
    ("auth", "headers"),
    [
        # The attacker's own domain passes SPF and DKIM; DMARC (for From:) fails.
        ({"spf": "PASS", "dkim": "PASS", "dmarc": "FAIL", "source": "x@evil.example"}, {}),
        # No DMARC policy for the victim's domain, SPF passes for the attacker's envelope.
        ({"spf": "PASS", "dkim": "FAIL", "dmarc": "GRAY", "source": "x@evil.example"}, {}),
        # DKIM passes, but for the attacker's signing domain.
        (
            {"spf": "FAIL", "dkim": "PASS", "dmarc": "GRAY", "source": "x@evil.example"},
            {"DKIM_Signature": "v=1; a=rsa-sha256; d=evil.example; s=k; h=from; bh=x; b=y"},
        ),
        ({"spf": "FAIL", "dkim": "FAIL", "dmarc": None}, {}),
    ],
    ids=["dmarc-fail", "spf-not-aligned", "dkim-not-aligned", "nothing-passes"],
)
def test_a_forged_from_gets_no_link_and_waits_for_staff(
    client, inbound, ses, referentiel_on_request, auth, headers
):
    mail = inbound.mail(subject=ASK, sender="Victime <victime@example.org>", **headers)
    assert inbound.post(client, inbound.notification(mail, **auth)).status_code == 200
    request = DocumentRequest.objects.get()
    assert request.status == RequestStatus.QUEUED
    assert "non prouvé" in request.refusal_reason
    assert mails_to(ses, "victime@example.org") == []
    [staff] = mails_to(ses, "equipe@example.org")
    assert "non prouvé" in staff.get_body(("plain",)).get_content()


def test_a_dkim_signature_of_another_domain_beside_an_aligned_one_is_not_proof(
    client, inbound, ses, referentiel_on_request
):
    mail = inbound.mail(subject=ASK, sender="victime@example.org")
    mail["DKIM-Signature"] = "v=1; d=example.org; s=k; b=forged"
    mail["DKIM-Signature"] = "v=1; d=evil.example; s=k; b=valid"
    message = inbound.notification(mail, spf="FAIL", dkim="PASS", dmarc="GRAY")
    assert inbound.post(client, message).status_code == 200
    assert DocumentRequest.objects.get().status == RequestStatus.QUEUED
    assert mails_to(ses, "victime@example.org") == []


@pytest.mark.parametrize(
    ("auth", "headers"),
    [
        ({"spf": "FAIL", "dkim": "FAIL", "dmarc": "PASS", "source": "x@evil.example"}, {}),
        ({"spf": "PASS", "dkim": "FAIL", "dmarc": "GRAY", "source": "rebond@mail.example.org"}, {}),
        (
            {"spf": "FAIL", "dkim": "PASS", "dmarc": "GRAY", "source": "x@evil.example"},
            {"DKIM_Signature": "v=1; a=rsa-sha256; d=example.org; s=k; h=from; bh=x; b=y"},
        ),
    ],
    ids=["dmarc-pass", "spf-aligned", "dkim-aligned"],
)
def test_a_proven_sender_gets_the_link(client, inbound, ses, referentiel_on_request, auth, headers):
    mail = inbound.mail(subject=ASK, sender="Jeanne <jeanne@example.org>", **headers)
    assert inbound.post(client, inbound.notification(mail, **auth)).status_code == 200
    assert DocumentRequest.objects.get().status == RequestStatus.SENT
    assert len(mails_to(ses, "jeanne@example.org")) == 1


# --- 12.2: caps per sender domain and for the site; one mailbox whatever its spelling ----------


def test_automatic_links_are_capped_per_domain_and_for_the_site(
    client, inbound, ses, referentiel_on_request, settings
):
    settings.DOCUMENTS_AUTO_MAIL_PER_DOMAIN_PER_HOUR = 2
    settings.DOCUMENTS_AUTO_MAIL_PER_HOUR = 3
    senders = ["a@example.org", "b@example.org", "c@example.org", "d@autre.fr", "e@troisieme.fr"]
    for sender in senders:
        mail = inbound.mail(subject=ASK, sender=sender)
        message = inbound.notification(mail, source=sender)
        assert inbound.post(client, message).status_code == 200
    outcome = {r.email: (r.status, r.refusal_reason) for r in DocumentRequest.objects.all()}
    assert outcome["a@example.org"][0] == RequestStatus.SENT
    assert outcome["b@example.org"][0] == RequestStatus.SENT
    assert outcome["c@example.org"][0] == RequestStatus.QUEUED
    assert "domaine example.org" in outcome["c@example.org"][1]
    assert outcome["d@autre.fr"][0] == RequestStatus.SENT
    assert outcome["e@troisieme.fr"][0] == RequestStatus.QUEUED
    assert "plafond du site" in outcome["e@troisieme.fr"][1]
    answered = {str(m["To"]) for m in ses.messages()} - {"equipe@example.org"}
    assert answered == {"a@example.org", "b@example.org", "d@autre.fr"}


def test_form_links_count_towards_the_caps(client, ses, referentiel_on_request, settings):
    settings.DOCUMENTS_AUTO_MAIL_PER_HOUR = 1
    url = f"/ressources/demande/{referentiel_on_request.pk}/"
    form = {"name": "J", "profile": "habitant", "purpose": "Lire", "consent": "on"}
    for email in ("un@example.org", "deux@autre.fr"):
        assert client.post(url, {**form, "email": email}).status_code == 302
    first, second = DocumentRequest.objects.order_by("pk")
    assert first.status == RequestStatus.SENT
    assert second.status == RequestStatus.QUEUED and "plafond" in second.refusal_reason
    assert mails_to(ses, "deux@autre.fr") == []


def test_tag_and_dotted_variants_are_one_address(client, inbound, ses, referentiel_on_request):
    for sender in ("jeanne.martin@example.org", "JeanneMartin+docs@example.org"):
        mail = inbound.mail(subject=ASK, sender=sender)
        assert inbound.post(client, inbound.notification(mail, source=sender)).status_code == 200
    first, second = DocumentRequest.objects.order_by("pk")
    assert first.status == RequestStatus.SENT
    assert second.status == RequestStatus.REFUSED and "aujourd'hui" in second.refusal_reason
    assert len([m for m in ses.messages() if "equipe" not in str(m["To"])]) == 1


def test_form_rate_limit_counts_variants_of_one_mailbox(client, ses, referentiel_on_request):
    url = f"/ressources/demande/{referentiel_on_request.pk}/"
    form = {"name": "J", "profile": "habitant", "purpose": "Lire", "consent": "on"}
    variants = [
        "marie.dupont@example.org",
        "mariedupont+1@example.org",
        "Marie.Dupont+2@example.org",
    ]
    for index, email in enumerate(variants):
        response = client.post(url, {**form, "email": email}, REMOTE_ADDR=f"192.0.2.{index}")
        assert response.status_code == 302
    response = client.post(url, {**form, "email": "m.a.r.i.e.dupont+x@example.org"})
    assert response.status_code == 429
    assert DocumentRequest.objects.count() == 3


# --- 12.3: the List-Unsubscribe mailto: unsubscribes -------------------------------------------


def _unsubscribe_mailto(subscriber_id: int) -> tuple[str, str]:
    from mailing.audience.tokens import personal_unsubscribe

    header = personal_unsubscribe(subscriber_id)[1]["List-Unsubscribe"]
    mailto = next(part.strip(" <>") for part in header.split(",") if "mailto:" in part)
    parts = urlsplit(mailto)
    subject = unquote(parts.query.split("subject=", 1)[1])
    return parts.path, subject


@pytest.fixture
def subscriber(db):
    from mailing.models import Subscriber

    now = timezone.now()
    return Subscriber.objects.create(
        email="abonne@example.net",
        status=Subscriber.Status.CONFIRMED,
        consent_at=now,
        confirmed_at=now,
        consent_text_version="test",
    )


@pytest.mark.parametrize("dedicated", [False, True], ids=["sender-address", "dedicated-address"])
def test_a_mail_to_the_unsubscribe_address_unsubscribes_at_once(
    client, inbound, ses, subscriber, settings, dedicated, django_user_model
):
    if dedicated:
        settings.MAILING_UNSUBSCRIBE_MAILTO = "desabonnement@renouveaubassinminier.fr"
    address, subject = _unsubscribe_mailto(subscriber.pk)
    # What a mail client sends for the mailto:, from a provider without DMARC alignment.
    mail = inbound.mail(subject=subject, body="", sender="abonne@example.net")
    message = inbound.notification(
        mail, spf="FAIL", dkim="FAIL", dmarc="FAIL", recipients=[address]
    )
    assert inbound.post(client, message).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == subscriber.Status.UNSUBSCRIBED
    assert ses.messages() == []  # never answered
    assert not DocumentRequest.objects.exists()
    assert InboundMail.objects.get().route == "unsubscribe"
    # Staff see what became of the mail.
    staff = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "pw")
    client.force_login(staff)
    listing = client.get("/admin/site_documents/inboundmail/").content.decode()
    assert "unsubscribe" in listing and "désabonné" in listing


def test_a_forged_unsubscribe_token_changes_nothing_and_is_not_answered(
    client, inbound, ses, subscriber, settings
):
    settings.MAILING_UNSUBSCRIBE_MAILTO = "desabonnement@renouveaubassinminier.fr"
    address, subject = _unsubscribe_mailto(subscriber.pk)
    forged = subject[:-3] + ("aaa" if not subject.endswith("aaa") else "bbb")
    mail = inbound.mail(subject=forged, sender="abonne@example.net")
    assert inbound.post(client, inbound.notification(mail, recipients=[address])).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == subscriber.Status.CONFIRMED
    request = DocumentRequest.objects.get()
    assert request.status == RequestStatus.QUEUED and "désabonnement" in request.refusal_reason
    assert mails_to(ses, "abonne@example.net") == []


# --- 12.4: the SNS endpoint answers at once, once, and refuses replays and huge bodies ---------


def test_the_endpoint_answers_at_once_and_a_task_handles_the_mail_once(
    client, inbound, ses, referentiel_on_request
):
    from documents.tasks import process_inbound_mail

    inbound.queued_tasks()
    ses_id = uuid.uuid4().hex
    message = inbound.notification(inbound.mail(subject=ASK), ses_id=ses_id)
    for _ in range(2):  # SNS delivers at least once
        assert inbound.post(client, message).status_code == 200
    # The same SES mail through another SNS notification.
    again = inbound.notification(inbound.mail(subject=ASK), ses_id=ses_id)
    assert inbound.post(client, again).status_code == 200

    [recorded] = InboundMail.objects.all()
    assert recorded.status == InboundMail.Status.RECEIVED
    assert not DocumentRequest.objects.exists() and ses.messages() == []

    from django_tasks_db.models import DBTaskResult

    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"] == [recorded.pk]
    process_inbound_mail.call(recorded.pk)  # what the worker runs
    process_inbound_mail.call(recorded.pk)  # a second run changes nothing
    assert DocumentRequest.objects.get().status == RequestStatus.SENT
    assert len(mails_to(ses, "jeanne@example.org")) == 1
    recorded.refresh_from_db()
    assert recorded.status == InboundMail.Status.DONE


def test_a_replayed_notification_is_refused(client, inbound, ses, referentiel_on_request, sns):
    message = inbound.notification(inbound.mail(subject=ASK))
    old = (timezone.now() - timezone.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    replay = sns.sign({k: v for k, v in message.items() if k != "Signature"} | {"Timestamp": old})
    assert inbound.post(client, replay).status_code == 403
    assert not InboundMail.objects.exists() and ses.messages() == []


@pytest.mark.parametrize("url", [INBOUND_URL, "/lettre/ses-notifications/"])
def test_bodies_larger_than_any_sns_message_are_refused_unread(client, inbound, settings, url):
    settings.MAILING_SNS_TOPIC_ARNS = [inbound.bucket]
    body = json.dumps({"Type": "Notification", "Message": "x" * (300 * 1024)})
    response = client.post(url, data=body, content_type="text/plain")
    assert response.status_code == 413
    assert not InboundMail.objects.exists()


def test_records_of_received_mail_are_purged_with_the_requests():
    from documents.retention import purge_old_requests

    old = InboundMail.objects.create(
        sns_message_id="ancien",
        ses_message_id="ancien",
        payload="{}",
        received_at=timezone.now() - timezone.timedelta(days=400),
    )
    recent = InboundMail.objects.create(
        sns_message_id="recent", ses_message_id="recent", payload="{}"
    )
    purge_old_requests()
    assert list(InboundMail.objects.all()) == [recent]
    assert not InboundMail.objects.filter(pk=old.pk).exists()
