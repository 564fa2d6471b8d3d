"""The mailing panel of the admin dashboard: subscribers per status, the last campaign."""

from __future__ import annotations

from django.db.models import Count
from wagtail.admin.ui.components import Component

from ..models import Campaign, Subscriber


class MailingDashboardPanel(Component):
    name = "mailing"
    order = 150
    template_name = "mailing/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        counts = dict(
            Subscriber.objects.values("status")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("status", "n")
        )
        last = Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-created_at")
        return {
            "counts": [(label, counts.get(value, 0)) for value, label in Subscriber.Status.choices],
            "to_renew": Subscriber.objects.filter(
                status=Subscriber.Status.CONFIRMED, renewal_flagged_at__isnull=False
            ).count(),
            "last_campaign": last.first(),
        }
