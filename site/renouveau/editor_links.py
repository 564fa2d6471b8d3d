"""Internal page links in rich text, as the editor receives them: looked up all at once per edit
view, not three queries per link (issue 32: an issue with 15 links cost 45 queries).

Wagtail's converter from the database format to the editor's (Draftail's contentstate) asks
each `<a linktype="page" id="…">` for its page, the page's specific row and its parent, one link
at a time. Before the edit view renders, `prefetch_page_links` reads every rich text of the page
being edited, looks the linked pages up in a few queries (one for the pages, one per page type,
one for their parents) and keeps what the editor needs for the rest of the request; the handler
registered for the "link" feature answers from it, and asks Wagtail for a link it does not know
(one typed in a form sent back with errors).
"""

import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from wagtail.admin.rich_text.converters.contentstate import link_entity
from wagtail.admin.rich_text.converters.html_to_contentstate import (
    ExternalLinkElementHandler,
    PageLinkElementHandler,
)
from wagtail.fields import StreamField
from wagtail.models import Page

PAGE_LINK = re.compile(r"<a\b[^>]*\blinktype=\"page\"[^>]*>")
LINK_ID = re.compile(r"\bid=\"(\d+)\"")

# Page id -> the entity data Wagtail's PageLinkElementHandler would give; None outside an edit
# view (request_finished clears it: a worker's next request must not see another page's links).
_known_links: ContextVar[dict[int, dict[str, Any]] | None] = ContextVar(
    "editor_page_links", default=None
)


def _texts(value: Any) -> Iterator[str]:
    """Every string inside a field's stored value (a StreamField's is nested lists and dicts)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def linked_page_ids(page: Page) -> set[int]:
    """The ids of the pages the rich texts of `page` (its fields and StreamField blocks) link to."""
    ids = set()
    for field in page._meta.concrete_fields:
        value = field.value_from_object(page)
        if isinstance(field, StreamField):
            value = field.get_prep_value(value)
        for text in _texts(value):
            if 'linktype="page"' not in text:
                continue
            for tag in PAGE_LINK.findall(text):
                ids.update(int(found) for found in LINK_ID.findall(tag))
    return ids


def page_link_data(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """What the editor shows of a link to each page: as Wagtail's handler gives it (the specific
    page's URL, its parent for the chooser), a missing page kept as a broken link."""
    ids = set(ids)
    data = {pk: {"id": pk, "url": None, "parentId": None} for pk in ids}
    if not ids:
        return data
    pages = list(Page.objects.filter(id__in=ids).defer_streamfields().specific())
    parent_paths = {page.path[: -Page.steplen] for page in pages if page.depth > 1}
    parents = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "id"))
    for page in pages:
        data[page.id] = {
            "id": page.id,
            "url": page.url,
            "parentId": parents.get(page.path[: -Page.steplen]) if page.depth > 1 else None,
        }
    return data


def prefetch_page_links(request: Any, page: Page) -> None:
    """`before_edit_page` hook: the links of the page about to be edited, looked up at once."""
    _known_links.set(page_link_data(linked_page_ids(page)))


def forget_page_links(**_kwargs: Any) -> None:
    """`request_finished` receiver."""
    _known_links.set(None)


class PrefetchedPageLinkHandler(PageLinkElementHandler):
    def get_attribute_data(self, attrs: dict[str, str]) -> dict[str, Any]:
        known = _known_links.get()
        link_id = attrs.get("id", "")
        if known is not None and link_id.isdigit() and int(link_id) in known:
            return dict(known[int(link_id)])
        return super().get_attribute_data(attrs)


def register_link_rule(features: Any) -> None:
    """`register_rich_text_features` hook, run after Wagtail's: its "link" rule for the editor,
    with the page links answered by PrefetchedPageLinkHandler."""
    features.register_converter_rule(
        "contentstate",
        "link",
        {
            "from_database_format": {
                "a[href]": ExternalLinkElementHandler("LINK"),
                'a[linktype="page"]': PrefetchedPageLinkHandler("LINK"),
            },
            "to_database_format": {"entity_decorators": {"LINK": link_entity}},
        },
    )
