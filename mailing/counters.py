"""A campaign's figures (sent, failed, delivered, bounces, complaints, unsubscribes), recorded on
the campaign as its deliveries change state and never recomputed from the delivery rows: a GDPR
erasure deletes a subscriber's rows, and the report of a past campaign must not change with it.

Sent and failed: each delivery row keeps the status the counters last counted
(`counted_status`); `count_deliveries` folds every change since into the counters, moving each
row once (the UPDATE that moves it is the count), so a batch recorded by a worker killed before
its counters were updated is counted by the next call, and two calls at once never count a row
twice. SES stamps (delivered, bounced, complained) are counted once each, when first set.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import F

from .models import Campaign, Delivery, Subscriber

STATUS_COUNTERS = {
    Delivery.Status.SENT.value: "sent_count",
    Delivery.Status.FAILED.value: "failed_count",
}
STAMP_COUNTERS = {
    "delivered_at": "delivered_count",
    "bounced_at": "bounce_count",
    "soft_bounced_at": "soft_bounce_count",
    "complained_at": "complaint_count",
}


def _add(campaign_id: int, deltas: Counter) -> None:
    changes = {name: F(name) + delta for name, delta in deltas.items() if delta}
    if changes:
        Campaign.objects.filter(pk=campaign_id).update(**changes)


def count_deliveries(campaign_id: int) -> None:
    """Fold the status changes of the campaign's deliveries since the last call into its
    counters."""
    moves = (
        Delivery.objects.filter(campaign_id=campaign_id)
        .exclude(counted_status=F("status"))
        .values_list("counted_status", "status")
        .distinct()
        .order_by()
    )
    deltas: Counter = Counter()
    with transaction.atomic():
        for old, new in list(moves):
            moved = Delivery.objects.filter(
                campaign_id=campaign_id, counted_status=old, status=new
            ).update(counted_status=new)
            if old in STATUS_COUNTERS:
                deltas[STATUS_COUNTERS[old]] -= moved
            if new in STATUS_COUNTERS:
                deltas[STATUS_COUNTERS[new]] += moved
        _add(campaign_id, deltas)


def count_stamp(delivery: Delivery, field: str) -> None:
    """`delivery` (as read before this SES event) has just got its first `field` stamp. A mail
    that bounced for good after a temporary failure counts once, as a hard bounce."""
    deltas: Counter = Counter({STAMP_COUNTERS[field]: 1})
    if field == "bounced_at" and delivery.soft_bounced_at is not None:
        deltas["soft_bounce_count"] -= 1
    if field == "soft_bounced_at" and delivery.bounced_at is not None:
        return
    _add(delivery.campaign_id, deltas)


def count_unsubscribe(subscriber_id: int) -> None:
    """The subscriber has just unsubscribed: count it for the campaign it is put down to."""
    campaign_id = (
        Subscriber.objects.filter(pk=subscriber_id)
        .values_list("unsubscribed_campaign_id", flat=True)
        .first()
    )
    if campaign_id:
        _add(campaign_id, Counter(unsubscribe_count=1))


def count_before_erasure(subscriber: Subscriber) -> None:
    """Count what the subscriber's deliveries did before their rows are erased."""
    campaign_ids = subscriber.deliveries.values_list("campaign_id", flat=True).distinct()
    for campaign_id in list(campaign_ids.order_by()):
        count_deliveries(campaign_id)


def erase_subscriber(subscriber: Subscriber) -> None:
    """GDPR erasure: the subscriber, their communes and their per-campaign delivery rows go;
    campaign totals (counters stored on the campaign) stay."""
    count_before_erasure(subscriber)
    subscriber.delete()
