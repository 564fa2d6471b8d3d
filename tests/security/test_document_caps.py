"""Issue 26 item 5: per-IP limits come before the per-domain cap of automatic document links
(one visitor cannot use up orange.fr's hour), and a held request is told the truth."""

import pytest

from documents.models import DocumentRequest, RequestStatus
from tests.documents.conftest import clear_cache, library, make_document  # noqa: F401

pytestmark = pytest.mark.django_db

FORM = {"name": "J", "profile": "habitant", "purpose": "Lire", "consent": "on"}


@pytest.fixture
def url(make_document, library):  # noqa: F811
    document = make_document("Référentiel d'ambitions partagées", on_request=True)
    return f"/ressources/demande/{document.pk}/"


def test_one_visitor_cannot_use_up_a_mail_domain(client, ses, url, settings):
    settings.DOCUMENTS_AUTO_MAIL_PER_DOMAIN_PER_HOUR = 10
    for index in range(10):  # the form's own limit: 10 attempts per IP per hour
        data = {**FORM, "email": f"victime{index}@orange.fr"}
        assert client.post(url, data, REMOTE_ADDR="198.51.100.66").status_code == 302
    sent = DocumentRequest.objects.filter(status=RequestStatus.SENT).count()
    assert sent == settings.DOCUMENTS_AUTO_MAIL_PER_IP_PER_HOUR < 10
    # A real orange.fr user, elsewhere, still gets the link at once.
    response = client.post(url, {**FORM, "email": "vraie@orange.fr"}, REMOTE_ADDR="203.0.113.5")
    assert response["Location"].endswith("?envoye=1")
    assert [m["To"] for m in ses.messages()][-1] == "vraie@orange.fr"


def test_a_held_request_is_told_so(client, ses, url, settings):
    settings.DOCUMENTS_AUTO_MAIL_PER_IP_PER_HOUR = 1
    client.post(url, {**FORM, "email": "un@example.org"})
    response = client.post(url, {**FORM, "email": "deux@example.org"})
    assert response["Location"].endswith("?envoye=attente")
    page = client.get(response["Location"]).content.decode()
    assert "vous allez recevoir dans quelques minutes" not in page
    assert "Notre équipe la vérifie" in page
    held = DocumentRequest.objects.get(email="deux@example.org")
    assert held.status == RequestStatus.QUEUED and "adresse IP" in held.refusal_reason
