"""Build an issue quickly from existing pages: each page becomes an editable teaser block."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from wagtail.models import Page, Site

from .models import NewsletterIssuePage


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


# Blocks copied whole into the next issue: the letter's fixed parts. Every other block comes as
# an empty block of its type, in its place, for the editor to fill.
KEPT_BLOCKS = {"masthead", "section_heading"}


def next_issue_structure(previous: Any) -> list[tuple[str, Any]]:
    """The previous issue's blocks, in order: its banner and section headings as they were,
    the others empty (same type, same place)."""
    structure = []
    for child in previous.body:
        kept = child.block_type in KEPT_BLOCKS
        structure.append((child.block_type, child.value if kept else child.block.get_default()))
    return structure


def issue_from_previous(index: Any, *, user: Any = None) -> Any:
    """A new draft issue under `index` with the structure of its latest issue (by number),
    numbered next; None when the index has no issue yet."""
    previous = NewsletterIssuePage.objects.child_of(index).order_by("-number").first()
    if previous is None:
        return None
    previous = previous.get_latest_revision_as_object()
    number = previous.number + 1
    title = re.sub(r"N°\s*\d+", f"N°{number}", previous.title)
    if title == previous.title:
        title = f"{previous.title} — N°{number}"
    slug, n = f"numero-{number}", 1
    while Page.objects.child_of(index).filter(slug=slug).exists():
        n += 1
        slug = f"numero-{number}-{n}"
    author = user if getattr(user, "pk", None) else None
    issue = NewsletterIssuePage(
        title=title,
        slug=slug,
        number=number,
        live=False,
        owner=author,
        body=next_issue_structure(previous),
    )
    index.add_child(instance=issue)
    issue.save_revision(user=author, log_action=True)
    return issue
