"""« Exporter » the subscriber list as filtered in the admin list, as CSV (audience/csv_io.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from ..audience.csv_io import export_csv_lines
from ..models import Subscriber
from .permissions import can_view_subscribers


def filtered_subscribers(request: HttpRequest):
    """The subscriber list as filtered in the admin list (same query-string parameters)."""
    queryset = Subscriber.objects.order_by("email")
    status = request.GET.get("status__exact")
    if status in Subscriber.Status.values:
        queryset = queryset.filter(status=status)
    profile = request.GET.get("profile__exact")
    if profile in Subscriber.Profile.values:
        queryset = queryset.filter(profile=profile)
    commune = request.GET.get("communes__id__exact", "")
    if commune.isdigit():
        queryset = queryset.filter(communes__id=int(commune))
    search = request.GET.get("q", "").strip()
    if search:
        queryset = queryset.filter(Q(email__icontains=search) | Q(first_name__icontains=search))
    return queryset


def export_view(request: HttpRequest) -> HttpResponse:
    if not can_view_subscribers(request.user):
        raise PermissionDenied
    response = StreamingHttpResponse(
        export_csv_lines(filtered_subscribers(request)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="abonnes-{stamp}.csv"'
    return response
