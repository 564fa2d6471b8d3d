"""The open data's pages around the API: its root (what is where), its French documentation
and the DCAT-AP catalogue. All GET, kept by the site's page cache."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from renouveau.models import SiteSettings
from works.opendata import LICENCE, LICENCE_URL

from . import catalogue as dcat
from .api import api
from .documentation import operations

COLLECTIONS = ["cites", "operations", "chiffres", "actualites", "webinaires"]


def _json(data: dict, content_type: str = "application/json") -> JsonResponse:
    return JsonResponse(data, content_type=content_type, json_dumps_params={"ensure_ascii": False})


@require_GET
def api_root(request: HttpRequest) -> JsonResponse:
    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name))

    return _json(
        {
            "titre": api.title,
            "version": api.version,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "schema_openapi": url("opendata-v1:openapi-json"),
            "documentation": url("opendata_documentation"),
            "catalogue_dcat": url("opendata_catalogue"),
            "collections": {name: url(f"opendata-v1:{name}") for name in COLLECTIONS},
        }
    )


@require_GET
def documentation(request: HttpRequest) -> HttpResponse:
    spec = json.loads(json.dumps(api.get_openapi_schema()))  # as served: status codes as text
    return render(
        request,
        "opendata/documentation.html",
        {
            "api": api,
            "operations": operations(spec),
            "schema_url": reverse("opendata-v1:openapi-json"),
            "catalogue_url": reverse("opendata_catalogue"),
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "rate": settings.OPENDATA_API_RATE_PER_IP,
        },
    )


@require_GET
def catalogue(request: HttpRequest) -> JsonResponse:
    contact = SiteSettings.for_request(request).contact_email
    return _json(dcat.catalogue(request, contact), "application/ld+json")
