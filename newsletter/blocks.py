"""Blocks of a newsletter issue's body (the sections of the printed letter N°2 of July 2019).

Each block renders itself three ways (`email_block.NewsletterBlock`): on the web archive through
its `template` (`{% include_block %}`), in the e-mail through its `mjml_template` (beside it in
`templates/newsletter/blocks/`) and the values `email_item` prepares, and in the e-mail's text
part through `email_text`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from wagtail import blocks
from wagtail.fields import RichTextField
from wagtail.images.blocks import ImageChooserBlock

from renouveau.blocks import (
    CallToActionBlock,
    CheckedStructBlock,
    CreditedImageBlock,
    KeyFiguresBlock,
    QuoteBlock,
)

from .email_block import NewsletterBlock
from .email_context import EmailContext, absolute_url, email_rich_text
from .email_text import (
    TEXT_WIDTH,
    Section,
    datetime_label,
    html_to_text,
    illustrated,
    image_line,
    link_line,
    underlined,
    wrap,
)

# Rich text features that survive in an e-mail client (no headings inside an article, no embeds).
EMAIL_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class OptionalCreditedImageBlock(CreditedImageBlock):
    """The site's credited image (alt text + credit enforced), but optional in a section."""

    image = ImageChooserBlock(label="Image", required=False)

    class Meta:
        template = "blocks/image_block.html"


class MastheadBlock(NewsletterBlock, blocks.StructBlock):
    """The letter's banner; its number and month come from the issue itself."""

    tagline = blocks.CharBlock(label="Signature", max_length=100, default="S'engager ensemble")

    class Meta:
        icon = "title"
        label = "Bandeau (numéro et date de la lettre)"
        template = "newsletter/blocks/masthead.html"
        mjml_template = "newsletter/blocks/masthead.mjml.html"

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        return {"tagline": value["tagline"], "label": context.issue.masthead_label}

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        return []  # already the header of the text part


class StoryBlock(NewsletterBlock, blocks.StructBlock):
    """What the lead story and the articles share: a title, rich text, an optional credited
    image and a link to a page (their fields are declared by each, in their own order)."""

    default_link_label = "En savoir plus"
    headline_mark = "-"

    def headline(self, title: str) -> str:
        return title

    def email_images(self, value: Any) -> list[Any]:
        image = value.get("image")
        return [image["image"]] if image and image.get("image") is not None else []

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        html = email_rich_text(value["text"])
        _, url = context.resolve(value.get("page"), f"« {value['title']} »")
        return {
            "kicker": value.get("kicker", ""),
            "title": value["title"],
            "html": html,
            "text": html_to_text(html),
            "image": context.credited(value.get("image")),
            "url": url,
            "link_label": value.get("link_label") or self.default_link_label,
        }

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        title = self.headline(item["title"])
        return [
            (item["kicker"] or None, *underlined(title, self.headline_mark)),
            *illustrated(item["image"], item["text"], item["link_label"], item["url"]),
        ]


class LeadStoryBlock(StoryBlock):
    kicker = blocks.CharBlock(
        label="Surtitre", max_length=120, required=False, help_text="Par exemple : 20 juin 2019"
    )
    title = blocks.CharBlock(label="Titre", max_length=200)
    text = blocks.RichTextBlock(label="Texte", features=EMAIL_RICH_TEXT_FEATURES)
    image = OptionalCreditedImageBlock(label="Image", required=False)
    page = blocks.PageChooserBlock(label="Lien « Lire la suite » vers", required=False)

    class Meta:
        icon = "pick"
        label = "À la une"
        template = "newsletter/blocks/lead_story.html"
        mjml_template = "newsletter/blocks/lead_story.mjml.html"

    default_link_label = "Lire la suite"
    headline_mark = "="

    def headline(self, title: str) -> str:
        return title.upper()


class SectionHeadingBlock(NewsletterBlock, blocks.StructBlock):
    text = blocks.CharBlock(label="Titre de rubrique", max_length=150)

    class Meta:
        icon = "title"
        label = "Titre de rubrique"
        template = "newsletter/blocks/section_heading.html"
        mjml_template = "newsletter/blocks/section_heading.mjml.html"

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        return {"text": value["text"]}

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        rule = "*" * TEXT_WIDTH
        return [(rule, wrap(item["text"].upper()), rule)]


