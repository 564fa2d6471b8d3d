"""How long document requests are kept: the form promises 12 months at most."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import DocumentRequest, InboundMail


def purge_old_requests(*, days: int | None = None) -> int:
    """Delete requests, and the records of received mail, older than `days`
    (DOCUMENTS_REQUEST_RETENTION_DAYS, default 365)."""
    days = days if days is not None else getattr(settings, "DOCUMENTS_REQUEST_RETENTION_DAYS", 365)
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = DocumentRequest.objects.filter(created_at__lt=cutoff).delete()
    InboundMail.objects.filter(received_at__lt=cutoff).delete()
    return deleted
