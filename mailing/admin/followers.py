"""Staff side of « Suivre une cité »: followers per cité and the updates waiting for the
evening's alert. One query per table, whatever the number of cités."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from wagtail.admin.menu import MenuItem

from cites_pages.models import CityPage

from ..models import CiteUpdate, Subscriber

VIEW_PERMISSION = "mailing.view_subscriber"


def followers_per_cite():
    """Cités with their confirmed and pending followers, most followed first."""
    return (
        CityPage.objects.live()
        .annotate(
            confirmed=Count("followers", filter=Q(followers__status=Subscriber.Status.CONFIRMED)),
            pending=Count("followers", filter=Q(followers__status=Subscriber.Status.PENDING)),
        )
        .order_by("-confirmed", "title")
        .values("pk", "title", "confirmed", "pending")
    )


def followers_view(request: HttpRequest):
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    waiting = CiteUpdate.objects.filter(alerted_at__isnull=True).select_related("cite")
    recent = CiteUpdate.objects.filter(alerted_at__isnull=False).select_related("cite")[:20]
    return TemplateResponse(
        request,
        "mailing/admin/followers.html",
        {"cites": followers_per_cite(), "waiting": waiting, "recent": recent},
    )


class FollowersMenuItem(MenuItem):
    def __init__(self):
        super().__init__(
            "Cités suivies",
            reverse_lazy("mailing_admin_followers"),
            icon_name="home",
            order=110,
        )

    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)
