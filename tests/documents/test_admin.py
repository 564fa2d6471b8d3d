"""Staff lists: requests with filters and CSV export, counts per document, one-click sending."""

import pytest
from django.urls import reverse

from documents.models import DocumentRequest, RequestSource, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "x")
    client.force_login(user)
    return client


@pytest.fixture
def requests_made(make_document, library):
    ref = make_document("Référentiel", on_request=True)
    cahier = make_document("Cahier technique")
    made = [
        DocumentRequest.objects.create(
            document=ref,
            email="a@example.org",
            source=RequestSource.FORM,
            status=RequestStatus.SENT,
            download_count=2,
        ),
        DocumentRequest.objects.create(
            document=ref,
            email="b@example.org",
            source=RequestSource.EMAIL,
            status=RequestStatus.SENT,
            download_count=1,
        ),
        DocumentRequest.objects.create(
            document=None,
            email="c@example.org",
            source=RequestSource.EMAIL,
            status=RequestStatus.QUEUED,
            mail_subject="Le plan de la cité ?",
        ),
    ]
    return ref, cahier, made


def test_request_list_filters_and_csv_export(staff_client, requests_made):
    index = reverse("site_documents_documentrequest_modeladmin_index")
    html = staff_client.get(index).content.decode()
    assert "a@example.org" in html and "c@example.org" in html
    assert "Envoyer un document" in html  # the queued request offers the one-click action
    html = staff_client.get(index, {"status__exact": "queued"}).content.decode()
    assert "c@example.org" in html and "a@example.org" not in html
    response = staff_client.get(index, {"export": "csv"})
    assert response.status_code == 200
    csv = b"".join(response.streaming_content).decode()
    assert csv.count("\n") >= 4 and "b@example.org" in csv and "Référentiel" in csv


def test_counts_per_document(staff_client, requests_made):
    ref, cahier, _ = requests_made
    index = reverse("site_documents_librarydocument_modeladmin_index")
    response = staff_client.get(index, {"export": "csv"})
    # The site's one CSV writer (renouveau.csv_export): BOM, « ; » between cells.
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert any(row.startswith("Référentiel;") and row.endswith(";2;2;3") for row in rows), rows
    assert any(row.startswith("Cahier technique;") and row.endswith(";0;0;0") for row in rows), rows


def test_one_click_sends_the_chosen_document(staff_client, ses, requests_made):
    ref, _, made = requests_made
    queued = made[2]
    url = reverse("site_documents_send_document", args=[queued.pk])
    html = staff_client.get(url).content.decode()
    assert "Le plan de la cité ?" in html and f'value="{ref.pk}"' in html
    response = staff_client.post(url, {"document": ref.pk})
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == RequestStatus.SENT and queued.document == ref
    [message] = ses.messages()
    assert message["To"] == "c@example.org"
    assert "/ressources/telecharger/" in message.get_body(preferencelist=("plain",)).get_content()


def test_staff_pages_need_permission(client, django_user_model, requests_made):
    user = django_user_model.objects.create_user("visiteur", "v@example.org", "x")
    client.force_login(user)
    queued = requests_made[2][2]
    url = reverse("site_documents_send_document", args=[queued.pk])
    assert client.post(url, {"document": requests_made[0].pk}).status_code in (302, 403)
    queued.refresh_from_db()
    assert queued.status == RequestStatus.QUEUED


def test_old_requests_are_purged(requests_made):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    old = requests_made[2][0]
    DocumentRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    call_command("purge_document_requests", verbosity=0)
    assert not DocumentRequest.objects.filter(pk=old.pk).exists()
    assert DocumentRequest.objects.count() == 2


def test_wagtail_document_form_has_the_library_fields(staff_client, requests_made):
    ref = requests_made[0]
    html = staff_client.get(f"/admin/documents/edit/{ref.pk}/").content.decode()
    for field in ("kind", "date", "theme", "availability", "keywords", "related_pages"):
        assert f'name="{field}"' in html
