"""Text for the e-mail: French typography (renouveau.typography, shared with the web pages),
HTML → plain text, and the plain-text part's pieces."""

from __future__ import annotations

import re
import textwrap
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone

from renouveau.templatetags.site_tags import date_fr
from renouveau.typography import french_html, french_text, french_upper

TEXT_WIDTH = 72

# Prepared values that are text shown to the reader (not addresses): a block's e-mail values
# under these keys (and "html", and those of its "entries" and "figures") are typeset.
TEXT_KEYS = (
    "kicker",
    "tagline",
    "title",
    "text",
    "author",
    "role",
    "question",
    "label",
    "button_label",
    "link_label",
)


def typeset(item: dict[str, Any]) -> dict[str, Any]:
    for key, value in item.items():
        if key == "html":
            item[key] = french_html(value)
        elif key == "kicker" and isinstance(value, str):
            item[key] = french_text(french_upper(value))
        elif key in TEXT_KEYS and isinstance(value, str):
            item[key] = french_text(value)
        elif key in ("entries", "figures"):
            for entry in value:
                typeset(entry)
    return item


class _TextExtractor(HTMLParser):
    """HTML → readable plain text: paragraphs, list bullets and 'label (address)' links."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.href: str | None = None
        self.link_text: list[str] = []

    def flush(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self.current)).strip()
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.flush()
        elif tag == "li":
            self.flush()
            self.current.append("- ")
        elif tag == "br":
            self.flush()
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS or tag == "li":
            self.flush()
        elif tag == "a":
            label = "".join(self.link_text).strip()
            if self.href and self.href.startswith(("http", "mailto:")):
                address = self.href.removeprefix("mailto:")
                if address not in label:
                    self.current.append(f" ({address})")
            self.href = None

    def handle_data(self, data: str) -> None:
        self.current.append(data)
        if self.href is not None:
            self.link_text.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    parser.flush()
    return "\n\n".join(wrap(paragraph) for paragraph in parser.paragraphs)


def wrap(text: str) -> str:
    indent = "  " if text.startswith("- ") else ""
    return textwrap.fill(
        unescape(text),
        TEXT_WIDTH,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def datetime_label(when: datetime | None) -> str:
    """'22 juin 2026 à 10 h 00'."""
    if when is None:
        return ""
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    label = date_fr(when)
    if when.hour or when.minute:
        label += f" à {when.hour} h {when.minute:02d}"
    return label


# --- pieces of the plain-text part -------------------------------------------------------------

# A section of the text part: its lines (None lines are left out), after an empty line.
Section = tuple[str | None, ...]


def underlined(title: str, mark: str = "-") -> Section:
    return title, mark * min(len(title), TEXT_WIDTH)


def image_line(image: dict[str, Any] | None) -> str | None:
    if not image:
        return None
    credit = f" ({image['credit']})" if image["credit"] else ""
    return f"[Image : {image['alt']}{credit}]"


def link_line(label: str, url: str) -> str:
    return f"{label} : {url}"


def illustrated(
    image: dict[str, Any] | None, text: str | None, link_label: str, url: str
) -> list[Section]:
    """The sections after a title: its image, its text and its link, where there are some."""
    sections: list[Section] = []
    if line := image_line(image):
        sections.append((line,))
    if text is not None:
        sections.append((text,))
    if url:
        sections.append((link_line(link_label, url),))
    return sections


def section_lines(lines: Section) -> list[str]:
    """The lines of a section as written: long one-line items (image descriptions, titles) are
    wrapped like paragraphs; lines with an address are not, so the address never depends on
    where it falls."""
    out = [""]
    for line in lines:
        if line is None:
            continue
        long = len(line) > TEXT_WIDTH and "\n" not in line and "://" not in line
        out.append(wrap(line) if long else line)
    return out
