"""Pagination and mentions shared by the programme's listings."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.http import urlencode
from wagtail.models import Page

from .models import CaseStudyPage, CityPage, NewsPage, WebinarPage


def paginate(request: HttpRequest, items: Any, per_page: int) -> PaginatorPage:
    """The requested page; a page number that is not a number gives the first page and one
    past the end the last page (never an error)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def base_query(params: dict[str, str]) -> str:
    """Query string of the active filters, to which pagination links add `page=`."""
    return urlencode(params)


def live_pages(manager: Any) -> list:
    """The published, public pages of a page-to-page many-to-many field, by title.

    In a preview the relation is still in memory (modelcluster) and cannot be queried."""
    pages = manager.all()
    if hasattr(pages, "live"):
        return list(pages.live().public().order_by("title"))
    return sorted((p for p in pages if p.live), key=lambda p: p.title)


@dataclass
class Mentions:
    news: list[NewsPage]
    case_studies: list[CaseStudyPage]
    webinars: list[WebinarPage]

    def __bool__(self) -> bool:
        return bool(self.news or self.case_studies or self.webinars)


def mentions_of(city: CityPage, limit: int = 12) -> Mentions:
    """The published news, case studies and webinars that say they relate to this cité."""
    if city.pk is None:  # preview of a page never saved
        return Mentions([], [], [])
    # One look-up of the private sections for the three lists (.public() costs one each).
    private = Page.objects.all().private_q()
    return Mentions(
        news=list(
            NewsPage.objects.live()
            .exclude(private)
            .filter(related_cities=city)
            .order_by("-date")[:limit]
        ),
        case_studies=list(
            CaseStudyPage.objects.live()
            .exclude(private)
            .filter(cities=city)
            .select_related("theme")
            .order_by("title")[:limit]
        ),
        webinars=list(
            WebinarPage.objects.live()
            .exclude(private)
            .filter(related_cities=city)
            .order_by("-start")[:limit]
        ),
    )
