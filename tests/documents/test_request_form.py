"""Requesting an on-request document through the form: the mail, its link, and abuse handling."""

import re

import pytest

from documents.models import DocumentRequest, RequestStatus
from mailing.models import Subscriber
from tests.typography import as_typed

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Jeanne Martin",
    "email": "Jeanne.Martin@example.org",
    "organisation": "Conseil citoyen Cuvinot",
    "profile": "habitant",
    "purpose": "Préparer la réunion du conseil citoyen http://spam.example",
    "consent": "on",
}


@pytest.fixture
def referentiel(make_document, library):
    return make_document("Référentiel d'ambitions partagées", on_request=True)


def form_url(document) -> str:
    return f"/ressources/demande/{document.pk}/"


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http\S+/ressources/telecharger/\S+/", text).group(0)


def test_form_is_labelled_and_newsletter_box_unchecked(client, referentiel):
    response = client.get(form_url(referentiel))
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("name", "email", "organisation", "profile", "purpose", "consent", "newsletter"):
        assert f'for="id_{field}"' in html
    assert re.search(r'<input type="checkbox" name="newsletter"[^>]*>', html)
    assert "checked" not in re.search(r'<input type="checkbox" name="newsletter"[^>]*>', html)[0]


def test_valid_request_mails_a_personal_link_without_the_visitor_text(client, ses, referentiel):
    response = client.post(form_url(referentiel), VALID)
    assert response.status_code == 302
    assert response["Location"] == f"{form_url(referentiel)}?envoye=1"
    assert "vous allez recevoir" in client.get(response["Location"]).content.decode()

    [message] = ses.messages()
    assert message["To"] == "jeanne.martin@example.org"
    assert "Référentiel d'ambitions partagées" in message["Subject"]
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(preferencelist=("plain",)).get_content()
    for free_text in ("Jeanne", "Cuvinot", "spam.example", "conseil citoyen"):
        assert free_text not in text
    assert "7 téléchargement" not in as_typed(text) and "5 téléchargements" in as_typed(text)

    request = DocumentRequest.objects.get()
    assert request.status == RequestStatus.SENT
    assert request.consent_at is not None and not request.newsletter_requested
    assert request.sent_message_id
    # The link in the mail opens the download page of that document.
    path = link_in(message).split("127.0.0.1:8000", 1)[1]
    assert "Télécharger le document" in client.get(path).content.decode()


def test_invalid_form_answers_in_french_and_sends_nothing(client, ses, referentiel):
    response = client.post(
        form_url(referentiel), {**VALID, "email": "pas-une-adresse", "consent": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une adresse e-mail valide" in as_typed(html)
    assert "Cochez la case pour accepter la conservation de vos coordonnées" in html
    assert 'aria-invalid="true"' in html
    assert ses.messages() == []
    assert not DocumentRequest.objects.exists()


def test_honeypot_gets_the_same_answer_and_no_mail(client, ses, referentiel):
    response = client.post(form_url(referentiel), {**VALID, "website": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"].endswith("?envoye=1")
    assert ses.messages() == []
    assert not DocumentRequest.objects.exists()


def test_known_and_unknown_addresses_get_the_same_answer(client, ses, referentiel):
    first = client.post(form_url(referentiel), VALID)
    second = client.post(form_url(referentiel), {**VALID, "email": "inconnu@example.org"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_rate_limit_per_address(client, ses, referentiel):
    statuses = [
        client.post(form_url(referentiel), VALID, REMOTE_ADDR=f"192.0.2.{i}").status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert "Trop de demandes" in client.post(form_url(referentiel), VALID).content.decode()
    assert len(ses.messages()) == 3


def test_rate_limit_per_ip(client, ses, referentiel):
    statuses = [
        client.post(form_url(referentiel), {**VALID, "email": f"p{i}@example.org"}).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


def test_public_or_unknown_documents_have_no_form(client, make_document, library):
    public = make_document("Cahier technique")
    assert client.get(form_url(public)).status_code == 404
    assert client.get("/ressources/demande/999999/").status_code == 404


def test_newsletter_box_starts_the_double_opt_in(client, ses, referentiel, settings):
    # The subscription is recorded by a task (mailing.audience.subscriptions.record_subscription).
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }
    # A profile only the document form used to offer is kept by the newsletter (one list).
    response = client.post(
        form_url(referentiel), {**VALID, "profile": "etudiant", "newsletter": "on"}
    )
    assert response.status_code == 302
    assert DocumentRequest.objects.get().newsletter_requested
    # The mailing app's double opt-in: a pending subscriber whose confirmation mail is queued.
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "jeanne.martin@example.org"
    assert subscriber.status == "pending"
    assert subscriber.profile == "etudiant"
    assert subscriber.consent_source == "demande-de-document"
    subjects = [str(m["Subject"]) for m in ses.messages()]
    assert any("Confirmez votre abonnement" in subject for subject in subjects)
