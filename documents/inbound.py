"""Mail received by the site: SES stores it in S3 and announces it over SNS.

The endpoint records the notification (`InboundMail`) and a task (documents.tasks) calls
`handle_inbound_notification`, which reads the raw mail from S3 and routes it by recipient:

- to the List-Unsubscribe address with a valid token: the subscriber is unsubscribed at once
  (the token is the proof), and nothing is answered;
- anything else is a document request: loops and abuse are refused; the personal link is sent
  only when the `From:` address is proven (documents.sender_auth) and within the automatic-mail
  caps (documents.caps); otherwise the request waits for staff, answered by nobody.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import unicodedata
from email import message_from_bytes, policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Any

import boto3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags

from mailing.audience.subscriptions import unsubscribe_by_mail
from mailing.audience.tokens import unsubscribe_address
from renouveau.models import SiteSettings

from .caps import answered_today, auto_mail_refusal
from .models import DocumentRequest, LibraryDocument, RequestSource, RequestStatus
from .sender_auth import sender_authenticated
from .sending import notify_staff, send_document_link

logger = logging.getLogger(__name__)

MAX_MAIL_BYTES = 10 * 1024 * 1024
EXCERPT_CHARS = 2000
ROBOT_LOCALPARTS = {"mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "bounce"}
LIST_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id")


class InboundError(Exception):
    """The notification cannot be used (malformed, unexpected bucket, missing object)."""


# Headers are read raw and decoded here, never through the email package's header objects:
# those raise on hostile input (an encoded display name holding CR/LF, an unknown charset).
MAX_HEADER_CHARS = 4000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _valid_text(value: str) -> str:
    """8-bit bytes of a raw header come as lone surrogates, which no database stores."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def raw_headers(mail: EmailMessage, name: str) -> list[str]:
    """Every value of header `name` as received (undecoded), at most MAX_HEADER_CHARS each."""
    wanted = name.lower()
    return [
        _valid_text(str(value)[:MAX_HEADER_CHARS])
        for key, value in mail.raw_items()
        if str(key).lower() == wanted
    ]


def header_text(mail: EmailMessage, name: str) -> str:
    """The first value of header `name`, RFC 2047 words decoded where they can be, on one line
    without control characters ('' when absent)."""
    values = raw_headers(mail, name)
    if not values:
        return ""
    try:
        text = str(make_header(decode_header(values[0])))
    except (LookupError, ValueError, UnicodeError, HeaderParseError, AssertionError):
        text = values[0]
    return " ".join(_CONTROL.sub(" ", _valid_text(text)).split())


def sender_address(mail: EmailMessage) -> str:
    """The one address of `From:` in lower case; '' when there is none, several or a malformed
    one (the display name, which an attacker writes, is never needed)."""
    values = raw_headers(mail, "From")
    addresses = getaddresses(values) if len(values) == 1 else []
    address = addresses[0][1].strip().lower() if len(addresses) == 1 else ""
    if not address or _CONTROL.search(address) or address.count("@") != 1 or " " in address:
        return ""
    return address[:254]


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
    # The settings table may not exist yet (before migrate): the sender is enough then.
    with contextlib.suppress(Exception):
        addresses.update(s.contact_email.lower() for s in SiteSettings.objects.all())
    return {a for a in addresses if a}


def refusal_reason(mail: EmailMessage, sender: str, receipt: dict[str, Any]) -> str:
    """Why no automatic answer must be sent to this mail ('' when one may be sent)."""
    auto_submitted = (header_text(mail, "Auto-Submitted") or "no").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "réponse automatique (Auto-Submitted)"
    if header_text(mail, "Precedence").strip().lower() in LIST_PRECEDENCE:
        return "envoi de masse (Precedence)"
    if any(header_text(mail, header) for header in AUTO_REPLY_HEADERS):
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
    return ""


def mail_text(mail: EmailMessage) -> str:
    """The plain (else HTML, tags removed) text of the mail; '' when it cannot be read."""
    try:
        body = mail.get_body(preferencelist=("plain", "html"))
        if body is None:
            return ""
        content = str(body.get_content())
        if body.get_content_type() == "text/html":
            content = strip_tags(content)
    except Exception:  # noqa: BLE001 - a hostile MIME structure or charset: no text, no crash
        return ""
    return _valid_text(content).replace("\x00", "")


