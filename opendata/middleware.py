"""Rate limit of the open data API, before the page cache: a cached answer costs little, but a
client looping over the API is told to slow down whatever it asks (renouveau.abuse counts per
client IP, as every limit of the site)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from renouveau.abuse import ip_limited

API_PREFIX = "/api/"


class ApiRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and ip_limited(
            request, "opendata-api", settings.OPENDATA_API_RATE_PER_IP
        ):
            response = JsonResponse(
                {
                    "detail": "Trop de requêtes depuis cette adresse\u00a0: réessayez dans une "
                    f"minute (limite\u00a0: {settings.OPENDATA_API_RATE_PER_IP} requêtes)."
                },
                status=429,
                json_dumps_params={"ensure_ascii": False},
            )
            response["Retry-After"] = "60"
            return response
        return self.get_response(request)
