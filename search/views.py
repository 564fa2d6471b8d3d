"""Public search views: the results page and the autocomplete suggestions (JSON)."""

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from .searching import SearchOutcome, run_search, suggestions


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    outcome = run_search(request.GET, request=request)
    return TemplateResponse(
        request,
        "search/search.html",
        {"search": outcome, "query": outcome.query, "filter_querystring": _filters(outcome)},
    )


def _filters(outcome: SearchOutcome) -> str:
    """The query string of the current search without `page`, for pagination links."""
    params = QueryDict(mutable=True)
    params["q"] = outcome.query.text
    for key in ("type", "commune", "epci"):
        value = getattr(outcome, f"selected_{key}")
        if value:
            params[key] = value
    return params.urlencode()


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"suggestions": suggestions(request.GET.get("q"))})
    response["Cache-Control"] = "public, max-age=60"
    return response
