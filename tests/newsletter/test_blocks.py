"""A block of the letter is one class and its templates: it renders itself on the web, in MJML
and in text, and the rendering of issues needs nothing else (issue 17)."""

import datetime
from html import unescape

import pytest
from django.utils import timezone

from newsletter.blocks import NewsletterStreamBlock
from newsletter.email_block import NewsletterBlock
from newsletter.rendering import render_issue
from tests.factories import (
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    SiteImageFactory,
    StandardPageFactory,
)

BLOCKS = NewsletterStreamBlock().child_blocks


def mark(name: str) -> str:
    """A word found only where the block `name` put it."""
    return "Repere" + name.replace("_", "").capitalize()


def one_value_of_each_block(home_page) -> dict[str, object]:
    image = SiteImageFactory(description=mark("image"), credit="Credit" + mark("image"))
    page = StandardPageFactory(parent=home_page, title="Page mise en avant")
    return {
        "masthead": {"tagline": mark("masthead")},
        "lead_story": {"kicker": "", "title": mark("lead_story"), "text": "<p>Texte.</p>"},
        "section_heading": {"text": mark("section_heading")},
        "article": {"title": mark("article"), "text": "<p>Texte.</p>"},
        "image": {"image": image, "alt_text": "", "caption": "", "credit": ""},
        "quote": {"text": mark("quote"), "author": "Jeanne", "role": ""},
        "questions": {
            "title": "",
            "items": [{"question": mark("questions"), "answer": "<p>Oui.</p>"}],
        },
        "key_figures": {"title": "", "figures": [{"value": "765", "label": mark("key_figures")}]},
        "call_to_action": {
            "title": mark("call_to_action"),
            "text": "",
            "button_label": "Demander",
            "url": "https://example.org/demande",
        },
        "page_teaser": {"page": page, "title": mark("page_teaser"), "show_image": False},
        "webinar": {
            "title": mark("webinar"),
            "date": timezone.now() + datetime.timedelta(days=7),
            "registration_label": "S'inscrire",
            "registration_url": "https://example.org/inscription",
        },
    }


def test_every_block_of_the_stream_is_a_letter_block():
    assert set(BLOCKS) == {
        "masthead",
        "lead_story",
        "section_heading",
        "article",
        "image",
        "quote",
        "questions",
        "key_figures",
        "call_to_action",
        "page_teaser",
        "webinar",
    }
    for name, block in BLOCKS.items():
        assert isinstance(block, NewsletterBlock), name
        for method in ("email_item", "email_text"):
            assert getattr(type(block), method) is not getattr(NewsletterBlock, method), method


@pytest.mark.django_db
def test_every_block_of_the_letter_renders_itself_on_the_web_in_mjml_and_in_text(client, home_page):
    """Each block shows its own words in each of its three renderings: a blanked template (web
    or MJML) or a text method that drops them fails here."""
    values = one_value_of_each_block(home_page)
    issue = NewsletterIssuePageFactory(
        parent=NewsletterIndexPageFactory(parent=home_page), body=list(values.items())
    )
    web = unescape(client.get(issue.url).content.decode())
    rendered = render_issue(issue, unsubscribe_url="https://example.org/desabonnement")
    html, text = unescape(rendered.html), rendered.text

    for name in BLOCKS:
        assert mark(name) in web, f"{name}: not on the web page"
        assert mark(name) in html, f"{name}: not in the e-mail's HTML"
        if name != "masthead":  # the masthead is the text part's own header
            assert mark(name).upper() in text.upper(), f"{name}: not in the text part"
