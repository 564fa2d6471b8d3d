"""What the public may see of a page: published, not expired, and outside any private section.

Every public surface (listings, filters, feeds, teasers of other pages) asks here or uses
`public_pages`, so that a private, draft or expired page never appears as a title or a link.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page

from . import fragments


def private_q(request: HttpRequest | None = None) -> Q:
    """Wagtail's `private_q()` (pages in a private section), from the view restrictions cached
    per content generation (fragments.py) instead of one query each time."""
    if not fragments.enabled():
        return Page.objects.all().private_q()
    q = Q()
    for path, depth in fragments.restricted_sections(request):
        q |= Q(path__startswith=path, depth__gte=depth)
    return q if q else Q(pk__in=[])


def unexpired_q() -> Q:
    """Pages whose expiry date (« expire_at »), if any, has not passed yet."""
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def public_live(pages: Any) -> QuerySet:
    """`pages.live()` without the pages past their expiry date: every public listing, feed,
    home section and search uses it instead of `.live()`, so an expired page leaves them at
    once, not when the scheduler unpublishes it (up to a minute later, or never if it is down).
    `pages`: a page queryset or manager."""
    return pages.live().filter(unexpired_q())


def public_pages(pages: QuerySet, request: HttpRequest | None = None) -> QuerySet:
    """`pages` limited to live, public pages whose expiry (if any) has not passed."""
    return public_live(pages).exclude(private_q(request))


def is_public_page(page: Page | None) -> bool:
    """The same test for one page (a teaser, a chooser's value)."""
    if page is None or not page.live or getattr(page, "expired", False):
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    if fragments.enabled() and not getattr(page, "alias_of_id", None):
        return not fragments.in_restricted_section(page.path)
    return not page.get_view_restrictions().exists()
