"""List hygiene, run daily by the scheduler: unconfirmed addresses reminded once then purged,
three-year-inactive subscribers flagged for renewal (CNIL)."""

from datetime import datetime, timedelta

from django.utils import timezone

from ..models import Subscriber
from .subscriptions import PURGE_PENDING_AFTER, send_confirmation_mail

RENEWAL_AFTER = timedelta(days=3 * 365)


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Delete addresses never confirmed within 30 days (no consent, no reason to keep them)."""
    limit = (now or timezone.now()) - PURGE_PENDING_AFTER
    _, per_model = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, consent_at__lt=limit
    ).delete()
    return per_model.get(Subscriber._meta.label, 0)


REMIND_PENDING_AFTER = timedelta(days=7)


def remind_unconfirmed(now: datetime | None = None) -> dict[str, int]:
    """One reminder of the opt-in mail to addresses still unconfirmed after 7 days (the first
    link has expired by then), before the 30-day purge; never twice (`reminder_sent_at` is
    claimed before sending, so a second run or a second scheduler sends nothing). The link
    leads to a page with a button, as the first one: mail scanners open links."""
    now = now or timezone.now()
    due = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING,
        reminder_sent_at=None,
        consent_at__lt=now - REMIND_PENDING_AFTER,
        consent_at__gte=now - PURGE_PENDING_AFTER,
    )
    sent = failed = 0
    for pk in due.values_list("pk", flat=True).iterator():
        if not Subscriber.objects.filter(pk=pk, reminder_sent_at=None).update(reminder_sent_at=now):
            continue  # another run took it
        try:
            send_confirmation_mail(Subscriber.objects.get(pk=pk), reminder=True)
        except Exception:
            failed += 1  # logged and shown on the subscriber; not retried (one reminder only)
        else:
            sent += 1
    return {"reminded": sent, "failed": failed}


def flag_inactive(now: datetime | None = None) -> int:
    """Flag confirmed subscribers without any interaction for three years (consent renewal)."""
    now = now or timezone.now()
    limit = now - RENEWAL_AFTER
    return (
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, renewal_flagged_at=None)
        .exclude(last_interaction_at__gte=limit)
        .exclude(last_interaction_at=None, confirmed_at__gte=limit)
        .update(renewal_flagged_at=now)
    )
