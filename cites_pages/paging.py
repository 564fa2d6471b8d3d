"""Pagination and visibility helpers of the programme's listings, below the page models (which
use them in their views) and the listing queries (listing.py)."""

from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest
from django.utils.http import urlencode

from renouveau.visibility import private_q, public_live


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


def live_pages(manager: Any, request: HttpRequest | None = None) -> list:
    """The published, public pages of a page-to-page many-to-many field, by title.

    In a preview the relation is still in memory (modelcluster) and cannot be queried."""
    pages = manager.all()
    if hasattr(pages, "live"):
        return list(public_live(pages).exclude(private_sections(request)).order_by("title"))
    return sorted((p for p in pages if p.live), key=lambda p: p.title)
