"""The programme's single-instance pages and the mentions of a cité, shared by the listings
(pagination and visibility helpers: paging.py)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from wagtail.models import Page

from renouveau import fragments
from renouveau.visibility import public_live

from .models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CitiesIndexPage,
    CityPage,
    NewsIndexPage,
    NewsPage,
    ProgrammeFiguresPage,
    WebinarIndexPage,
    WebinarPage,
)
from .paging import private_sections


def programme_pages(request: HttpRequest | None = None) -> dict[type, Page]:
    """The live, public page of each single-instance type (indexes, figures page), in one query
    and once per request; plain `Page` objects (title and URL are all that links need)."""
    cached = getattr(request, "_cites_pages_programme_pages", None)
    if cached is not None:
        return cached

    models = [
        CitiesIndexPage,
        NewsIndexPage,
        WebinarIndexPage,
        CaseStudyIndexPage,
        ProgrammeFiguresPage,
    ]
    content_types = ContentType.objects.get_for_models(*models)  # cached by Django
    by_type_id = {ct.pk: model for model, ct in content_types.items()}
    private = private_sections(request)

    def build() -> dict[type, Page]:
        pages: dict[type, Page] = {}
        for page in (
            public_live(Page.objects)
            .filter(content_type_id__in=by_type_id)
            .exclude(private)
            .order_by("path")
        ):
            pages.setdefault(by_type_id[page.content_type_id], page)
        return pages

    pages = fragments.cached("programme-pages", build, request)
    if request is not None:
        request._cites_pages_programme_pages = pages
    return pages


@dataclass
class Mentions:
    news: list[NewsPage]
    case_studies: list[CaseStudyPage]
    webinars: list[WebinarPage]

    def __bool__(self) -> bool:
        return bool(self.news or self.case_studies or self.webinars)


def mentions_of(city: CityPage, request: HttpRequest | None = None, limit: int = 12) -> Mentions:
    """The published news, case studies and webinars that say they relate to this cité (cached
    per cité and content generation: a published mention bumps it)."""
    if city.pk is None:  # preview of a page never saved
        return Mentions([], [], [])
    return fragments.cached(
        "mentions", lambda: _mentions_of(city, request, limit), request, city.pk, limit
    )


def _mentions_of(city: CityPage, request: HttpRequest | None, limit: int) -> Mentions:
    private = private_sections(request)
    return Mentions(
        news=list(
            public_live(NewsPage.objects)
            .exclude(private)
            .filter(related_cities=city)
            .defer_streamfields()
            .order_by("-date")[:limit]
        ),
        case_studies=list(
            public_live(CaseStudyPage.objects)
            .exclude(private)
            .filter(cities=city)
            .defer_streamfields()
            .select_related("theme")
            .order_by("title")[:limit]
        ),
        webinars=list(
            public_live(WebinarPage.objects)
            .exclude(private)
            .filter(related_cities=city)
            .defer_streamfields()
            .order_by("-start")[:limit]
        ),
    )
