"""The partner kit: light pages made to be framed by partners' sites (PARTNER_FRAME_ANCESTORS,
works.framing) — the programme counter, the map of the cités, the upcoming webinars and
« Suivre cette cité » (a link out: no form inside a frame) — beside the cité card of works, and
the page where a partner picks one and copies its <iframe> code. Each widget is a GET page with
no cookie, kept by the site's page cache until what it shows changes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cites_pages.listing import programme_pages
from cites_pages.models import WebinarIndexPage
from cites_pages.registry import live_cities
from cites_pages.webinars import upcoming_webinars
from works.figures import current_observatory
from works.framing import partner_frame

MAP_WIDTH = 320
UPCOMING_WEBINARS = 3


@dataclass
class Widget:
    kind: str
    title: str
    description: str
    height: int
    per_city: bool = False


WIDGETS = [
    Widget("cite", "Fiche d’une cité", "L’avancement des travaux d’une cité\u00a0: logements "
           "livrés, phase en cours et suivante.", 260, per_city=True),
    Widget("compteur", "Compteur du programme", "Les logements rénovés et livrés au regard de "
           "l’objectif de 23 000.", 200),
    Widget("carte", "Carte des cités", "Les cités suivies, placées sur une carte légère (SVG), "
           "avec leur avancement.", 460),
    Widget("webinaires", "Prochains webinaires", "Les trois prochains webinaires du programme.",
           280),
    Widget("suivre", "Suivre cette cité", "Un lien vers l’inscription aux nouvelles d’une cité "
           "(notes de chantier, actualités), sur notre site.", 150, per_city=True),
]  # fmt: skip
BY_KIND = {widget.kind: widget for widget in WIDGETS}


def _city(slug: str):
    city = live_cities().filter(slug=slug).first()
    if city is None:
        raise Http404("Aucune cité publiée ne porte cet identifiant.")
    return city


def widget_path(kind: str, slug: str = "") -> str:
    if kind == "cite":
        return reverse("works:widget", args=[slug])
    if kind == "suivre":
        return reverse("opendata_widget_follow", args=[slug])
    return reverse(f"opendata_widget_{kind}")


@require_GET
@partner_frame
def counter(request: HttpRequest) -> HttpResponse:
    figures = current_observatory(request)
    return render(request, "opendata/widget_counter.html", {"figures": figures})


@dataclass
class MapPoint:
    title: str
    url: str
    x: float
    y: float
    percent: int | None


def map_points(request: HttpRequest) -> tuple[list[MapPoint], int]:
    """The cités with a position, projected on a MAP_WIDTH-wide plane (equirectangular, which
    is exact enough across the 100 km of the coalfield), and the plane's height."""
    progress = {row.slug: row.percent for row in current_observatory(request).by_city}
    cities = [c for c in live_cities() if c.latitude is not None and c.longitude is not None]
    if not cities:
        return [], 0
    lats = [float(c.latitude) for c in cities]
    lons = [float(c.longitude) for c in cities]
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * shrink, 0.01)
    span_y = max(max(lats) - min(lats), 0.01)
    margin = 12
    scale = (MAP_WIDTH - 2 * margin) / span_x
    height = round(span_y * scale + 2 * margin)
    points = [
        MapPoint(
            title=city.title,
            url=city.get_full_url(request),
            x=round(margin + (float(city.longitude) - min(lons)) * shrink * scale, 1),
            y=round(margin + (max(lats) - float(city.latitude)) * scale, 1),
            percent=progress.get(city.slug),
        )
        for city in cities
    ]
    return points, height


@require_GET
@partner_frame
def city_map(request: HttpRequest) -> HttpResponse:
    points, height = map_points(request)
    return render(
        request,
        "opendata/widget_map.html",
        {"points": points, "width": MAP_WIDTH, "height": height,
         "observatory_url": request.build_absolute_uri(reverse("works:observatory"))},
    )  # fmt: skip


@require_GET
@partner_frame
def webinars(request: HttpRequest) -> HttpResponse:
    index = programme_pages(request).get(WebinarIndexPage)
    upcoming = list(upcoming_webinars()[:UPCOMING_WEBINARS])
    return render(
        request,
        "opendata/widget_webinars.html",
        {
            "webinars": upcoming,
            "index_url": index.get_full_url(request) if index else "",
            "now": timezone.now(),
        },
    )


@require_GET
@partner_frame
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    return render(
        request,
        "opendata/widget_follow.html",
        {
            "city": city,
            "follow_url": request.build_absolute_uri(reverse("mailing:follow", args=[city.pk])),
        },
    )


@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    """Pick a widget (and a cité for those about one), see it, copy its code: a GET form, so
    the page works without JavaScript and stays cacheable."""
    cities = list(live_cities().filter(works_operation__isnull=False))
    kind = request.GET.get("type", "")
    chosen = BY_KIND.get(kind)
    slug = request.GET.get("cite", "")
    error = ""
    code = src = ""
    if kind and chosen is None:
        error = "Ce widget n’existe pas\u00a0: choisissez-en un dans la liste."
    elif chosen and chosen.per_city and slug not in {city.slug for city in cities}:
        error = "Choisissez une cité dont les travaux sont suivis."
    elif chosen:
        src = request.build_absolute_uri(widget_path(chosen.kind, slug))
        code = (
            f'<iframe src="{src}" title="{chosen.title} – Renouveau du Bassin Minier" '
            f'width="100%" height="{chosen.height}" style="border:0;max-width:24rem" '
            f'loading="lazy"></iframe>'
        )
    response = render(
        request,
        "opendata/partners.html",
        {"widgets": WIDGETS, "chosen": chosen, "cities": cities, "slug": slug,
         "code": code, "src": src, "error": error},
        status=400 if error else 200,
    )  # fmt: skip
    return response
