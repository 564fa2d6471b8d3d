"""The interface of a block of the letter: it renders itself on the web, in MJML and in text.

A new block is one class and two templates side by side in `templates/newsletter/blocks/`:

    class EventBlock(NewsletterBlock, blocks.StructBlock):
        title = blocks.CharBlock()

        class Meta:
            template = "newsletter/blocks/event.html"  # the web archive
            mjml_template = "newsletter/blocks/event.mjml.html"  # the e-mail, given `item`

        def email_item(self, value, context):
            return {"title": value["title"]}

        def email_text(self, item):
            return [underlined(item["title"])]

then one line in `NewsletterStreamBlock`. `newsletter.rendering` does the rest for every block.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from wagtail.models import Page

from .email_context import EmailContext
from .email_text import Section


class NewsletterBlock:
    """Mixin for the child blocks of `NewsletterStreamBlock` (before the Wagtail block class)."""

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        """The values the e-mail shows, ready to print: absolute addresses (`context.resolve`,
        `absolute_url`), image renditions (`context.credited`), rich text as HTML under "html".
        Text under the keys of `email_text.TEXT_KEYS` gets French spacing afterwards."""
        raise NotImplementedError(f"{type(self).__name__} does not say how to render an e-mail")

    def email_mjml(self, item: dict[str, Any]) -> SafeString:
        """MJML elements (one or more <mj-section>) for the prepared `item`."""
        return render_to_string(self.meta.mjml_template, {"item": item})

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        """The sections of the plain-text part, each a sequence of lines (see `email_text`)."""
        raise NotImplementedError(f"{type(self).__name__} does not say how to render as text")

    # What `email_item` will ask for, loaded for the whole issue at once (no query per block).

    def email_pages(self, value: Any) -> Iterable[Page]:
        """Pages whose specific fields (teaser text and image) the block shows."""
        return ()

    def email_links(self, value: Any) -> Iterable[Page]:
        """Pages the block links to (`context.resolve`): whether the public may see them is
        asked once for the whole issue. Every block names its link `page`."""
        page = value.get("page") if hasattr(value, "get") else None
        return [page] if page is not None else []

    def email_images(self, value: Any) -> Iterable[Any]:
        """Images the block shows (their renditions are fetched in one query)."""
        return ()