def read_s3_mail(bucket: str, key: str) -> bytes:
    client = boto3.client("s3", region_name=settings.AWS_REGION)
    try:
        obj = client.get_object(Bucket=bucket, Key=key)
    except client.exceptions.NoSuchKey as exc:
        raise InboundError(f"Missing S3 object {bucket}/{key}") from exc
    if obj.get("ContentLength", 0) > MAX_MAIL_BYTES:
        raise InboundError("Mail too large")
    return obj["Body"].read(MAX_MAIL_BYTES + 1)


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


def parse_notification(payload: str | dict[str, Any]) -> dict[str, Any]:
    try:
        notification = json.loads(payload) if isinstance(payload, str) else payload
    except ValueError as exc:
        raise InboundError("Notification is not JSON") from exc
    if not isinstance(notification, dict):
        raise InboundError("Notification is not an object")
    _s3_location(notification)
    return notification


def recipients_of(notification: dict[str, Any]) -> list[str]:
    """The addresses the mail was received for (SES's receipt, else the envelope)."""
    receipt = notification.get("receipt") or {}
    found = receipt.get("recipients") or (notification.get("mail") or {}).get("destination")
    return [str(r).strip().lower() for r in found or [] if isinstance(r, str)]


def _without_tag(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def handle_inbound_notification(payload: str | dict[str, Any]) -> tuple[str, str]:
    """Handle one SES "Received" notification; returns (route, outcome) for the record."""
    notification = parse_notification(payload)
    bucket, key = _s3_location(notification)
    try:
        mail = message_from_bytes(read_s3_mail(bucket, key), policy=policy.default)
    except InboundError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable mail is shown to staff as such
        raise InboundError(f"Mail illisible ({type(exc).__name__})") from exc
    subject = header_text(mail, "Subject")[:255]
    recipients = recipients_of(notification)
    to_unsubscribe = unsubscribe_address()
    if any(_without_tag(r) == to_unsubscribe for r in recipients):
        subscriber = unsubscribe_by_mail(subject, recipients)
        if subscriber is not None:
            logger.info("Unsubscribed subscriber %s by mail", subscriber.pk)
            return "unsubscribe", "désabonné"
        if to_unsubscribe not in site_addresses():
            request = _record_request(
                notification, mail, bucket, key, hold="désabonnement sans lien valide"
            )
            return "unsubscribe", request.get_status_display() if request else "doublon"
    request = _record_request(notification, mail, bucket, key)
    return "document", request.get_status_display() if request else "doublon"


def _record_request(
    notification: dict[str, Any], mail: EmailMessage, bucket: str, key: str, *, hold: str = ""
) -> DocumentRequest | None:
    """Record the mail as a document request and answer it when everything allows it."""
    ses_mail = notification.get("mail") or {}
    message_id = (header_text(mail, "Message-ID") or str(ses_mail.get("messageId", "")))[:255]
    if message_id and DocumentRequest.objects.filter(mail_message_id=message_id).exists():
        return None  # SNS delivers at least once: the same mail may come again

    sender = sender_address(mail)
    subject = header_text(mail, "Subject")[:255]
    text = mail_text(mail)
    receipt = notification.get("receipt", {})
    reason = refusal_reason(mail, sender, receipt)
    if not reason and not hold:
        envelope = str(ses_mail.get("source", "")).strip().lower()
        if not sender_authenticated(mail, receipt, envelope, sender.rpartition("@")[2]):
            # Answering would mail whoever the From: names: only staff may answer.
            hold = "expéditeur non prouvé (DMARC, ou SPF/DKIM non alignés)"
    document = match_document(f"{subject}\n{text}") if not reason and not hold else None
    if document is not None and answered_today(sender, document):
        reason = "déjà répondu aujourd'hui"
    if document is not None and not reason:
        hold = auto_mail_refusal(sender)

    status = RequestStatus.REFUSED if reason else RequestStatus.QUEUED
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
                refusal_reason=(reason or hold)[:100],
            )
    except IntegrityError:
        return None
    if document is not None and not reason and not hold:
        try:
            send_document_link(request)
        except Exception:  # recorded on the request (« Échec de l'envoi ») for staff
            logger.exception("Could not send the link of document request %s", request.pk)
    if status != RequestStatus.REFUSED:
        notify_staff(request)
    logger.info("Inbound document mail %s: %s", message_id, request.get_status_display())
    return request
