"""Recording document requests and sending the personal download link (plain functions).

Mails never copy free text typed by the requester (name, organisation, purpose, e-mail body):
the site must not become a relay for someone else's words.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mailing.audience.subscriptions import start_subscription
from renouveau.mail import describe_error, send_mail_message
from renouveau.mail_layout import render_mail
from renouveau.templatetags.site_tags import date_fr

from .caps import auto_mail_refusal
from .links import download_url, link_expires_at
from .models import DocumentRequest, LibraryDocument, RequestSource, RequestStatus

logger = logging.getLogger(__name__)

NEWSLETTER_CONSENT_VERSION = "documents-2026-11"


def link_mail(request: DocumentRequest, url: str, expires: datetime) -> tuple[str, str]:
    """(HTML, text) of the mail with the personal link, in the site's mail layout."""
    uses = settings.DOCUMENTS_LINK_MAX_USES
    until = date_fr(timezone.localtime(expires))
    context = {
        "subject": f"Votre document\u00a0: {request.document.title}",
        "preheader": f"Votre lien personnel, valable jusqu’au {until}.",
        "document": request.document,
        "action_url": url,
        "action_label": "Télécharger le document",
        "expires": until,
        "uses": uses,
    }
    return render_mail("documents/email/link.html", "documents/email/link.txt", context)


# A Message-ID as RFC 5322 writes it, safe to copy into our headers (no space, comma or line end).
_MESSAGE_ID = re.compile(r"<[!-~]+@[!-~]+>")


def link_mail_headers(request: DocumentRequest) -> dict[str, str]:
    """RFC 3834: the answer to an e-mailed request is `auto-replied` and threads under that
    mail (In-Reply-To, References); the answer to the form is `auto-generated`."""
    if request.source != RequestSource.EMAIL:
        return {"Auto-Submitted": "auto-generated"}
    headers = {"Auto-Submitted": "auto-replied"}
    message_id = request.mail_message_id.strip()
    if _MESSAGE_ID.fullmatch(message_id) and "," not in message_id:
        headers["In-Reply-To"] = headers["References"] = message_id
    return headers


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
    html, text = link_mail(request, url, link_expires_at(request))
    try:
        message_id = send_mail_message(
            to=[request.email],
            subject=f"Votre document\u00a0: {request.document.title}",
            text=text,
            html=html,
            headers=link_mail_headers(request),
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
    ip_capped: bool = False,
) -> DocumentRequest:
    """Record a form request and send the link. Same outcome whether the address is known.

    When this visitor's IP has had its share of automatic links (`ip_capped`, checked first,
    so that one visitor cannot use up the caps of a whole mail domain), or above the
    automatic-mail caps (documents.caps), the request waits for staff."""
    if ip_capped:
        per_ip = settings.DOCUMENTS_AUTO_MAIL_PER_IP_PER_HOUR
        reason = f"limite de l'adresse IP atteinte ({per_ip} envois automatiques par heure)"
    else:
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
