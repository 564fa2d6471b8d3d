"""« Exporter en CSV »: the subscriber list exactly as the admin list filters, searches and sorts
it (its own view's queryset, not a second reading of the query string), in our CSV format
(audience/csv_io.py). A filter the list does not offer answers 400 with a French message, on
the list too."""

from __future__ import annotations

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView

from ..audience.csv_io import export_csv_lines
from .permissions import can_view_subscribers

BAD_FILTER = (
    "Filtre non reconnu\u00a0: la liste des abonnés ne peut pas être filtrée ainsi. "
    "Revenez à la liste et choisissez l’un des filtres proposés."
)


class SubscriberIndexView(IndexView):
    """The subscribers' list; `?export=csv` answers the filtered list as our CSV."""

    FORMATS = ("csv",)

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:  # a hand-made or outdated query string
            return HttpResponseBadRequest(BAD_FILTER, content_type="text/plain; charset=utf-8")

    def get_filters(self, request):
        specs, has_filters, remaining, use_distinct = super().get_filters(request)
        if remaining:  # modeladmin would filter on any field (hidden ones, regexes): not ours
            raise IncorrectLookupParameters(f"not a filter of the list: {sorted(remaining)}")
        return specs, has_filters, remaining, use_distinct

    def as_spreadsheet(self, queryset, spreadsheet_format) -> HttpResponse:
        if not can_view_subscribers(self.request.user):
            raise PermissionDenied
        response = StreamingHttpResponse(
            export_csv_lines(queryset), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="abonnes-{stamp}.csv"'
        return response


def export_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """The export's own address (the list's button links here with the list's query string):
    the list's view, asked for its CSV."""
    request.GET = request.GET.copy()
    request.GET[SubscriberIndexView.EXPORT_VAR] = "csv"
    return model_admin.index_view(request)