class ArticleBlock(StoryBlock):
    title = blocks.CharBlock(label="Titre", max_length=200)
    text = blocks.RichTextBlock(label="Texte", features=EMAIL_RICH_TEXT_FEATURES)
    image = OptionalCreditedImageBlock(label="Image", required=False)
    page = blocks.PageChooserBlock(label="Lien vers une page", required=False)
    link_label = blocks.CharBlock(
        label="Libellé du lien",
        max_length=100,
        required=False,
        help_text="Vide : « En savoir plus »",
    )

    class Meta:
        icon = "doc-full"
        label = "Article"
        template = "newsletter/blocks/article.html"
        mjml_template = "newsletter/blocks/article.mjml.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="Question", max_length=250)
    answer = blocks.RichTextBlock(label="Réponse", features=EMAIL_RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = "Question et réponse"


class QuestionsBlock(NewsletterBlock, blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=200, required=False)
    items = blocks.ListBlock(QuestionAnswerBlock(), label="Questions", min_num=1)

    class Meta:
        icon = "help"
        label = "Questions et réponses"
        template = "newsletter/blocks/questions.html"
        mjml_template = "newsletter/blocks/questions.mjml.html"

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        entries = []
        for entry in value["items"]:
            html = email_rich_text(entry["answer"])
            entries.append(
                {"question": entry["question"], "html": html, "text": html_to_text(html)}
            )
        return {"title": value.get("title", ""), "entries": entries}

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        sections = [underlined(item["title"])] if item["title"] else []
        sections += [(wrap(entry["question"]), entry["text"]) for entry in item["entries"]]
        return sections


def teaser_text(page: Any) -> str:
    """What a page says of itself in a teaser: its teaser text, else its chapô (a cité's
    `intro`, which its own teaser text does not fall back on)."""
    text = page.get_teaser_text() if hasattr(page, "get_teaser_text") else ""
    if text or page is None:
        return text
    try:
        field = page._meta.get_field("intro")
    except FieldDoesNotExist:
        return ""
    # A plain-text chapô only (the archive's intro is rich text, not teaser material).
    plain = isinstance(field, models.TextField) and not isinstance(field, RichTextField)
    return page.intro if plain else ""


class PageTeaserBlock(NewsletterBlock, blocks.StructBlock):
    """Another page of the site, shown through what every page shares (title, teaser)."""

    page = blocks.PageChooserBlock(label="Page")
    title = blocks.CharBlock(
        label="Titre", max_length=200, required=False, help_text="Vide : le titre de la page"
    )
    text = blocks.TextBlock(label="Texte", required=False, help_text="Vide : l'accroche de la page")
    show_image = blocks.BooleanBlock(
        label="Montrer l'image d'accroche", required=False, default=True
    )
    link_label = blocks.CharBlock(label="Libellé du lien", max_length=100, required=False)

    class Meta:
        icon = "link"
        label = "Page mise en avant"
        template = "newsletter/blocks/page_teaser.html"
        mjml_template = "newsletter/blocks/page_teaser.mjml.html"

    def get_context(self, value: Any, parent_context: dict | None = None) -> dict[str, Any]:
        context = super().get_context(value, parent_context)
        page = value.get("page")
        context["teaser_text"] = teaser_text(page.specific if page is not None else None)
        return context

    def email_pages(self, value: Any) -> list[Any]:
        return [value["page"]] if value.get("page") is not None else []

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        page, url = context.resolve(value["page"], "Page mise en avant")
        if not url:
            page = None  # a draft, expired or private page lends neither title nor text
        page_text = teaser_text(page)
        return {
            "title": value.get("title") or (page.title if page else ""),
            "text": value.get("text") or page_text,
            "image": context.teaser_image(page) if value.get("show_image") else None,
            "url": url,
            "link_label": value.get("link_label") or "Lire la suite",
        }

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        text = wrap(item["text"]) if item["text"] else None
        return [
            underlined(item["title"]),
            *illustrated(item["image"], text, item["link_label"], item["url"]),
        ]


class UpcomingWebinarValue(blocks.StructValue):
    """A chosen webinar page gives its date, time and registration link: typed values are only
    for a webinar without a page (a typed date could contradict the page, N°3's mistake)."""

    def when(self) -> Any:
        page = self.get("page")
        start = getattr(page, "start", None) if page is not None else None
        return start or self.get("date")

    def typed_date_differs(self) -> bool:
        """A date typed in the block that is not the chosen page's (`checks` flags it)."""
        page, typed = self.get("page"), self.get("date")
        start = getattr(page, "start", None) if page is not None else None
        return bool(start and typed and typed != start)

    def registration_link(self) -> str:
        """The typed address without a page; with a page, its own registration link ("" to
        link to the page itself)."""
        page = self.get("page")
        if page is None:
            return self.get("registration_url") or ""
        return getattr(page, "registration_url", "") or ""


class UpcomingWebinarBlock(NewsletterBlock, CheckedStructBlock):
    page = blocks.PageChooserBlock(
        label="Page du webinaire",
        page_type="cites_pages.WebinarPage",
        required=False,
        help_text="Sa date, son heure et son lien d’inscription sont repris de la page.",
    )
    title = blocks.CharBlock(
        label="Titre", max_length=200, required=False, help_text="Vide : le titre de la page"
    )
    date = blocks.DateTimeBlock(
        label="Date et heure",
        required=False,
        help_text="Seulement pour un webinaire sans page (sinon, celles de la page).",
    )
    text = blocks.TextBlock(label="Présentation", required=False)
    registration_label = blocks.CharBlock(
        label="Libellé du bouton", max_length=80, default="S'inscrire"
    )
    registration_url = blocks.URLBlock(
        label="Adresse d'inscription",
        required=False,
        help_text="Seulement pour un webinaire sans page (sinon, le lien de la page).",
    )

    class Meta:
        icon = "date"
        label = "Prochain webinaire"
        template = "newsletter/blocks/webinar.html"
        mjml_template = "newsletter/blocks/webinar.mjml.html"
        value_class = UpcomingWebinarValue

    def field_errors(self, value: dict) -> dict[str, str]:
        if value.get("page"):
            return {}
        errors = {}
        if not value.get("registration_url"):
            errors["page"] = (
                "Choisissez la page du webinaire ou saisissez une adresse d’inscription."
            )
        if not value.get("title"):
            errors["title"] = "Saisissez un titre (aucune page n’est choisie)."
        if not value.get("date"):
            errors["date"] = "Saisissez la date et l’heure (aucune page n’est choisie)."
        return errors

    def email_pages(self, value: Any) -> list[Any]:
        return [value["page"]] if value.get("page") is not None else []

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        page, url = context.resolve(value.get("page"), "Prochain webinaire")
        if not url:
            page = None  # a draft, expired or private page lends no title
        return {
            "title": value.get("title") or (page.title if page else ""),
            "date_label": datetime_label(value.when()),
            "text": value.get("text", ""),
            "url": value.registration_link() or url,
            "button_label": value.get("registration_label") or "S'inscrire",
        }

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        text = wrap(item["text"]) if item["text"] else None
        link = link_line(item["button_label"], item["url"]) if item["url"] else None
        return [("PROCHAIN WEBINAIRE", item["title"], item["date_label"], text, link)]


class NewsletterImageBlock(NewsletterBlock, CreditedImageBlock):
    class Meta:
        mjml_template = "newsletter/blocks/image.mjml.html"

    def email_images(self, value: Any) -> list[Any]:
        return [value["image"]] if value.get("image") is not None else []

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        return {"image": context.credited(value)}

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        return [(image_line(item["image"]),)]


class NewsletterQuoteBlock(NewsletterBlock, QuoteBlock):
    class Meta:
        mjml_template = "newsletter/blocks/quote.mjml.html"

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        return {"text": value["text"], "author": value["author"], "role": value.get("role", "")}

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        author = f"— {item['author']}" + (f", {item['role']}" if item["role"] else "")
        return [(wrap(f"« {item['text']} »"), author)]


class NewsletterKeyFiguresBlock(NewsletterBlock, KeyFiguresBlock):
    class Meta:
        mjml_template = "newsletter/blocks/key_figures.mjml.html"

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        figures = [{"value": f["value"], "label": f["label"]} for f in value["figures"]]
        return {"title": value.get("title", ""), "figures": figures}

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        figures = [f"- {f['value']} {f['label']}" for f in item["figures"]]
        return [(item["title"] or None, *figures)]


class NewsletterCallToActionBlock(NewsletterBlock, CallToActionBlock):
    class Meta:
        help_text = "Un bouton vers une page du site ou l'adresse d'une demande de document."
        template = "newsletter/blocks/call_to_action.html"
        mjml_template = "newsletter/blocks/call_to_action.mjml.html"

    def email_item(self, value: Any, context: EmailContext) -> dict[str, Any]:
        _, url = context.resolve(value.get("page"), f"« {value['title']} »")
        return {
            "title": value["title"],
            "text": value.get("text", ""),
            "button_label": value["button_label"],
            "url": url or absolute_url(value.get("url") or ""),
        }

    def email_text(self, item: dict[str, Any]) -> list[Section]:
        text = wrap(item["text"]) if item["text"] else None
        return [(item["title"], text, link_line(item["button_label"], item["url"]))]


class NewsletterStreamBlock(blocks.StreamBlock):
    masthead = MastheadBlock()
    lead_story = LeadStoryBlock()
    section_heading = SectionHeadingBlock()
    article = ArticleBlock()
    image = NewsletterImageBlock()
    # The web template as an argument (as it always was): it is part of the migration's state.
    quote = NewsletterQuoteBlock(template="newsletter/blocks/quote.html")
    questions = QuestionsBlock()
    key_figures = NewsletterKeyFiguresBlock()
    call_to_action = NewsletterCallToActionBlock()
    page_teaser = PageTeaserBlock()
    webinar = UpcomingWebinarBlock()

    class Meta:
        block_counts = {"masthead": {"max_num": 1}}
