"""Issue 11 item 7: transactional mail (renouveau.mail) retries transient SES errors and records
lasting failures on the document request, where staff see them. Real moto SES behind a proxy
that misbehaves on demand (tests/mailing/ses_proxy.py)."""

import pytest

from documents.models import DocumentRequest, RequestStatus
from tests.mailing.ses_proxy import FlakySES

pytestmark = pytest.mark.django_db

FORM = {"name": "J", "profile": "habitant", "purpose": "Lire", "consent": "on"}


@pytest.fixture
def flaky_ses(ses, monkeypatch, settings):
    proxy = FlakySES(ses.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
    # botocore's own retries off: what is counted is renouveau.mail's.
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    settings.MAIL_RETRY_BASE_DELAY = 0
    yield proxy
    proxy.stop()


@pytest.fixture
def document_form(make_document, library):
    document = make_document("Cahier technique", on_request=True)
    return f"/ressources/demande/{document.pk}/"


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "pw")
    return user


def test_throttling_and_5xx_are_retried_and_the_link_arrives(client, flaky_ses, ses, document_form):
    flaky_ses.failures = [
        (400, "TooManyRequestsException", "Maximum sending rate exceeded."),
        (503, "ServiceUnavailable", "Service unavailable."),
    ]
    response = client.post(document_form, {**FORM, "email": "jeanne@example.org"})
    assert response.status_code == 302
    assert flaky_ses.failures == [] and flaky_ses.requests == 3
    assert DocumentRequest.objects.get().status == RequestStatus.SENT
    assert [str(m["To"]) for m in ses.messages()] == ["jeanne@example.org"]


def test_attempts_are_bounded_and_the_failure_is_shown_to_staff(
    client, flaky_ses, ses, document_form, settings, staff
):
    settings.MAIL_SEND_ATTEMPTS = 3
    flaky_ses.failures = [(503, "ServiceUnavailable", "Service unavailable.")] * 5
    assert client.post(document_form, {**FORM, "email": "jeanne@example.org"}).status_code == 302
    assert len(flaky_ses.failures) == 2  # three attempts, no more
    request = DocumentRequest.objects.get()
    assert request.status == RequestStatus.FAILED
    assert request.mail_error.startswith("ServiceUnavailable") and request.mail_error_at
    client.force_login(staff)
    listing = client.get("/admin/site_documents/documentrequest/").content.decode()
    assert "Échec de l&#x27;envoi" in listing or "Échec de l'envoi" in listing
    assert "ServiceUnavailable" in listing


def test_a_rejected_send_is_not_retried_and_is_recorded(
    client, flaky_ses, ses, document_form, settings
):
    settings.DEFAULT_FROM_EMAIL = "Renouveau <pas-verifie@renouveaubassinminier.fr>"
    assert client.post(document_form, {**FORM, "email": "jeanne@example.org"}).status_code == 302
    assert flaky_ses.requests == 1  # MessageRejected is permanent: one attempt
    request = DocumentRequest.objects.get()
    assert request.status == RequestStatus.FAILED
    assert request.mail_error.startswith("MessageRejected")


def test_a_failed_staff_notification_is_recorded_on_the_request(
    client, flaky_ses, ses, document_form, settings
):
    settings.DOCUMENTS_STAFF_NOTIFY = ["equipe@example.org"]
    flaky_ses.reject_containing = "equipe@example.org"
    assert client.post(document_form, {**FORM, "email": "jeanne@example.org"}).status_code == 302
    request = DocumentRequest.objects.get()
    assert request.status == RequestStatus.SENT  # the visitor's link went out
    assert request.mail_error.startswith("Notification de l'équipe : MessageRejected")
