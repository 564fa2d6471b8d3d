"""The personal download link: valid, expired, tampered, used up; local and S3 storage."""

import time
import urllib.error
import urllib.request

import boto3
import pytest
from django.core import signing
from django.core.files.base import ContentFile

from documents.links import SALT, make_token
from documents.models import DocumentRequest, RequestSource, RequestStatus
from tests.typography import as_typed

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4\n% le referentiel\n%%EOF\n"


@pytest.fixture
def document_request(make_document, library):
    document = make_document("Référentiel", on_request=True, content=CONTENT)
    return DocumentRequest.objects.create(
        document=document,
        email="jeanne@example.org",
        source=RequestSource.FORM,
        status=RequestStatus.SENT,
    )


def link(request: DocumentRequest) -> str:
    return f"/ressources/telecharger/{make_token(request)}/"


def test_get_shows_the_document_without_using_the_link(client, document_request):
    for _ in range(3):  # mail scanners opening the link do not use it up
        response = client.get(link(document_request))
        assert response.status_code == 200
    assert "Télécharger le document" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    document_request.refresh_from_db()
    assert document_request.download_count == 0


def test_post_delivers_the_file_and_counts_one_use(client, document_request):
    response = client.post(link(document_request))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    # Saved under a name made from the title, not the stored file's name.
    assert response["Content-Disposition"] == 'attachment; filename="referentiel.pdf"'
    document_request.refresh_from_db()
    assert document_request.download_count == 1 and document_request.last_download_at


def test_document_files_are_out_of_reach_of_the_media_url(rf, document_request, settings):
    """The /media/ view of `make run` and `make serve-prod` serves MEDIA_ROOT: the document
    is not there, so the personal link is the only way to it."""
    from pathlib import Path

    from django.http import Http404
    from django.views.static import serve

    document = document_request.document
    stored = Path(document.file.path)
    assert stored.read_bytes() == CONTENT
    assert Path(settings.MEDIA_ROOT).resolve() not in stored.resolve().parents
    with pytest.raises(Http404):
        serve(rf.get("/"), document.file.name, document_root=settings.MEDIA_ROOT)


def test_link_is_refused_once_used_up(client, document_request, settings):
    settings.DOCUMENTS_LINK_MAX_USES = 2
    url = link(document_request)
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200
    for response in (client.post(url), client.get(url)):
        assert response.status_code == 410
        html = response.content.decode()
        assert "Ce lien a déjà servi" in html
        assert "Demander à nouveau un document" in html
        assert not hasattr(response, "streaming_content")


def test_expired_link_is_refused(client, document_request, monkeypatch):
    eight_days_ago = time.time() - 8 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    url = link(document_request)
    monkeypatch.undo()
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        assert "Ce lien a expiré" in response.content.decode()
    document_request.refresh_from_db()
    assert document_request.download_count == 0


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        signing.dumps(1, salt="another-salt"),
        signing.dumps(999999, salt=SALT),  # well signed, but no such request
    ],
)
def test_tampered_or_unknown_links_are_refused(client, document_request, token):
    for response in (
        client.get(f"/ressources/telecharger/{token}/"),
        client.post(f"/ressources/telecharger/{token}/"),
    ):
        assert response.status_code == 404
        assert "Ce lien n'est pas valide" in as_typed(response.content.decode())


def test_link_with_a_changed_request_id_is_refused(client, document_request):
    token = make_token(document_request)
    forged = (
        signing.dumps(document_request.pk + 1, salt=SALT).split(":", 1)[0]
        + token[token.index(":") :]
    )
    assert client.get(f"/ressources/telecharger/{forged}/").status_code == 404


@pytest.fixture
def s3_storage(s3_media):
    return s3_media


def test_s3_round_trip_and_presigned_redirect(client, s3_storage, make_document, library):
    document = make_document("Référentiel", on_request=True, content=CONTENT)
    listing = boto3.client("s3", region_name="eu-west-3").list_objects_v2(Bucket=s3_storage)
    # The file really is in the bucket, under the private prefix.
    assert [obj["Key"] for obj in listing["Contents"]] == [f"private/{document.file.name}"]
    # Nobody reaches it without a presigned URL (the bucket policy opens public/ only).
    bare_url = document.file.storage.url(document.file.name).split("?")[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bare_url, timeout=10)  # noqa: S310
    assert refused.value.code == 403
    request = DocumentRequest.objects.create(
        document=document, email="a@example.org", source="form", status="sent"
    )
    page = client.get(link(request))
    response = client.post(link(request))
    assert response.status_code == 303
    presigned = response["Location"]
    # Browsers apply the page's form-action to the POST's redirect: the bucket is allowed.
    bucket_origin = "/".join(presigned.split("/")[:3])
    form_action = next(
        part for part in page["Content-Security-Policy"].split(";") if "form-action" in part
    )
    assert "'self'" in form_action and bucket_origin in form_action.split()
    assert s3_storage in presigned and "Signature" in presigned and "Expires=" in presigned
    assert "response-content-disposition=attachment" in presigned
    assert "referentiel.pdf" in presigned and "document" not in presigned.split("?")[1]
    with urllib.request.urlopen(presigned, timeout=10) as download:  # noqa: S310
        assert download.read() == CONTENT
    # An expired or used-up site link never reaches S3.
    request.download_count = 99
    request.save()
    response = client.post(link(request))
    assert response.status_code == 410 and "Location" not in response


def test_a_document_whose_file_is_missing_does_not_use_up_the_link(
    client, document_request, caplog
):
    """The file gone from storage (a restore without it): the visitor gets a French page and a
    503, not a 500; the use is not counted, so the same link works once the file is back; the
    error is logged with the document, without the requester's address."""
    document = document_request.document
    document.file.storage.delete(document.file.name)
    with caplog.at_level("ERROR", logger="documents.views"):
        response = client.post(link(document_request))
    assert response.status_code == 503
    assert "Ce document est momentanément indisponible" in as_typed(response.content.decode())
    document_request.refresh_from_db()
    assert document_request.download_count == 0
    [record] = [r for r in caplog.records if r.name == "documents.views"]
    assert record.levelname == "ERROR" and f"Document {document.pk}" in record.getMessage()
    assert "jeanne@example.org" not in record.getMessage()

    document.file.storage.save(document.file.name, ContentFile(CONTENT))  # back
    response = client.post(link(document_request))
    assert response.status_code == 200 and b"".join(response.streaming_content) == CONTENT
