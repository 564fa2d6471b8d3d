"""The library listing: filters read from the query string, and the documents they select.

Unknown or malformed filter values are dropped (the visitor gets the unfiltered list), and the
page number is clamped, so no query string can produce an error page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from wagtail.models import Page

from cites_pages.models import CityPage
from renouveau.visibility import public_pages

from .models import DocumentKind, LibraryDocument

PER_PAGE = 20


@dataclass
class Choice:
    value: str
    label: str
    selected: bool = False


@dataclass
class LibraryFilters:
    kind: str = ""
    theme: str = ""
    cite: str = ""
    kinds: list[Choice] = field(default_factory=list)
    themes: list[Choice] = field(default_factory=list)
    cites: list[Choice] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.kind or self.theme or self.cite)


def city_pages() -> QuerySet[Page]:
    """Public cité pages that have at least one document, for the cité filter."""
    return (
        public_pages(Page.objects.all())
        .type(CityPage)
        .filter(library_documents__isnull=False)
        .distinct()
        .order_by("title")
    )


def _choice_value(raw: str, allowed: set[str]) -> str:
    return raw if raw in allowed else ""


def read_filters(params: dict[str, Any]) -> LibraryFilters:
    """Filters from GET parameters; values that match no option are ignored."""
    filters = LibraryFilters()
    kinds = {value for value, _ in DocumentKind.choices}
    filters.kind = _choice_value(str(params.get("type", "")), kinds)
    filters.kinds = [Choice(v, label, v == filters.kind) for v, label in DocumentKind.choices]

    theme_model = LibraryDocument._meta.get_field("theme").related_model
    themes = list(theme_model.objects.values_list("slug", "name"))
    filters.theme = _choice_value(str(params.get("theme", "")), {s for s, _ in themes})
    filters.themes = [Choice(s, name, s == filters.theme) for s, name in themes]

    cites = list(city_pages().values_list("slug", "title"))
    filters.cite = _choice_value(str(params.get("cite", "")), {s for s, _ in cites})
    filters.cites = [Choice(s, title, s == filters.cite) for s, title in cites]
    return filters


def library_documents(filters: LibraryFilters) -> QuerySet[LibraryDocument]:
    """The documents selected by `filters`, newest first, with what the listing shows prefetched
    (a fixed number of queries however many documents there are)."""
    documents = LibraryDocument.objects.all()
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.theme:
        documents = documents.filter(theme__slug=filters.theme)
    if filters.cite:  # a slug of city_pages(): public cités only
        documents = documents.filter(
            related_pages__in=city_pages().filter(slug=filters.cite)
        ).distinct()
    documents = documents.select_related("theme")
    related = public_pages(Page.objects.all()).only("id", "title", "url_path", "depth", "path")
    return documents.prefetch_related(
        Prefetch("related_pages", queryset=related.order_by("title"), to_attr="live_pages")
    ).order_by("-date", "-created_at", "-pk")


def library_context(request: HttpRequest) -> dict[str, Any]:
    filters = read_filters(request.GET)
    paginator = Paginator(library_documents(filters), PER_PAGE)
    page_number = request.GET.get("page", "1")
    # get_page() falls back to the first page for non-numbers and the last for too large ones.
    documents = paginator.get_page(page_number)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "documents": documents,
        "paginator": paginator,
        "filter_query": query.urlencode(),
    }
