"""Requests by e-mail: SES stores the mail in S3 (moto) and announces it over SNS (our cert)."""

import json
import uuid

import pytest

from documents.inbound import match_document
from documents.models import DocumentRequest, RequestStatus

pytestmark = pytest.mark.django_db

URL = "/ressources/ses-entrant/"


def mails_to(ses, address):
    return [m for m in ses.messages() if address in m["To"]]


def test_recognised_request_gets_the_link_automatically(client, inbound, ses, referentiel):
    mail = inbound.mail(
        subject="Demande du referentiel",
        body="Bonjour, pourriez-vous m'envoyer le référentiel d'ambitions partagées ? Merci.",
    )
    response = inbound.post(client, inbound.notification(mail))
    assert response.status_code == 200
    request = DocumentRequest.objects.get()
    assert request.status == RequestStatus.SENT and request.document == referentiel
    assert request.email == "jeanne@example.org"
    assert request.mail_s3_key.startswith(inbound.bucket)
    [answer] = mails_to(ses, "jeanne@example.org")
    text = answer.get_body(preferencelist=("plain",)).get_content()
    assert "/ressources/telecharger/" in text
    assert "pourriez-vous" not in text  # nothing of the incoming mail is echoed
    assert answer["Auto-Submitted"] == "auto-replied"
    assert len(mails_to(ses, "equipe@example.org")) == 1


def test_endpoint_needs_no_csrf_token(inbound, ses, referentiel):
    from django.test import Client

    mail = inbound.mail(subject="Référentiel d'ambitions partagées")
    response = inbound.post(Client(enforce_csrf_checks=True), inbound.notification(mail))
    assert response.status_code == 200


def test_unrecognised_request_is_queued_for_staff(client, inbound, ses, referentiel):
    mail = inbound.mail(subject="Question", body="Bonjour, avez-vous le plan de la cité ?")
    assert inbound.post(client, inbound.notification(mail)).status_code == 200
    request = DocumentRequest.objects.get()
    assert request.status == RequestStatus.QUEUED and request.document is None
    assert "plan de la cité" in request.mail_excerpt
    assert mails_to(ses, "jeanne@example.org") == []
    assert len(mails_to(ses, "equipe@example.org")) == 1


@pytest.mark.parametrize(
    ("headers", "sender", "auth", "reason"),
    [
        ({"Auto_Submitted": "auto-replied"}, None, {}, "Auto-Submitted"),
        ({"Precedence": "bulk"}, None, {}, "Precedence"),
        ({"Precedence": "list"}, None, {}, "Precedence"),
        ({"X_Autoreply": "yes"}, None, {}, "automatique"),
        ({}, "MAILER-DAEMON@example.org", {}, "expéditeur automatique"),
        ({}, "contact@renouveaubassinminier.fr", {}, "adresse du site"),
    ],
)
def test_loops_and_forgeries_get_no_answer(
    client, inbound, ses, referentiel, headers, sender, auth, reason
):
    kwargs = {"sender": sender} if sender else {}
    mail = inbound.mail(subject="Référentiel d'ambitions partagées", **kwargs, **headers)
    assert inbound.post(client, inbound.notification(mail, **auth)).status_code == 200
    request = DocumentRequest.objects.get()
    assert request.status == RequestStatus.REFUSED
    assert reason in request.refusal_reason
    assert ses.messages() == []


def test_one_auto_reply_per_address_and_document_per_day(client, inbound, ses, referentiel):
    for _ in range(2):
        mail = inbound.mail(subject="Référentiel d'ambitions partagées, SVP")
        assert inbound.post(client, inbound.notification(mail)).status_code == 200
    first, second = DocumentRequest.objects.order_by("pk")
    assert first.status == RequestStatus.SENT
    assert second.status == RequestStatus.REFUSED and "aujourd'hui" in second.refusal_reason
    assert len(mails_to(ses, "jeanne@example.org")) == 1


def test_the_same_mail_delivered_twice_is_handled_once(client, inbound, ses, referentiel):
    mail = inbound.mail(subject="Référentiel d'ambitions partagées")
    key = f"inbound/{uuid.uuid4().hex}"
    for _ in range(2):
        assert inbound.post(client, inbound.notification(mail, key=key)).status_code == 200
    assert DocumentRequest.objects.count() == 1
    assert len(mails_to(ses, "jeanne@example.org")) == 1


def test_forged_or_unexpected_notifications_are_refused(client, inbound, ses, referentiel, sns):
    message = inbound.notification(inbound.mail(subject="Référentiel d'ambitions partagées"))
    tampered = {**message, "Message": message["Message"].replace("inbound-", "other-")}
    assert inbound.post(client, tampered).status_code == 403
    other_topic = sns.notification("{}", topic_arn="arn:aws:sns:eu-west-3:1:autre")
    assert inbound.post(client, other_topic).status_code == 403
    assert client.post(URL, data="pas du json", content_type="text/plain").status_code == 403
    assert client.get(URL).status_code == 405
    # Signed, but pointing at a bucket the site does not read.
    payload = json.loads(message["Message"])
    payload["receipt"]["action"]["bucketName"] = "someone-elses-bucket"
    assert inbound.post(client, sns.notification(payload)).status_code == 400
    assert not DocumentRequest.objects.exists()
    assert ses.messages() == []


def test_subscription_confirmation_is_confirmed(client, inbound, sns):
    response = inbound.post(client, sns.subscription_confirmation())
    assert response.status_code == 200
    assert any(path.startswith("/confirm?") for path in sns.requests)


def test_endpoint_is_off_until_topics_are_configured(client, settings, sns):
    settings.DOCUMENTS_INBOUND_TOPIC_ARNS = []
    message = sns.notification("{}")
    response = client.post(URL, data=json.dumps(message), content_type="text/plain")
    assert response.status_code == 404


def test_match_document(make_document):
    ref = make_document("Référentiel d'ambitions partagées", keywords="référentiel, ambitions")
    cahier = make_document(
        "Accompagner les habitants au changement", keywords="cahier technique, habitants"
    )
    assert match_document("Je voudrais le REFERENTIEL d'ambitions partagees") == ref
    assert match_document("Le cahier technique svp") == cahier
    assert match_document("Accompagner les habitants au changement, et le référentiel") == cahier
    assert match_document("Bonjour, le plan de la cité") is None
    # One keyword each: ambiguous, so staff decide.
    assert match_document("référentiel ou cahier technique ?") is None
