"""Build an issue quickly from existing pages: each page becomes an editable teaser block."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from wagtail.models import Page, Site


def find_page_by_address(address: str) -> Page | None:
    """The live page at a public address of the site ("/cites/cite-taffin/" or a full URL)."""
    path = urlsplit(address.strip()).path or "/"
    if not path.endswith("/"):
        path += "/"
    for site in Site.objects.select_related("root_page"):
        url_path = site.root_page.url_path.rstrip("/") + path
        page = Page.objects.live().filter(url_path=url_path).first()
        if page is not None:
            return page
    return None


def teaser_blocks(pages: Sequence[Page]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (
            "page_teaser",
            {"page": page, "title": "", "text": "", "show_image": True, "link_label": ""},
        )
        for page in pages
    ]


def append_teasers(issue_page: Any, pages: Sequence[Page], *, user: Any = None) -> Any:
    """Append one teaser per page to the issue's latest draft and save it as a new revision
    (nothing is published: the editor reviews and edits the teasers first)."""
    draft = issue_page.get_latest_revision_as_object()
    draft.body = [*((block.block_type, block.value) for block in draft.body), *teaser_blocks(pages)]
    return draft.save_revision(user=user, log_action=True)
