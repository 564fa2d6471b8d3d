"""What the public may see of a page: published, not expired, and outside any private section.

Every public surface (listings, filters, feeds, teasers of other pages) asks here or uses
`public_pages`, so that a private, draft or expired page never appears as a title or a link.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Page


def public_pages(pages: QuerySet) -> QuerySet:
    """`pages` limited to live, public pages whose expiry (if any) has not passed."""
    return pages.live().public().filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))


def is_public_page(page: Page | None) -> bool:
    """The same test for one page (a teaser, a chooser's value)."""
    if page is None or not page.live or getattr(page, "expired", False):
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    return not page.get_view_restrictions().exists()
