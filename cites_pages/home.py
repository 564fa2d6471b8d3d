"""Home-page sections of the programme (registered through the `home_page_sections` hook)."""

from typing import Any

from django.http import HttpRequest

from .figures import programme_figures
from .models import NewsIndexPage, NewsPage, ProgrammeFiguresPage, WebinarIndexPage
from .webinars import past_webinars, upcoming_webinars

HOME_NEWS = 3


def news_section(home: Any, request: HttpRequest) -> dict | None:
    index = NewsIndexPage.objects.live().public().first()
    if index is None:
        return None
    news = list(
        NewsPage.objects.live()
        .public()
        .descendant_of(index)
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
    figures = programme_figures()
    if not figures.cities:
        return None
    return {
        "template": "cites_pages/includes/home_figures.html",
        "order": 20,
        "figures": figures,
        "page": ProgrammeFiguresPage.objects.live().public().first(),
    }


def webinars_section(home: Any, request: HttpRequest) -> dict | None:
    index = WebinarIndexPage.objects.live().public().first()
    if index is None:
        return None
    webinars = list(upcoming_webinars(index).prefetch_related("teaser_image__renditions")[:1])
    upcoming = bool(webinars)
    if not webinars:
        webinars = list(past_webinars(index).prefetch_related("teaser_image__renditions")[:1])
    if not webinars:
        return None
    return {
        "template": "cites_pages/includes/home_webinars.html",
        "order": 30,
        "webinars": webinars,
        "upcoming": upcoming,
        "index": index,
    }
