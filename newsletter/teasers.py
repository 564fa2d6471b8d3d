"""The pages an issue puts forward (« Page mise en avant »), loaded for the whole issue in a
few queries, whatever their number: the e-mail (email_context.py) and the web page both show
their teaser text and image."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import prefetch_related_objects
from wagtail.models import Page

TEASER_BLOCK = "page_teaser"


def load_teased_pages(page_ids: Iterable[int]) -> dict[int, Page]:
    """The specific pages of `page_ids` with their teaser images: one query per page type and
    per image field, not two or three per page."""
    pages = {page.pk: page for page in Page.objects.filter(pk__in=set(page_ids)).specific()}
    by_class: dict[type, list[Page]] = {}
    for page in pages.values():
        by_class.setdefault(type(page), []).append(page)
    for model, same_class in by_class.items():
        fields = getattr(model, "teaser_image_fields", ())  # BasePage's, first set first
        if fields:
            prefetch_related_objects(same_class, *fields)
    return pages


def show_teased_pages(body: Any) -> None:
    """Put the loaded specific pages into the issue's teaser blocks (their web template reads
    the teaser text and image of `value.page`)."""
    teasers = [
        child.value
        for child in body
        if child.block_type == TEASER_BLOCK and child.value.get("page") is not None
    ]
    if not teasers:
        return
    pages = load_teased_pages(value["page"].pk for value in teasers)
    for value in teasers:
        value["page"] = pages.get(value["page"].pk, value["page"])
