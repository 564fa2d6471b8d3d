"""What the API sends, read from the apps below: one function per collection returning plain
dicts in the shapes of schemas.py. Each list costs a fixed number of queries whatever its
length (select_related / prefetch_related), and figures come from works.figures only."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from cites_pages.models import CityPage, NewsPage, WebinarPage
from cites_pages.registry import live_cities
from renouveau.visibility import public_pages
from works.figures import Observatory, dated, phase_state, tracked_operations
from works.models import Operation
from works.opendata import LICENCE, LICENCE_URL

PAGE_SIZE = 50
PHASE_STATES = {"done": "terminee", "current": "en_cours", "upcoming": "a_venir"}


@dataclass
class Slice:
    items: list[Any]
    count: int
    page: int
    pages: int


def page_of(queryset: QuerySet, page: int) -> Slice | None:
    """Page `page` (from 1) of PAGE_SIZE items; None past the last page (the first page of an
    empty collection exists)."""
    count = queryset.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    if page > pages:
        return None
    start = (page - 1) * PAGE_SIZE
    return Slice(list(queryset[start : start + PAGE_SIZE]), count, page, pages)


def paged(request: HttpRequest, part: Slice, results: list[dict]) -> dict[str, Any]:
    def link(number: int) -> str:
        return request.build_absolute_uri(f"{request.path}?page={number}")

    return {
        "nombre": part.count,
        "page": part.page,
        "pages": part.pages,
        "suivante": link(part.page + 1) if part.page < part.pages else None,
        "precedente": link(part.page - 1) if part.page > 1 else None,
        "resultats": results,
    }


# --- Cités ---


def cities() -> QuerySet[CityPage]:
    return live_cities().select_related("works_operation")


def city_record(city: CityPage, request: HttpRequest) -> dict[str, Any]:
    operation = getattr(city, "works_operation", None)
    return {
        "identifiant": city.slug,
        "nom": city.title,
        "url": city.get_full_url(request),
        "communes": [{"nom": c.name, "code_insee": c.insee_code} for c in city.communes.all()],
        "intercommunalite": city.epci.name if city.epci else None,
        "bailleur": city.landlord.name if city.landlord else None,
        "logements": city.dwellings,
        "etat": city.get_status_display(),
        "objectif_energetique": city.get_energy_target_display() if city.energy_target else None,
        "patrimoine_mondial_unesco": city.unesco_listed,
        "latitude": float(city.latitude) if city.latitude is not None else None,
        "longitude": float(city.longitude) if city.longitude is not None else None,
        "position_approximative": city.location_is_approximate,
        "suivi_des_travaux": (
            request.build_absolute_uri(reverse("opendata-v1:operation", args=[city.slug]))
            if operation
            else None
        ),
    }


# --- Works operations ---


def operations() -> QuerySet[Operation]:
    return tracked_operations().prefetch_related("phases", "deliveries")


def operation_record(operation: Operation, today: date) -> dict[str, Any]:
    deliveries = sorted(operation.deliveries.all(), key=lambda d: d.month)
    return {
        "cite": operation.city.slug,
        "cite_nom": operation.city.title,
        "bailleur": operation.landlord.name if operation.landlord else None,
        "logements_a_renover": operation.dwellings_planned,
        "logements_livres": sum(d.dwellings for d in deliveries),
        "donnees_de_demonstration": operation.is_demo,
        "mise_a_jour": operation.updated_at,
        "phases": [
            {
                "type": phase.kind,
                "nom": phase.name,
                "logements": phase.dwellings,
                "debut_prevu": phase.planned_start,
                "fin_prevue": phase.planned_end,
                "debut_reel": phase.actual_start,
                "fin_reelle": phase.actual_end,
                "etiquette_dpe_avant": phase.label_before or None,
                "etiquette_dpe_apres": phase.label_after or None,
                "etat": PHASE_STATES[phase_state(phase, today)],
            }
            for phase in operation.phases.all()
        ],
        "livraisons": [
            {"mois": d.month.strftime("%Y-%m"), "logements": d.dwellings} for d in deliveries
        ],
    }


def operation_records(items: list[Operation]) -> list[dict[str, Any]]:
    """The phases' states compare dates with today: the answer is kept until midnight at most."""
    return dated(lambda: [operation_record(o, timezone.localdate()) for o in items])()


# --- Figures ---


def figures_record(figures: Observatory) -> dict[str, Any]:
    def groups(rows, planned: bool = True) -> list[dict[str, Any]]:
        return [
            {
                "libelle": row.label,
                "logements_livres": row.delivered,
                "logements_a_renover": row.planned if planned else None,
            }
            for row in rows
        ]

    return {
        "objectif_logements": figures.target,
        "logements_livres": figures.delivered,
        "logements_a_renover": figures.planned,
        "pourcentage_de_l_objectif": figures.percent_of_target,
        "cites_suivies": len(figures.by_city),
        "mise_a_jour": figures.updated,
        "donnees_de_demonstration": figures.has_demo,
        "par_annee": groups(figures.by_year, planned=False),
        "par_intercommunalite": groups(figures.by_epci),
        "par_bailleur": groups(figures.by_landlord),
        "par_etiquette_gagnee": groups(figures.by_label, planned=False),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
    }


# --- News and webinars ---


def news() -> QuerySet[NewsPage]:
    public_cities = public_pages(CityPage.objects.all()).only("slug")
    return (
        public_pages(NewsPage.objects.all())
        .defer_streamfields()
        .prefetch_related("categories", Prefetch("related_cities", queryset=public_cities))
        .order_by("-date", "-pk")
    )


def news_record(item: NewsPage, request: HttpRequest) -> dict[str, Any]:
    return {
        "titre": item.title,
        "url": item.get_full_url(request),
        "date": item.date,
        "chapo": item.lead or item.get_teaser_text(),
        "categories": [category.name for category in item.categories.all()],
        "cites": [city.slug for city in item.related_cities.all()],
    }


def webinars() -> QuerySet[WebinarPage]:
    return public_pages(WebinarPage.objects.all()).defer_streamfields().order_by("-start", "-pk")


def webinar_record(webinar: WebinarPage, request: HttpRequest) -> dict[str, Any]:
    upcoming = webinar.is_upcoming
    return {
        "titre": webinar.title,
        "url": webinar.get_full_url(request),
        "debut": webinar.start,
        "fin": webinar.end,
        "format": webinar.get_mode_display(),
        "lieu": webinar.venue_name or None,
        "chapo": webinar.intro or webinar.get_teaser_text(),
        "a_venir": upcoming,
        "inscription": (webinar.registration_url or None) if upcoming else None,
    }
