"""Pagination and mentions shared by the programme's listings."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest
from django.utils.http import urlencode
from wagtail.models import Page

from renouveau import fragments
from renouveau.visibility import private_q, public_live

from .models import CaseStudyPage, CityPage, NewsPage, WebinarPage


def paginate(request: HttpRequest, items: Any, per_page: int) -> PaginatorPage:
    """The requested page; a page number that is not a number gives the first page and one
    past the end the last page (never an error)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def ids_key(items: Any) -> str:
    """The ids of a (sliced) queryset, in order, as a cache key: one query of integers, none of
    the pages themselves."""
    return ",".join(str(pk) for pk in items.values_list("pk", flat=True))


def base_query(params: dict[str, str]) -> str:
    """Query string of the active filters, to which pagination links add `page=`."""
    return urlencode(params)


def private_sections(request: HttpRequest | None = None) -> Q:
    """Wagtail's condition for pages in a private section, looked up once per request (each
    `.public()` costs a query; a page that lists several things would pay it several times) and
    cached per content generation (renouveau.fragments)."""
    cached = getattr(request, "_cites_pages_private_q", None)
    if cached is not None:
        return cached
    private = private_q(request)
    if request is not None:
        request._cites_pages_private_q = private
    return private


def programme_pages(request: HttpRequest | None = None) -> dict[type, Page]:
    """The live, public page of each single-instance type (indexes, figures page), in one query
    and once per request; plain `Page` objects (title and URL are all that links need)."""
    cached = getattr(request, "_cites_pages_programme_pages", None)
    if cached is not None:
        return cached
    from django.contrib.contenttypes.models import ContentType

    from .models import (
        CaseStudyIndexPage,
        CitiesIndexPage,
        NewsIndexPage,
        ProgrammeFiguresPage,
        WebinarIndexPage,
    )

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


def live_pages(manager: Any, request: HttpRequest | None = None) -> list:
    """The published, public pages of a page-to-page many-to-many field, by title.

    In a preview the relation is still in memory (modelcluster) and cannot be queried."""
    pages = manager.all()
    if hasattr(pages, "live"):
        return list(public_live(pages).exclude(private_sections(request)).order_by("title"))
    return sorted((p for p in pages if p.live), key=lambda p: p.title)


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
