"""Render a newsletter issue as an e-mail: Django template → MJML → HTML (mjml-python), plus a
plain-text part made from the same prepared blocks.

`render_issue` is the one entry point. The sending app renders ONCE per campaign with
`unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER` and replaces the placeholder per recipient with
`str.replace` in both parts (the placeholder contains nothing that escaping or MJML alters).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from mjml import mjml2html
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from renouveau.templatetags.site_tags import date_fr
from renouveau.visibility import is_public_page

UNSUBSCRIBE_URL_PLACEHOLDER = "https://unsubscribe.invalid/__UNSUBSCRIBE_TOKEN__"
# The generic unsubscribe page (built by the mailing app) used where no recipient is known:
# the web view of the e-mail, previews and test sends.
GENERIC_UNSUBSCRIBE_PATH = "/lettre/desabonnement/"

# Renditions for a 600 px layout: the 1× image and its 2× (retina) counterpart.
IMAGE_SPEC = "width-600|format-jpeg|jpegquality-80"
IMAGE_SPEC_2X = "width-1200|format-jpeg|jpegquality-70"
TEXT_WIDTH = 72

MJML_TEMPLATE = "newsletter/email/issue.mjml.html"


@dataclass(frozen=True)
class RenderedIssue:
    subject: str  # e.g. "Renouveau du Bassin Minier N°2 — Juillet 2019"
    preheader: str
    html: str  # full HTML from mjml-python
    text: str  # plain-text part built from the same blocks


@dataclass
class PreparedIssue:
    """Everything the templates need, with absolute URLs, resolved pages and images."""

    issue: Any
    items: list[dict[str, Any]]
    unsubscribe_url: str
    archive_url: str
    # Links that could not be resolved while preparing (unpublished page…), for the checks.
    problems: list[str] = field(default_factory=list)


def generic_unsubscribe_url() -> str:
    return settings.SITE_URL + GENERIC_UNSUBSCRIBE_PATH


def absolute_url(url: str) -> str:
    """Make a root-relative address absolute on the public site (SITE_URL)."""
    if url.startswith("/") and not url.startswith("//"):
        return settings.SITE_URL + url
    return url


def page_url(page: Page | None) -> str:
    """Absolute public address of a page, or "" when the public may not see it (draft, expired,
    private section) or it is not routable."""
    if not is_public_page(page):
        return ""
    parts = page.get_url_parts()
    if parts is None:
        return ""
    return settings.SITE_URL + parts[2]


def issue_archive_url(issue: Any) -> str:
    return page_url(issue) if issue.pk else settings.SITE_URL + "/"


# --- rich text ---------------------------------------------------------------------------------

_RELATIVE_HREF = re.compile(r'(href|src)="(/[^/"][^"]*|/)"')


def email_rich_text(value: Any) -> str:
    """Rich text as HTML for an e-mail: internal links expanded and made absolute."""
    source = getattr(value, "source", value) or ""
    html = expand_db_html(source)
    return _RELATIVE_HREF.sub(lambda m: f'{m.group(1)}="{absolute_url(m.group(2))}"', html)


_SPACE_BEFORE = re.compile(r"[ \u00a0\u202f]+([?!:;»])")
_SPACE_AFTER = re.compile(r"«[ \u00a0\u202f]+")
_HTML_TEXT = re.compile(r"(^|>)([^<]+)")


def french_spacing(text: str) -> str:
    """Non-breaking spaces where French typography wants them (« … », ? ! : ;), so a mail
    client never starts a line with a lone question mark or closing guillemet."""
    return _SPACE_AFTER.sub("«\u00a0", _SPACE_BEFORE.sub("\u00a0\\1", text))


def french_spacing_html(html: str) -> str:
    """The same, in the text of an HTML fragment only (never in tags or attributes)."""
    return _HTML_TEXT.sub(lambda m: m.group(1) + french_spacing(m.group(2)), html)


# Prepared values that are text shown to the reader (not addresses).
_TEXT_KEYS = ("kicker", "title", "text", "author", "role", "question", "label", "button_label")


def _typeset(item: dict[str, Any]) -> dict[str, Any]:
    for key, value in item.items():
        if key == "html":
            item[key] = french_spacing_html(value)
        elif key in _TEXT_KEYS and isinstance(value, str):
            item[key] = french_spacing(value)
        elif key in ("entries", "figures"):
            for entry in value:
                _typeset(entry)
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


# --- preparing blocks ----------------------------------------------------------------------------


def credit_label(credit: str) -> str:
    """'© Jean Dupont', but 'Crédit ville de Vicq' as written (it already says what it is)."""
    credit = credit.strip()
    if not credit or credit.lower().startswith(("crédit", "credit", "©", "photo")):
        return credit
    return f"© {credit}"


def _image(
    image: Any, *, alt: str = "", credit: str = "", caption: str = ""
) -> dict[str, Any] | None:
    if image is None:
        return None
    one, two = image.get_rendition(IMAGE_SPEC), image.get_rendition(IMAGE_SPEC_2X)
    return {
        "src": absolute_url(one.url),
        "src2x": absolute_url(two.url),
        "width": one.width,
        "height": one.height,
        "alt": alt or image.description or "",
        "credit": credit_label(credit or getattr(image, "credit", "") or ""),
        "caption": caption,
    }


def _credited(value: Any) -> dict[str, Any] | None:
    """A (possibly empty) CreditedImageBlock value."""
    if not value or not value.get("image"):
        return None
    return _image(
        value["image"],
        alt=value.get("alt_text") or "",
        credit=value.get("credit") or "",
        caption=value.get("caption") or "",
    )


def _preload(issue: Any) -> tuple[dict[int, Page], dict[int, Any]]:
    """Load what the body references in a few queries, whatever its length (no N+1).

    The StreamField has already fetched the chosen pages and images in bulk; this adds the
    specific pages behind teasers (for their teaser text and image) and the renditions."""
    teaser_ids: set[int] = set()
    images: dict[int, Any] = {}
    for block in issue.body:
        value = block.value
        if not hasattr(value, "get"):
            continue
        if block.block_type == "page_teaser" and value.get("page") is not None:
            teaser_ids.add(value["page"].pk)
        image_value = value if block.block_type == "image" else value.get("image")
        if image_value and image_value.get("image") is not None:
            images.setdefault(image_value["image"].pk, image_value["image"])
    pages = {page.pk: page for page in Page.objects.filter(pk__in=teaser_ids).specific()}
    by_class: dict[type, list[Page]] = {}
    for page in pages.values():
        if hasattr(page, "teaser_image_id"):
            by_class.setdefault(type(page), []).append(page)
    for same_class in by_class.values():
        prefetch_related_objects(same_class, "teaser_image")
    for page in pages.values():
        teaser_image = page.get_teaser_image() if hasattr(page, "get_teaser_image") else None
        if teaser_image is not None:
            images.setdefault(teaser_image.pk, teaser_image)
    if images:
        renditions = (
            get_image_model()
            .get_rendition_model()
            .objects.filter(image_id__in=images, filter_spec__in=[IMAGE_SPEC, IMAGE_SPEC_2X])
        )
        found: dict[int, list[Any]] = {pk: [] for pk in images}
        for rendition in renditions:
            found[rendition.image_id].append(rendition)
        for pk, image in images.items():
            # Wagtail's get_rendition() looks here first (what prefetch_renditions() fills).
            image.prefetched_renditions = found[pk]
    return pages, images


def prepare_issue(
    issue: Any, *, unsubscribe_url: str, archive_url: str | None = None
) -> PreparedIssue:
    pages, images = _preload(issue)
    prepared = PreparedIssue(
        issue=issue,
        items=[],
        unsubscribe_url=unsubscribe_url,
        archive_url=archive_url or issue_archive_url(issue),
    )

    def resolve(page: Page | None, where: str) -> tuple[Page | None, str]:
        if page is None:
            return None, ""
        page = pages.get(page.pk, page)
        url = page_url(page)
        if not url:
            prepared.problems.append(
                f"{where} : la page « {page.title} » n'est pas publiée ou n'a pas d'adresse."
            )
        return page, url

    def credited(value: Any) -> dict[str, Any] | None:
        if value and value.get("image") is not None:
            value = dict(value, image=images.get(value["image"].pk, value["image"]))
        return _credited(value)

    for block in issue.body:
        value = block.value
        kind = block.block_type
        item: dict[str, Any] = {"type": kind, "id": block.id}
        if kind == "masthead":
            item.update(tagline=value["tagline"], label=issue.masthead_label)
        elif kind in ("lead_story", "article"):
            html = email_rich_text(value["text"])
            _, url = resolve(value.get("page"), f"« {value['title']} »")
            item.update(
                kicker=value.get("kicker", ""),
                title=value["title"],
                html=html,
                text=html_to_text(html),
                image=credited(value.get("image")),
                url=url,
                link_label=value.get("link_label")
                or ("Lire la suite" if kind == "lead_story" else "En savoir plus"),
            )
        elif kind == "section_heading":
            item.update(text=value["text"])
        elif kind == "image":
            item.update(image=credited(value))
        elif kind == "quote":
            item.update(text=value["text"], author=value["author"], role=value.get("role", ""))
        elif kind == "questions":
            entries = []
            for entry in value["items"]:
                html = email_rich_text(entry["answer"])
                entries.append(
                    {"question": entry["question"], "html": html, "text": html_to_text(html)}
                )
            item.update(title=value.get("title", ""), entries=entries)
        elif kind == "key_figures":
            item.update(
                title=value.get("title", ""),
                figures=[{"value": f["value"], "label": f["label"]} for f in value["figures"]],
            )
        elif kind == "call_to_action":
            _, url = resolve(value.get("page"), f"« {value['title']} »")
            item.update(
                title=value["title"],
                text=value.get("text", ""),
                button_label=value["button_label"],
                url=url or absolute_url(value.get("url") or ""),
            )
        elif kind == "page_teaser":
            page, url = resolve(value["page"], "Page mise en avant")
            if not url:
                page = None  # a draft, expired or private page lends neither title nor text
            teaser_image = None
            if value.get("show_image") and page is not None and hasattr(page, "get_teaser_image"):
                teaser_image = page.get_teaser_image()
                if teaser_image is not None:
                    teaser_image = _image(images.get(teaser_image.pk, teaser_image))
            page_text = page.get_teaser_text() if hasattr(page, "get_teaser_text") else ""
            item.update(
                title=value.get("title") or (page.title if page else ""),
                text=value.get("text") or page_text,
                image=teaser_image,
                url=url,
                link_label=value.get("link_label") or "Lire la suite",
            )
        elif kind == "webinar":
            page, url = resolve(value.get("page"), "Prochain webinaire")
            if not url:
                page = None  # a draft, expired or private page lends no title
            when = value["date"]
            item.update(
                title=value.get("title") or (page.title if page else ""),
                date_label=datetime_label(when),
                text=value.get("text", ""),
                url=value.get("registration_url") or url,
                button_label=value.get("registration_label") or "S'inscrire",
            )
        prepared.items.append(_typeset(item))
    return prepared


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


# --- rendering -----------------------------------------------------------------------------------


def subject_for(issue: Any) -> str:
    return issue.title


def render_mjml(prepared: PreparedIssue) -> str:
    issue = prepared.issue
    return render_to_string(
        MJML_TEMPLATE,
        {
            "issue": issue,
            "subject": subject_for(issue),
            "preheader": issue.preheader,
            "items": prepared.items,
            "unsubscribe_url": prepared.unsubscribe_url,
            "archive_url": prepared.archive_url,
            "site_url": settings.SITE_URL,
        },
    )


def render_text(prepared: PreparedIssue) -> str:
    issue = prepared.issue
    out: list[str] = [
        "RENOUVEAU DU BASSIN MINIER — S'engager ensemble",
        issue.masthead_label,
        "",
        f"Lire cette lettre dans votre navigateur : {prepared.archive_url}",
    ]

    def section(*lines: str | None) -> None:
        out.append("")
        for line in lines:
            if line is None:
                continue
            # Long one-line items (image descriptions, titles) are wrapped like paragraphs;
            # lines with an address are not, so the address never depends on where it falls.
            long = len(line) > TEXT_WIDTH and "\n" not in line and "://" not in line
            out.append(wrap(line) if long else line)

    def image_line(image: dict[str, Any] | None) -> str | None:
        if not image:
            return None
        credit = f" ({image['credit']})" if image["credit"] else ""
        return f"[Image : {image['alt']}{credit}]"

    for item in prepared.items:
        kind = item["type"]
        if kind == "masthead":
            continue  # already the header of the text part
        if kind in ("lead_story", "article"):
            title = item["title"].upper() if kind == "lead_story" else item["title"]
            underline = "=" if kind == "lead_story" else "-"
            lines = []
            if item["kicker"]:
                lines.append(item["kicker"])
            lines += [title, underline * min(len(title), TEXT_WIDTH)]
            section(*lines)
            if image := image_line(item["image"]):
                section(image)
            section(item["text"])
            if item["url"]:
                section(f"{item['link_label']} : {item['url']}")
        elif kind == "image":
            section(image_line(item["image"]))
        elif kind == "section_heading":
            section("*" * TEXT_WIDTH, wrap(item["text"].upper()), "*" * TEXT_WIDTH)
        elif kind == "quote":
            quote = wrap(f"« {item['text']} »")
            author = f"— {item['author']}" + (f", {item['role']}" if item["role"] else "")
            section(quote, author)
        elif kind == "questions":
            if item["title"]:
                section(item["title"], "-" * min(len(item["title"]), TEXT_WIDTH))
            for entry in item["entries"]:
                section(wrap(entry["question"]), entry["text"])
        elif kind == "key_figures":
            lines = [item["title"]] if item["title"] else []
            lines += [f"- {f['value']} {f['label']}" for f in item["figures"]]
            section(*lines)
        elif kind == "call_to_action":
            lines = [item["title"]]
            if item["text"]:
                lines.append(wrap(item["text"]))
            lines.append(f"{item['button_label']} : {item['url']}")
            section(*lines)
        elif kind == "page_teaser":
            section(item["title"], "-" * min(len(item["title"]), TEXT_WIDTH))
            if image := image_line(item["image"]):
                section(image)
            if item["text"]:
                section(wrap(item["text"]))
            if item["url"]:
                section(f"{item['link_label']} : {item['url']}")
        elif kind == "webinar":
            lines = ["PROCHAIN WEBINAIRE", item["title"], item["date_label"]]
            if item["text"]:
                lines.append(wrap(item["text"]))
            if item["url"]:
                lines.append(f"{item['button_label']} : {item['url']}")
            section(*lines)
    section(
        "-" * TEXT_WIDTH,
        "Renouveau du Bassin Minier — la lettre de l'Engagement pour le Renouveau du Bassin Minier",
        f"Lire en ligne : {prepared.archive_url}",
        f"Se désabonner : {prepared.unsubscribe_url}",
        "Cette lettre ne contient aucun traceur.",
    )
    return "\n".join(out).strip() + "\n"


def render_issue(
    issue: Any, *, unsubscribe_url: str, archive_url: str | None = None
) -> RenderedIssue:
    """Render an issue for one recipient context (unsubscribe and web-archive addresses)."""
    prepared = prepare_issue(issue, unsubscribe_url=unsubscribe_url, archive_url=archive_url)
    html = mjml2html(render_mjml(prepared), disable_comments=True)
    return RenderedIssue(
        subject=subject_for(issue), preheader=issue.preheader, html=html, text=render_text(prepared)
    )
