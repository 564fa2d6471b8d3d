"""Document requests by e-mail: SES receives the mail, stores it in S3 and announces it over SNS.

`handle_inbound_notification` reads the raw mail from S3, refuses loops and abuse, recognises the
document asked for (title or keywords in the subject or body) and answers with the personal link,
or queues the request for staff.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Any

import boto3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from .models import DocumentRequest, LibraryDocument, RequestSource, RequestStatus
from .sending import notify_staff, send_document_link

logger = logging.getLogger(__name__)

MAX_MAIL_BYTES = 10 * 1024 * 1024
EXCERPT_CHARS = 2000
ROBOT_LOCALPARTS = {"mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "bounce"}
LIST_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id")


class InboundError(Exception):
    """The notification cannot be used (malformed, unexpected bucket, missing object)."""


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: « Référentiel » matches « referentiel »."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def match_document(
    text: str, documents: list[LibraryDocument] | None = None
) -> LibraryDocument | None:
    """The document `text` asks for: its title, or else the most of its keywords; None if no
    document or several equally likely ones match."""
    haystack = f" {normalise(text)} "
    if documents is None:
        documents = list(LibraryDocument.objects.all())
    by_title = [d for d in documents if f" {normalise(d.title)} " in haystack]
    if len(by_title) == 1:
        return by_title[0]
    scores: dict[int, int] = {}
    for document in documents:
        hits = sum(1 for word in document.keyword_list() if f" {normalise(word)} " in haystack)
        if hits:
            scores[document.pk] = hits
    if not scores:
        return None
    best = max(scores.values())
    winners = [d for d in documents if scores.get(d.pk) == best]
    return winners[0] if len(winners) == 1 else None


def site_addresses() -> set[str]:
    """The site's own addresses: never answered (they would make a loop)."""
    addresses = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}
    try:
        from renouveau.models import SiteSettings

        addresses.update(s.contact_email.lower() for s in SiteSettings.objects.all())
    except Exception:  # noqa: BLE001, S110 - settings table may not exist yet; the sender is enough
        pass
    return {a for a in addresses if a}


def refusal_reason(mail: EmailMessage, sender: str, receipt: dict[str, Any]) -> str:
    """Why no automatic answer must be sent to this mail ('' when one may be sent)."""
    auto_submitted = str(mail.get("Auto-Submitted", "no")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "réponse automatique (Auto-Submitted)"
    if str(mail.get("Precedence", "")).strip().lower() in LIST_PRECEDENCE:
        return "envoi de masse (Precedence)"
    if any(mail.get(header) for header in AUTO_REPLY_HEADERS):
        return "réponse automatique ou liste de diffusion"
    if not sender or "@" not in sender:
        return "expéditeur absent"
    if sender.split("@", 1)[0] in ROBOT_LOCALPARTS:
        return "expéditeur automatique"
    if sender in site_addresses():
        return "adresse du site"
    for verdict in ("spamVerdict", "virusVerdict"):
        if str(receipt.get(verdict, {}).get("status", "PASS")).upper() == "FAIL":
            return "spam ou virus"
    # A forged From would make the site mail someone who asked for nothing: DMARC, DKIM or SPF
    # (as SES judged them) must vouch for the sender.
    verdicts = {
        str(receipt.get(name, {}).get("status", "")).upper()
        for name in ("dmarcVerdict", "dkimVerdict", "spfVerdict")
    }
    if "PASS" not in verdicts:
        return "expéditeur non authentifié (SPF/DKIM)"
    return ""


def mail_text(mail: EmailMessage) -> str:
    body = mail.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, ValueError):
        return ""
    if body.get_content_type() == "text/html":
        content = strip_tags(content)
    return str(content)


def read_s3_mail(bucket: str, key: str) -> bytes:
    client = boto3.client("s3", region_name=settings.AWS_REGION)
    try:
        obj = client.get_object(Bucket=bucket, Key=key)
    except client.exceptions.NoSuchKey as exc:
        raise InboundError(f"Missing S3 object {bucket}/{key}") from exc
    if obj.get("ContentLength", 0) > MAX_MAIL_BYTES:
        raise InboundError("Mail too large")
    return obj["Body"].read(MAX_MAIL_BYTES + 1)


def answered_today(email: str, document: LibraryDocument) -> bool:
    since = timezone.now() - timedelta(days=1)
    return DocumentRequest.objects.filter(
        email=email,
        document=document,
        source=RequestSource.EMAIL,
        status=RequestStatus.SENT,
        sent_at__gte=since,
    ).exists()


def _s3_location(notification: dict[str, Any]) -> tuple[str, str]:
    action = notification.get("receipt", {}).get("action", {})
    if notification.get("notificationType") != "Received" or action.get("type") != "S3":
        raise InboundError("Not an SES inbound notification with an S3 action")
    bucket, key = action.get("bucketName"), action.get("objectKey")
    if not bucket or not key:
        raise InboundError("No S3 location")
    if bucket not in settings.DOCUMENTS_INBOUND_BUCKETS:
        raise InboundError(f"Unexpected bucket {bucket}")
    return bucket, key


def handle_inbound_notification(payload: str | dict[str, Any]) -> DocumentRequest | None:
    """Handle one SES "Received" notification; returns the recorded request (None if a repeat)."""
    try:
        notification = json.loads(payload) if isinstance(payload, str) else payload
    except ValueError as exc:
        raise InboundError("Notification is not JSON") from exc
    if not isinstance(notification, dict):
        raise InboundError("Notification is not an object")
    bucket, key = _s3_location(notification)
    raw = read_s3_mail(bucket, key)
    mail = message_from_bytes(raw, policy=policy.default)
    ses_mail = notification.get("mail") or {}
    message_id = str(mail.get("Message-ID", "") or ses_mail.get("messageId", ""))[:255]
    if message_id and DocumentRequest.objects.filter(mail_message_id=message_id).exists():
        return None  # SNS delivers at least once: the same mail may come again

    addresses = getaddresses([str(mail.get("From", ""))])
    sender = (addresses[0][1] if addresses else "").strip().lower()
    subject = str(mail.get("Subject", ""))[:255]
    text = mail_text(mail)
    reason = refusal_reason(mail, sender, notification.get("receipt", {}))
    document = match_document(f"{subject}\n{text}") if not reason else None
    if document is not None and answered_today(sender, document):
        reason = "déjà répondu aujourd'hui"

    if reason:
        status = RequestStatus.REFUSED
    elif document is None:
        status = RequestStatus.QUEUED
    else:
        status = RequestStatus.QUEUED  # becomes SENT once the link is mailed
    try:
        with transaction.atomic():
            request = DocumentRequest.objects.create(
                document=document,
                source=RequestSource.EMAIL,
                status=status,
                email=sender[:254] or "inconnu@invalid",
                mail_subject=subject,
                mail_excerpt=text[:EXCERPT_CHARS],
                mail_s3_key=f"{bucket}/{key}"[:512],
                mail_message_id=message_id,
                refusal_reason=reason,
            )
    except IntegrityError:
        return None
    if document is not None and not reason:
        send_document_link(request)
    if status != RequestStatus.REFUSED:
        notify_staff(request)
    logger.info("Inbound document mail %s: %s", message_id, request.get_status_display())
    return request
