"""How long document requests are kept: the form promises 12 months at most. The request, the
record of the received mail and the raw mail SES stored in S3 go together (retention register
entry, renouveau.retention)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import boto3
from django.conf import settings
from django.utils import timezone

from renouveau.retention import RetentionEntry

from .models import DocumentRequest, InboundMail

logger = logging.getLogger(__name__)


def _retention_days() -> int:
    return settings.DOCUMENTS_REQUEST_RETENTION_DAYS


def _inbound_location(payload: str) -> tuple[str, str] | None:
    """The bucket and key of the raw mail an SES « Received » notification names."""
    try:
        action = json.loads(payload).get("receipt", {}).get("action", {})
    except (ValueError, AttributeError):
        return None
    bucket, key = action.get("bucketName"), action.get("objectKey")
    return (bucket, key) if bucket and key else None


def delete_raw_mails(locations: set[tuple[str, str]]) -> int:
    """Delete the raw inbound mails (the sender's address, their whole message) from S3."""
    if not locations:
        return 0
    client = boto3.client("s3", region_name=settings.AWS_REGION)
    deleted = 0
    for bucket, key in sorted(locations):
        try:
            client.delete_object(Bucket=bucket, Key=key)
            deleted += 1
        except Exception:  # one unreachable object must not keep the rest
            logger.exception("Could not delete an inbound mail from S3 bucket %s", bucket)
    return deleted


def purge_old_requests(*, days: int | None = None) -> int:
    """Delete requests, the records of received mail and the raw mails in S3, older than `days`
    (DOCUMENTS_REQUEST_RETENTION_DAYS, default 365)."""
    cutoff = timezone.now() - timedelta(days=days if days is not None else _retention_days())
    old_requests = DocumentRequest.objects.filter(created_at__lt=cutoff)
    old_inbound = InboundMail.objects.filter(received_at__lt=cutoff)
    locations = {
        tuple(key.split("/", 1))
        for key in old_requests.exclude(mail_s3_key="").values_list("mail_s3_key", flat=True)
        if "/" in key
    }
    locations |= {
        location
        for location in map(_inbound_location, old_inbound.values_list("payload", flat=True))
        if location
    }
    delete_raw_mails(locations)
    deleted, _ = old_requests.delete()
    old_inbound.delete()
    return deleted


RETENTION = [
    RetentionEntry(
        key="document-requests",
        processing="Demandes de documents",
        purpose="Envoyer un lien personnel de téléchargement des documents diffusés sur demande.",
        data="Adresse électronique, nom et organisme (facultatifs), document demandé, courriel "
        "reçu.",
        period="Un an après la demande (le courriel reçu compris) ; le lien de téléchargement "
        "expire après 7 jours.",
        purge=purge_old_requests,
        daily_at="03:20",
        job_name="documents-purge-old-requests",
    ),
]
