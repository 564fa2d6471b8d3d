"""Background work of the documents app: inbound mail, processed off the SNS request."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from .inbound import InboundError, handle_inbound_notification
from .models import InboundMail

logger = logging.getLogger(__name__)


def record_inbound_mail(message: dict[str, Any], notification: dict[str, Any]) -> bool:
    """Record a verified SNS notification and enqueue its processing; False for a repeat (the
    same SNS MessageId, or the same SES mail through another notification)."""
    ses_id = str((notification.get("mail") or {}).get("messageId") or message["MessageId"])
    try:
        with transaction.atomic():
            inbound = InboundMail.objects.create(
                sns_message_id=str(message["MessageId"])[:100],
                ses_message_id=ses_id[:255],
                payload=message["Message"],
            )
    except IntegrityError:
        return False
    # Once the row is committed: a worker of another backend (RQ) must find it.
    transaction.on_commit(lambda: process_inbound_mail.enqueue(inbound.pk))
    return True


@task(queue_name="mail")
def process_inbound_mail(inbound_id: int) -> str:
    """Handle one recorded inbound mail, once (a task run again finds it done)."""
    # Claimed by one worker (no lock held while SES is called); a worker killed half-way
    # leaves it « En cours de traitement » rather than risk answering twice.
    claimed = InboundMail.objects.filter(pk=inbound_id, status=InboundMail.Status.RECEIVED).update(
        status=InboundMail.Status.PROCESSING
    )
    if not claimed:
        return "already processed"
    inbound = InboundMail.objects.get(pk=inbound_id)
    try:
        route, outcome = handle_inbound_notification(inbound.payload)
        inbound.status = InboundMail.Status.DONE
    except InboundError as exc:
        logger.warning("Inbound mail %s not handled: %s", inbound.ses_message_id, exc)
        route, outcome = "", str(exc)
        inbound.status = InboundMail.Status.ERROR
    except Exception as exc:  # noqa: BLE001 - never left « En cours de traitement »: staff see it
        logger.exception("Inbound mail %s failed", inbound.ses_message_id)
        route, outcome = "", f"Erreur inattendue ({type(exc).__name__})\u00a0: à traiter à la main"
        inbound.status = InboundMail.Status.ERROR
    inbound.route, inbound.outcome = route, outcome[:300]
    inbound.processed_at = timezone.now()
    inbound.save(update_fields=["status", "route", "outcome", "processed_at"])
    return f"{route}: {outcome}"
