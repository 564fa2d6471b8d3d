"""The read-only open data API, version 1 (/api/v1/), built on django-ninja: Wagtail 8 already
depends on it (its own API v3 is made with it), it generates the OpenAPI 3.1 schema from the
answers' types (schemas.py), and validates parameters. Answers are GET only, kept by the site's
page cache (renouveau.page_cache: a works change makes them stale at once), limited per client
IP (middleware.py) and open to any site by CORS (settings CORS_URLS_REGEX)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from pydantic import Field

from works.figures import current_observatory

from . import records, schemas

DESCRIPTION = (
    "Données ouvertes du Renouveau du Bassin Minier (ERBM)\u00a0: cités, opérations de travaux "
    "(phases et livraisons mensuelles), chiffres de l’observatoire, actualités et webinaires. "
    "Lecture seule, sans clé, réponses en JSON, sous Licence Ouverte / Open Licence 2.0 (Etalab)."
)

api = NinjaAPI(
    title="API des données ouvertes du Renouveau du Bassin Minier",
    version="1",
    description=DESCRIPTION,
    urls_namespace="opendata-v1",
    docs_url=None,  # the French page of documentation.py, rendered on the server
    openapi_extra={
        "info": {
            "license": {
                "name": "Licence Ouverte / Open Licence 2.0 (Etalab)",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            }
        }
    },
)

# The errors every operation may answer (429: middleware.py), in the schema so that clients
# and the contract tests know their shape.
ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Numéro de page, à partir de 1.")


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError):
    names = sorted({str(error["loc"][-1]) for error in exc.errors if error.get("loc")})
    detail = "Paramètre invalide\u00a0: " + ", ".join(names or ["requête"])
    if "page" in names:
        detail += " (un nombre entier à partir de 1)"
    return api.create_response(request, {"detail": detail + "."}, status=400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    message = str(exc) if exc.args else "Ressource introuvable."
    return api.create_response(request, {"detail": message}, status=404)


def _page(request: HttpRequest, queryset, number: int, record=None, *, many=None) -> dict:
    """Page `number` of `queryset`, each item made a record by `record`, or all of them at once
    by `many` (records built together)."""
    part = records.page_of(queryset, number)
    if part is None:
        raise Http404(f"Page {number} inexistante.")
    results = many(part.items) if many else [record(item) for item in part.items]
    return records.paged(request, part, results)


@api.get(
    "/cites",
    response={200: schemas.CityPage, **ERRORS},
    operation_id="cites",
    url_name="cites",
    summary="Liste des cités",
    tags=["Cités"],
)
def list_cities(request: HttpRequest, query: Query[PageQuery]):
    """Les cités publiées, par ordre alphabétique, 50 par page."""
    return _page(request, records.cities(), query.page, lambda c: records.city_record(c, request))


@api.get(
    "/cites/{identifiant}",
    response={200: schemas.City, **ERRORS},
    operation_id="cite",
    url_name="cite",
    summary="Une cité",
    tags=["Cités"],
)
def get_city(request: HttpRequest, identifiant: str):
    """Une cité, par son identifiant (celui de l’adresse de sa fiche)."""
    city = records.cities().filter(slug=identifiant).first()
    if city is None:
        raise Http404("Aucune cité publiée ne porte cet identifiant.")
    return records.city_record(city, request)


@api.get(
    "/operations",
    response={200: schemas.OperationPage, **ERRORS},
    operation_id="operations",
    url_name="operations",
    summary="Opérations de travaux",
    tags=["Travaux"],
)
def list_operations(request: HttpRequest, query: Query[PageQuery]):
    """Le suivi des travaux de chaque cité\u00a0: phases (dates prévues et réelles, étiquettes
    DPE avant et après) et logements livrés par mois."""
    return _page(request, records.operations(), query.page, many=records.operation_records)


@api.get(
    "/operations/{identifiant}",
    response={200: schemas.Operation, **ERRORS},
    operation_id="operation",
    url_name="operation",
    summary="L’opération de travaux d’une cité",
    tags=["Travaux"],
)
def get_operation(request: HttpRequest, identifiant: str):
    """Le suivi des travaux d’une cité, par l’identifiant de la cité."""
    operation = get_object_or_404(records.operations(), city__slug=identifiant)
    return records.operation_records([operation])[0]


@api.get(
    "/chiffres",
    response={200: schemas.Figures, 429: schemas.Error},
    operation_id="chiffres",
    url_name="chiffres",
    summary="Chiffres de l’observatoire",
    tags=["Travaux"],
)
def get_figures(request: HttpRequest):
    """Les chiffres de l’observatoire\u00a0: logements livrés au regard de l’objectif de
    23\u00a0000, par année, intercommunalité, bailleur et étiquette énergétique gagnée."""
    return records.figures_record(current_observatory(request))


@api.get(
    "/actualites",
    response={200: schemas.NewsPage, **ERRORS},
    operation_id="actualites",
    url_name="actualites",
    summary="Actualités",
    tags=["Actualités et webinaires"],
)
def list_news(request: HttpRequest, query: Query[PageQuery]):
    """Les actualités publiées, des plus récentes aux plus anciennes."""
    return _page(request, records.news(), query.page, lambda n: records.news_record(n, request))


@api.get(
    "/webinaires",
    response={200: schemas.WebinarPage, **ERRORS},
    operation_id="webinaires",
    url_name="webinaires",
    summary="Webinaires",
    tags=["Actualités et webinaires"],
)
def list_webinars(request: HttpRequest, query: Query[PageQuery]):
    """Les webinaires, à venir et passés, du plus récent au plus ancien."""
    return _page(
        request, records.webinars(), query.page, lambda w: records.webinar_record(w, request)
    )
