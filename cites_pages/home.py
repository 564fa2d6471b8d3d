"""Home-page sections of the programme (registered through the `home_page_sections` hook).

The sections share one look-up of the programme's index pages and of the private sections per
request (see listing.py), so the home page's cost does not grow with each section."""

from typing import Any

from django.http import HttpRequest

from renouveau.visibility import public_live

from .figures import programme_figures
from .listing import programme_pages
from .models import NewsIndexPage, NewsPage, ProgrammeFiguresPage, WebinarIndexPage
from .paging import private_sections
from .webinars import past_webinars, upcoming_webinars

HOME_NEWS = 3


def news_section(home: Any, request: HttpRequest) -> dict | None:
    index = programme_pages(request).get(NewsIndexPage)
    if index is None:
        return None
    news = list(
        public_live(NewsPage.objects)
        .exclude(private_sections(request))
        .descendant_of(index)
        .defer_streamfields()
        .select_related("image", "teaser_image")
        .prefetch_related("categories", "image__renditions", "teaser_image__renditions")
        .order_by("-date", "-pk")[:HOME_NEWS]
    )
    if not news:
        return None
    return {
        "template": "cites_pages/includes/home_news.html",
        "order": 10,
        "news": news,
        "index": index,
    }


def figures_section(home: Any, request: HttpRequest) -> dict | None:
    figures = programme_figures(private=private_sections(request))
    if not figures.cities:
        return None
    return {
        "template": "cites_pages/includes/home_figures.html",
        "order": 20,
        "figures": figures,
        "page": programme_pages(request).get(ProgrammeFiguresPage),
    }


def webinars_section(home: Any, request: HttpRequest) -> dict | None:
    index = programme_pages(request).get(WebinarIndexPage)
    if index is None:
        return None
    private = private_sections(request)
    webinars = list(
        upcoming_webinars(index, private).prefetch_related("teaser_image__renditions")[:1]
    )
    upcoming = bool(webinars)
    if not webinars:
        webinars = list(
            past_webinars(index, private).prefetch_related("teaser_image__renditions")[:1]
        )
    if not webinars:
        return None
    return {
        "template": "cites_pages/includes/home_webinars.html",
        "order": 30,
        "webinars": webinars,
        "upcoming": upcoming,
        "index": index,
    }
