import json
import uuid
from email.message import EmailMessage

import boto3
import pytest
from django.core.files.base import ContentFile

from tests.factories import DocumentLibraryPageFactory

INBOUND_URL = "/ressources/ses-entrant/"


@pytest.fixture(autouse=True)
def clear_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()


PDF = b"%PDF-1.4\n% Renouveau test document\n%%EOF\n"


@pytest.fixture
def make_document(db):
    from documents.models import Availability, LibraryDocument

    def make(title="Référentiel d'ambitions partagées", *, on_request=False, content=PDF, **fields):
        document = LibraryDocument(
            title=title,
            availability=Availability.ON_REQUEST if on_request else Availability.PUBLIC,
            **fields,
        )
        document.file.save("document.pdf", ContentFile(content), save=False)
        document._set_document_file_metadata()
        document.save()
        return document

    return make


@pytest.fixture
def library(home_page):
    return DocumentLibraryPageFactory(parent=home_page, slug="ressources", title="Ressources")


@pytest.fixture
def inbound(settings, sns, ses, moto_server, django_capture_on_commit_callbacks):
    """SES inbound mail: the raw mail in a moto S3 bucket, announced by an SNS notification signed
    with the tests' certificate. Tasks run at once (`inbound.queued_tasks()` sets them back to
    the database backend, as in production)."""
    bucket = f"inbound-{uuid.uuid4().hex[:8]}"
    s3 = boto3.client("s3", region_name="eu-west-3")
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    settings.DOCUMENTS_INBOUND_TOPIC_ARNS = [sns.topic_arn]
    settings.DOCUMENTS_INBOUND_BUCKETS = [bucket]
    settings.DOCUMENTS_STAFF_NOTIFY = ["equipe@example.org"]
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }

    class Inbound:
        def __init__(self):
            self.bucket = bucket

        def mail(
            self, subject="Demande", body="Bonjour", sender="Jeanne <jeanne@example.org>", **headers
        ):
            message = EmailMessage()
            message["From"] = sender
            message["To"] = "contact@renouveaubassinminier.fr"
            message["Subject"] = subject
            message["Message-ID"] = f"<{uuid.uuid4().hex}@example.org>"
            for name, value in headers.items():
                message[name.replace("_", "-")] = value
            message.set_content(body)
            return message

        def notification(
            self,
            mail,
            *,
            spf="PASS",
            dkim="PASS",
            dmarc=None,
            source="jeanne@example.org",
            recipients=("contact@renouveaubassinminier.fr",),
            key=None,
            ses_id=None,
        ):
            key = key or f"inbound/{uuid.uuid4().hex}"
            s3.put_object(Bucket=bucket, Key=key, Body=mail.as_bytes())
            receipt = {
                "recipients": list(recipients),
                "spamVerdict": {"status": "PASS"},
                "virusVerdict": {"status": "PASS"},
                "spfVerdict": {"status": spf},
                "dkimVerdict": {"status": dkim},
                "action": {"type": "S3", "bucketName": bucket, "objectKey": key},
            }
            if dmarc:
                receipt["dmarcVerdict"] = {"status": dmarc}
            payload = {
                "notificationType": "Received",
                "mail": {
                    "messageId": ses_id or uuid.uuid4().hex,
                    "source": source,
                    "destination": list(recipients),
                },
                "receipt": receipt,
            }
            return sns.notification(payload, subject="Amazon SES Email Receipt Notification")

        def queued_tasks(self):
            settings.TASKS = {
                "default": {
                    "BACKEND": "django_tasks_db.DatabaseBackend",
                    "QUEUES": ["default", "mail"],
                }
            }

        def post(self, client, message):
            # The task is enqueued when the request's transaction commits.
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(INBOUND_URL, data=json.dumps(message), content_type="text/plain")

    return Inbound()


@pytest.fixture
def referentiel(make_document, library):
    return make_document(
        "Référentiel d'ambitions partagées de rénovation des cités minières ERBM",
        on_request=True,
        keywords="référentiel, ambitions partagées",
    )


@pytest.fixture
def referentiel_on_request(make_document, library):
    return make_document(
        "Référentiel d'ambitions partagées de rénovation des cités minières ERBM",
        on_request=True,
        keywords="référentiel, ambitions partagées",
    )


def mails_to(ses, address):
    return [m for m in ses.messages() if address in str(m["To"])]
