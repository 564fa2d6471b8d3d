"""SES notifications received over SNS: bounces, complaints, and send/delivery events.

Both SES formats are read: identity notifications (`notificationType`) and configuration-set
event publishing (`eventType`, whose `mail.tags` carry our `delivery` tag). Permanent bounces and
complaints suppress the address; transient bounces are counted; send/delivery events reconcile
deliveries left UNCERTAIN by a crashed worker.
"""

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from renouveau.logs import redact
from renouveau.sns import (
    SNSVerificationError,
    confirm_subscription,
    parse_sns_message,
    verify_sns_message,
)

from ..addresses import normalize_email
from ..counters import count_stamp
from ..models import BounceRecord, Delivery, Subscriber
from .campaigns import refresh_counters
from .health import check_health

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    status: int
    message: str


def allowed_topic_arns() -> list[str]:
    return list(settings.MAILING_SNS_TOPIC_ARNS)


def handle_sns_request(body: bytes) -> Outcome:
    """Verify, then apply. Anything forged or unexpected changes nothing and gets a 4xx."""
    topics = allowed_topic_arns()
    if not topics:
        # Any AWS account can sign genuine SNS messages: without an allow-list of our own
        # topics, a stranger's topic could suppress our subscribers.
        return Outcome(403, "No SNS topic configured (MAILING_SNS_TOPIC_ARNS).")
    try:
        message = parse_sns_message(body)
        verify_sns_message(message, topic_arns=topics)
    except SNSVerificationError as exc:
        logger.warning("Refused SNS message: %s", exc)
        return Outcome(403, "Invalid SNS message.")
    if message["Type"] == "SubscriptionConfirmation":
        try:
            confirm_subscription(message)
        except SNSVerificationError:
            return Outcome(400, "Subscription could not be confirmed.")
        return Outcome(200, "Subscription confirmed.")
    if message["Type"] != "Notification":
        return Outcome(200, "Ignored.")
    try:
        payload = json.loads(message["Message"])
    except ValueError:
        return Outcome(400, "Notification payload is not JSON.")
    if not isinstance(payload, dict):
        return Outcome(400, "Notification payload is not an object.")
    apply_ses_event(payload)
    return Outcome(200, "OK")


def _delivery_for(mail: dict[str, Any]) -> Delivery | None:
    tags = mail.get("tags") or {}
    values = tags.get("delivery") or []
    delivery_id = values[0] if isinstance(values, list) and values else None
    if isinstance(delivery_id, str) and delivery_id.isdigit():
        found = Delivery.objects.filter(pk=int(delivery_id)).first()
        if found is not None:
            return found
    message_id = mail.get("messageId")
    if message_id:
        return Delivery.objects.filter(ses_message_id=message_id).first()
    return None


def apply_ses_event(payload: dict[str, Any]) -> None:
    kind = payload.get("notificationType") or payload.get("eventType") or ""
    mail = payload.get("mail") if isinstance(payload.get("mail"), dict) else {}
    delivery = _delivery_for(mail)
    if delivery is not None and kind in ("Send", "Delivery", "Bounce", "Complaint"):
        reconcile(delivery, mail.get("messageId") or "")
    if kind == "Delivery":
        _stamp(delivery, "delivered_at")  # the receiving server accepted it (campaign report)
    elif kind == "Bounce":
        bounce = payload.get("bounce") or {}
        bounce_type = bounce.get("bounceType")
        if bounce_type not in (BounceRecord.Kind.PERMANENT, BounceRecord.Kind.TRANSIENT):
            bounce_type = BounceRecord.Kind.UNDETERMINED
        sub_type = str(bounce.get("bounceSubType") or "")[:60]
        if bounce_type == BounceRecord.Kind.PERMANENT:
            _stamp(delivery, "bounced_at")
        else:
            _stamp(delivery, "soft_bounced_at")
        for email, diagnostic in _recipients(bounce.get("bouncedRecipients")):
            record = _record(email, delivery, bounce_type, sub_type, diagnostic)
            if bounce_type == BounceRecord.Kind.PERMANENT:
                reason = f"Rebond définitif signalé par SES ({sub_type or 'General'})"
                _suppressed(record, suppress(email, Subscriber.Status.BOUNCED, reason))
            elif record is not None:
                # Transient or Undetermined (a full mailbox, a server down): the address stays
                # until MAILING_SOFT_BOUNCE_LIMIT of them within the window.
                Subscriber.objects.filter(pk=record.subscriber_id).update(
                    transient_bounce_count=F("transient_bounce_count") + 1
                )
                _suppressed(record, _too_many_soft_bounces(email, record))
        if bounce_type == BounceRecord.Kind.PERMANENT:
            _check_health(delivery)
    elif kind == "Complaint":
        complaint = payload.get("complaint") or {}
        _stamp(delivery, "complained_at")
        sub_type = str(complaint.get("complaintFeedbackType") or "")[:60]
        for email, _ in _recipients(complaint.get("complainedRecipients")):
            record = _record(email, delivery, BounceRecord.Kind.COMPLAINT, sub_type, "")
            reason = "Plainte pour spam signalée par SES"
            _suppressed(record, suppress(email, Subscriber.Status.COMPLAINED, reason))
        _check_health(delivery)


