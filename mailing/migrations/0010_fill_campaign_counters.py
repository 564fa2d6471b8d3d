"""Campaign figures (issue 23 item 5) are now recorded on the campaign (mailing/counters.py) instead of being counted
from the delivery rows at each report: fill the new counters of existing campaigns from their rows
(as they are today; rows already erased cannot be recovered, so a stored counter that is higher
is kept), mark every row as counted, and give test sends (which have no rows) their sent count."""

from django.db import migrations, models
from django.db.models import Count, F, Q


def forwards(apps, schema_editor):
    Campaign = apps.get_model("mailing", "Campaign")
    Delivery = apps.get_model("mailing", "Delivery")
    Subscriber = apps.get_model("mailing", "Subscriber")
    rows = (
        Delivery.objects.values("campaign_id")
        .annotate(
            sent=Count("id", filter=Q(status="sent")),
            failed=Count("id", filter=Q(status="failed")),
            delivered=Count("id", filter=Q(delivered_at__isnull=False)),
            hard=Count("id", filter=Q(bounced_at__isnull=False)),
            soft=Count("id", filter=Q(soft_bounced_at__isnull=False, bounced_at__isnull=True)),
            complaints=Count("id", filter=Q(complained_at__isnull=False)),
        )
        .order_by()
    )
    counts = {row.pop("campaign_id"): row for row in rows}
    unsubscribes = dict(
        Subscriber.objects.exclude(unsubscribed_campaign_id=None)
        .values_list("unsubscribed_campaign_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for campaign in Campaign.objects.all().iterator():
        row = counts.get(campaign.pk, {})
        campaign.sent_count = max(campaign.sent_count, row.get("sent", 0))
        campaign.failed_count = row.get("failed", campaign.failed_count)
        campaign.delivered_count = row.get("delivered", 0)
        campaign.bounce_count = max(campaign.bounce_count, row.get("hard", 0))
        campaign.soft_bounce_count = row.get("soft", 0)
        campaign.complaint_count = max(campaign.complaint_count, row.get("complaints", 0))
        campaign.unsubscribe_count = unsubscribes.get(campaign.pk, 0)
        if campaign.kind == "test" and campaign.status == "done" and not campaign.sent_count:
            # Its addresses were not recorded one by one: each was tried.
            campaign.sent_count = campaign.recipient_count
        campaign.save(
            update_fields=[
                "sent_count",
                "failed_count",
                "delivered_count",
                "bounce_count",
                "soft_bounce_count",
                "complaint_count",
                "unsubscribe_count",
            ]
        )
    Delivery.objects.exclude(counted_status=F("status")).update(counted_status=F("status"))


class Migration(migrations.Migration):
    dependencies = [("mailing", "0009_announcements_only_when_chosen")]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="delivered_count",
            field=models.PositiveIntegerField(default=0, verbose_name="remis"),
        ),
        migrations.AddField(
            model_name="campaign",
            name="soft_bounce_count",
            field=models.PositiveIntegerField(default=0, verbose_name="rebonds temporaires"),
        ),
        migrations.AddField(
            model_name="campaign",
            name="unsubscribe_count",
            field=models.PositiveIntegerField(default=0, verbose_name="désabonnements"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="counted_status",
            field=models.CharField(
                default="pending",
                db_default="pending",
                editable=False,
                max_length=20,
                verbose_name="statut compté",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
