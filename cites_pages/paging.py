"""Pagination and visibility helpers of the programme's listings, below the page models (which
use them in their views) and the listing queries (listing.py)."""

from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest
from django.utils.http import urlencode

from renouveau import fragments
from renouveau.visibility import is_public_page, private_q, public_live

# What a link to another page shows of it: its title and address, and what says whether it is
# public (a page loaded with its other fields deferred does not query them one by one).
LINK_FIELDS = (
    "title", "url_path", "path", "depth", "live", "expired", "go_live_at", "expire_at", "alias_of"
)  # fmt: skip


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
        public = public_live(pages).exclude(private_sections(request))
        return list(public.order_by("title").only(*LINK_FIELDS))
    return sorted((p for p in pages if p.live), key=lambda p: p.title)


def page_link(model: type, page_id: int | None, request: HttpRequest | None = None) -> dict | None:
    """Title and address of the page `page_id` (of `model`) while it is public, else None: kept
    as a fragment of that page, so that a publish of the page showing the link does not read
    the other page again."""
    if not page_id:
        return None

    def build() -> dict | None:
        page = model.objects.filter(pk=page_id).only(*LINK_FIELDS).first()
        if not is_public_page(page):
            return None
        return {"title": page.title, "url": page.get_url(request)}

    return fragments.cached("page-link", build, request, page_id)
