"""A block of the letter is one class and its templates: it renders itself on the web, in MJML
and in text, and the rendering of issues needs nothing else (issue 17)."""

import pytest
from django.template.loader import get_template

from newsletter.blocks import NewsletterStreamBlock
from newsletter.email_block import NewsletterBlock

BLOCKS = NewsletterStreamBlock().child_blocks


@pytest.mark.parametrize("name", BLOCKS)
def test_every_block_of_the_letter_renders_itself_on_the_web_in_mjml_and_in_text(name):
    block = BLOCKS[name]
    assert isinstance(block, NewsletterBlock)
    for method in ("email_item", "email_text"):
        assert getattr(type(block), method) is not getattr(NewsletterBlock, method), method
    get_template(block.meta.template)
    get_template(block.meta.mjml_template)
