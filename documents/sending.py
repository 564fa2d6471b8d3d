"""Recording document requests and sending the personal download link (plain functions).

Mails never copy free text typed by the requester (name, organisation, purpose, e-mail body):
the site must not become a relay for someone else's words.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mailing.subscriptions import start_subscription
from renouveau.mail import describe_error, send_mail_message
from renouveau.templatetags.site_tags import date_fr

from .caps import auto_mail_refusal
from .links import download_url, link_expires_at
from .models import DocumentRequest, LibraryDocument, RequestSource, RequestStatus

logger = logging.getLogger(__name__)

NEWSLETTER_CONSENT_VERSION = "documents-2026-11"


def link_mail_text(request: DocumentRequest, url: str, expires: datetime) -> str:
    document = request.document
    uses = settings.DOCUMENTS_LINK_MAX_USES
    return (
        "Bonjour,\n\n"
        f"Vous avez demandé le document « {document.title} » au programme Renouveau du Bassin "
        "Minier. Vous pouvez le télécharger avec ce lien personnel :\n\n"
        f"{url}\n\n"
        f"Ce lien est valable jusqu'au {date_fr(timezone.localtime(expires))} et permet "
        f"{uses} téléchargement{'s' if uses > 1 else ''}. Ne le transférez pas : si quelqu'un "
        "d'autre souhaite ce document, il peut le demander sur notre site.\n\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n"
        "L'équipe du Renouveau du Bassin Minier\n"
        f"{settings.SITE_URL}/\n"
    )


def record_mail_error(request: DocumentRequest, exc: BaseException, *, what: str = "") -> None:
    """Keep SES's answer on the request, for the staff list (« Échec de l'envoi »)."""
    request.mail_error = f"{what}{describe_error(exc)}"[:500]
    request.mail_error_at = timezone.now()
    fields = ["mail_error", "mail_error_at"]
    if not what:  # the link itself failed
        request.status = RequestStatus.FAILED
        request.sent_at = None
        fields += ["status", "sent_at"]
    request.save(update_fields=fields)


def send_document_link(request: DocumentRequest) -> str | None:
    """Mail the personal link for `request.document` and mark the request as sent.

    Transient SES errors are retried by renouveau.mail; a failure that remains is recorded on
    the request (status « Échec de l'envoi », the error and its time) and raised."""
    if request.document_id is None:
        raise ValueError("A request needs a document before its link can be sent.")
    request.sent_at = timezone.now()
    url = download_url(request)
    try:
        message_id = send_mail_message(
            to=[request.email],
            subject=f"Votre document : {request.document.title}",
            text=link_mail_text(request, url, link_expires_at(request)),
            headers={"Auto-Submitted": "auto-replied"},
            tags={"kind": "document-link"},
        )
    except Exception as exc:
        record_mail_error(request, exc)
        raise
    request.status = RequestStatus.SENT
    request.sent_message_id = message_id or ""
    request.mail_error = ""
    request.save(update_fields=["sent_at", "status", "sent_message_id", "mail_error"])
    return message_id


def notify_staff(request: DocumentRequest) -> None:
    """Tell the staff addresses in DOCUMENTS_STAFF_NOTIFY (if any) that a request came in."""
    recipients = settings.DOCUMENTS_STAFF_NOTIFY
    if not recipients:
        return
    title = request.document.title if request.document_id else "document non reconnu"
    admin_url = settings.WAGTAILADMIN_BASE_URL + reverse(
        "site_documents_documentrequest_modeladmin_index"
    )
    status = request.get_status_display()
    reason = f" ({request.refusal_reason})" if request.refusal_reason else ""
    try:
        send_mail_message(
            to=recipients,
            subject=f"Demande de document : {title} ({status.lower()})",
            text=(
                f"Nouvelle demande ({request.get_source_display().lower()}) du document "
                f"« {title} » par {request.email}.\nStatut : {status}{reason}.\n\n"
                f"Toutes les demandes : {admin_url}\n"
            ),
            tags={"kind": "document-request-staff"},
        )
    except Exception as exc:
        logger.exception("Could not notify staff of document request %s", request.pk)
        record_mail_error(request, exc, what="Notification de l'équipe : ")


def subscribe_to_newsletter(email: str, *, profile: str = "", ip: str | None = None) -> bool:
    """Start the newsletter's double opt-in for `email` (documents sits above mailing)."""
    start_subscription(
        email=email,
        first_name="",
        profile=profile,
        communes=(),
        source="demande-de-document",
        consent_text_version=NEWSLETTER_CONSENT_VERSION,
        ip=ip,
    )
    return True


def request_from_form(
    *,
    document: LibraryDocument,
    email: str,
    name: str,
    organisation: str,
    profile: str,
    purpose: str,
    subscribe: bool,
    ip: str | None = None,
) -> DocumentRequest:
    """Record a form request and send the link. Same outcome whether the address is known.

    Above the automatic-mail caps (documents.caps) the request waits for staff."""
    reason = auto_mail_refusal(email)
    with transaction.atomic():
        request = DocumentRequest.objects.create(
            document=document,
            source=RequestSource.FORM,
            status=RequestStatus.QUEUED,
            refusal_reason=reason,
            email=email,
            name=name,
            organisation=organisation,
            profile=profile,
            purpose=purpose,
            consent_at=timezone.now(),
            newsletter_requested=subscribe,
        )
    if not reason:
        try:
            send_document_link(request)
        except Exception:
            # The visitor gets the usual answer; the failure is on the request for staff.
            logger.exception("Could not send the link of document request %s", request.pk)
    if subscribe:
        subscribe_to_newsletter(email, profile=profile, ip=ip)
    notify_staff(request)
    return request
