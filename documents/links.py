"""Signed, expiring, limited-use download links for documents sent on request.

The token only carries the request id, signed with the site's SECRET_KEY and a timestamp; the
expiry (DOCUMENTS_LINK_MAX_AGE_DAYS) comes from the signature, the number of uses
(DOCUMENTS_LINK_MAX_USES) from the request row, counted atomically.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from .models import DocumentRequest

SALT = "documents.download-link"


class LinkError(Exception):
    """The link cannot be used; `status` is the HTTP status of the page explaining why."""

    status = 403
    reason = "invalid"


class LinkInvalid(LinkError):
    status = 404
    reason = "invalid"


class LinkExpired(LinkError):
    status = 410
    reason = "expired"


class LinkUsedUp(LinkError):
    status = 410
    reason = "used-up"


class DocumentUnavailable(LinkError):
    """The link is good but the document's file is missing from storage: the use is not
    counted, and an error is logged (Sentry, where configured)."""

    status = 503
    reason = "unavailable"


def link_max_age() -> timedelta:
    return timedelta(days=settings.DOCUMENTS_LINK_MAX_AGE_DAYS)


def make_token(request: DocumentRequest) -> str:
    return signing.dumps(request.pk, salt=SALT, compress=False)


def download_url(request: DocumentRequest) -> str:
    """Absolute URL of the personal download link of `request`."""
    path = reverse("documents:download", args=[make_token(request)])
    return f"{settings.SITE_URL}{path}"


def link_expires_at(request: DocumentRequest):
    return (request.sent_at or timezone.now()) + link_max_age()


def check_token(token: str) -> DocumentRequest:
    """The request a token was made for, if the link is still usable (does not count a use)."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=link_max_age())
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    request = (
        DocumentRequest.objects.select_related("document").filter(pk=pk, document__isnull=False)
    ).first()
    if request is None:
        raise LinkInvalid
    if request.download_count >= settings.DOCUMENTS_LINK_MAX_USES:
        raise LinkUsedUp
    return request


def count_use(request: DocumentRequest) -> DocumentRequest:
    """Count one use of a checked link (check_token); LinkUsedUp when another download took
    the last one in between."""
    counted = DocumentRequest.objects.filter(
        pk=request.pk, download_count__lt=settings.DOCUMENTS_LINK_MAX_USES
    ).update(download_count=F("download_count") + 1, last_download_at=timezone.now())
    if not counted:
        raise LinkUsedUp
    request.refresh_from_db(fields=["download_count", "last_download_at"])
    return request
