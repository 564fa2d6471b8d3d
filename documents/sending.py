"""Recording document requests and sending the personal download link (plain functions).

Mails never copy free text typed by the requester (name, organisation, purpose, e-mail body):
the site must not become a relay for someone else's words.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from renouveau.mail import send_mail_message
from renouveau.templatetags.site_tags import date_fr

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


def send_document_link(request: DocumentRequest) -> str | None:
    """Mail the personal link for `request.document` and mark the request as sent."""
    if request.document_id is None:
        raise ValueError("A request needs a document before its link can be sent.")
    request.sent_at = timezone.now()
    url = download_url(request)
    message_id = send_mail_message(
        to=[request.email],
        subject=f"Votre document : {request.document.title}",
        text=link_mail_text(request, url, link_expires_at(request)),
        headers={"Auto-Submitted": "auto-replied"},
        tags={"kind": "document-link"},
    )
    request.status = RequestStatus.SENT
    request.sent_message_id = message_id or ""
    request.save(update_fields=["sent_at", "status", "sent_message_id"])
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
    send_mail_message(
        to=recipients,
        subject=f"Demande de document : {title} ({status.lower()})",
        text=(
            f"Nouvelle demande ({request.get_source_display().lower()}) du document « {title} » "
            f"par {request.email}.\nStatut : {status}.\n\nToutes les demandes : {admin_url}\n"
        ),
        tags={"kind": "document-request-staff"},
    )


def subscribe_to_newsletter(email: str, *, profile: str = "", ip: str | None = None) -> bool:
    """Start the newsletter's double opt-in for `email` through the mailing app, if installed.

    Loose coupling: documents does not depend on mailing; returns False when it is absent.
    """
    if not apps.is_installed("mailing"):
        return False
    try:
        from mailing.subscriptions import start_subscription
    except ImportError:
        logger.warning("mailing.subscriptions.start_subscription is not available")
        return False
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
    """Record a form request and send the link. Same outcome whether the address is known."""
    with transaction.atomic():
        request = DocumentRequest.objects.create(
            document=document,
            source=RequestSource.FORM,
            status=RequestStatus.QUEUED,
            email=email,
            name=name,
            organisation=organisation,
            profile=profile,
            purpose=purpose,
            consent_at=timezone.now(),
            newsletter_requested=subscribe,
        )
    try:
        send_document_link(request)
    except Exception:
        # The visitor gets the usual answer; the request stays queued for staff to resend.
        logger.exception("Could not send the link of document request %s", request.pk)
    if subscribe:
        subscribe_to_newsletter(email, profile=profile, ip=ip)
    notify_staff(request)
    return request