def soft_bounce_rule() -> tuple[int, timedelta]:
    """How many soft bounces within how many days suppress an address (3 within 30 days)."""
    limit = int(settings.MAILING_SOFT_BOUNCE_LIMIT)
    days = int(settings.MAILING_SOFT_BOUNCE_WINDOW_DAYS)
    return limit, timedelta(days=days)


def _recipients(items: Any) -> list[tuple[str, str]]:
    """(address, the receiving server's diagnostic with any address masked) per recipient."""
    if not isinstance(items, list):
        return []
    return [
        (normalize_email(item["emailAddress"]), redact(str(item.get("diagnosticCode") or ""))[:500])
        for item in items
        if isinstance(item, dict) and isinstance(item.get("emailAddress"), str)
    ]


def _record(
    email: str, delivery: Delivery | None, kind: str, sub_type: str, diagnostic: str
) -> BounceRecord | None:
    subscriber = Subscriber.objects.filter(email=email).only("pk").first()
    if subscriber is None:
        return None
    if delivery is not None and delivery.subscriber_id == subscriber.pk:
        # SNS may deliver a notification twice: one record per delivery and kind.
        existing = BounceRecord.objects.filter(delivery=delivery, kind=kind).first()
        if existing is not None:
            return None
    return BounceRecord.objects.create(
        subscriber=subscriber,
        delivery=delivery if delivery and delivery.subscriber_id == subscriber.pk else None,
        kind=kind,
        sub_type=sub_type,
        diagnostic=diagnostic,
    )


def _too_many_soft_bounces(email: str, record: BounceRecord) -> bool:
    limit, window = soft_bounce_rule()
    recent = BounceRecord.objects.filter(
        subscriber_id=record.subscriber_id,
        kind__in=[BounceRecord.Kind.TRANSIENT, BounceRecord.Kind.UNDETERMINED],
        at__gte=record.at - window,
    ).count()
    if recent < limit:
        return False
    reason = f"{recent} rebonds temporaires en {window.days} jours signalés par SES"
    return suppress(email, Subscriber.Status.BOUNCED, reason)


def _suppressed(record: BounceRecord | None, suppressed: bool) -> None:
    if record is not None and suppressed:
        BounceRecord.objects.filter(pk=record.pk).update(suppressed=True)


def reconcile(delivery: Delivery, message_id: str) -> bool:
    """SES saw this delivery: an UNCERTAIN one (worker killed in flight) was in fact sent."""
    updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.UNCERTAIN).update(
        status=Delivery.Status.SENT,
        ses_message_id=message_id,
        sent_at=timezone.now(),
        error="Confirmé par un événement SES.",
    )
    if updated:
        refresh_counters(delivery.campaign)
    return bool(updated)


def suppress(email: str, status: str, reason: str) -> bool:
    """Stop mailing this address for good. False if it was already suppressed (SNS may deliver
    a notification twice: counters must not move twice)."""
    with transaction.atomic():
        updated = (
            Subscriber.objects.filter(email=normalize_email(email))
            .exclude(status__in=[Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED])
            .update(status=status, suppression_reason=reason)
        )
    return bool(updated)


def _stamp(delivery: Delivery | None, field: str) -> None:
    """The campaign's health (health.py) and report (report.py) are measured per delivery:
    mark it once (SNS may deliver a notification twice), and count it on the campaign then."""
    if delivery is not None:
        stamped = Delivery.objects.filter(pk=delivery.pk, **{f"{field}__isnull": True}).update(
            **{field: timezone.now()}
        )
        if stamped:
            count_stamp(delivery, field)


def _check_health(delivery: Delivery | None) -> None:
    if delivery is None:
        return
    check_health(delivery.campaign_id)
