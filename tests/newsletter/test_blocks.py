"""A block of the letter is one class and its templates: it renders itself on the web, in MJML
and in text, and the rendering of issues needs nothing else (issue 17)."""

from html import unescape

import pytest

from newsletter.blocks import NewsletterStreamBlock
from newsletter.email_block import NewsletterBlock
from newsletter.rendering import render_issue
from tests.pages import block_mark as mark
from tests.pages import issue_with_every_block

BLOCKS = NewsletterStreamBlock().child_blocks


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
    issue = issue_with_every_block(home_page)
    web = unescape(client.get(issue.url).content.decode())
    rendered = render_issue(issue, unsubscribe_url="https://example.org/desabonnement")
    html, text = unescape(rendered.html), rendered.text

    for name in BLOCKS:
        assert mark(name) in web, f"{name}: not on the web page"
        assert mark(name) in html, f"{name}: not in the e-mail's HTML"
        if name != "masthead":  # the masthead is the text part's own header
            assert mark(name).upper() in text.upper(), f"{name}: not in the text part"
