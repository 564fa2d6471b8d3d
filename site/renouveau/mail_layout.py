"""The branded layout of every transactional mail (opt-in, follow confirmation, welcome, webinar
mails, document link…): the letter's fonts, colours, dark mode and French typography, a banner,
one call-to-action button, and the publisher's identity from the legal notice in the footer.

How a mail uses it — its HTML template extends the layout and fills its blocks:

    {% extends "renouveau/email/layout.html" %}
    {% block heading %}Confirmez votre adresse{% endblock %}
    {% block content %}<p>Bonjour,</p><p>…</p>{% endblock %}
    {% block after %}<p>Si vous n’êtes pas à l’origine de cette demande…</p>{% endblock %}

with `action_url` and `action_label` in the context for the button (or a `{% block action %}`
including "renouveau/email/button.html" with url= label=), optional `preheader` (the inbox's
preview line) and `subject` (the HTML title). The layout fills what the context lacks (site
address, publisher from the legal notice: `layout_context`) and is MJML rendered by
`{% mjml %}` (mjml-python), so a plain `render_to_string(template, context)` returns the final
HTML. The text part: a `.txt` template wrapped in `{% load mail_tags %}{% mailtext %}…
{% endmailtext %}` gets the same typography (`{% mailtext wrap %}`: lines wrapped at 72
characters, addresses never cut). `render_mail(html_template, text_template, context)` returns both.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from mjml import mjml2html

from .legal import publisher_for_mail
from .typography import french_text

TEXT_WIDTH = 72
# What the preheader's hidden div is drawn in: the page's colour rather than mjml's white, which
# SpamAssassin scores as invisible text (HTML_FONT_LOW_CONTRAST, 0.7).
PREHEADER_COLOUR = "#f1ede6"
# After the preheader in its hidden div: invisible characters that fill the inbox's preview
# line, so a phone does not run the preheader on into the first words of the body.
PREHEADER_SPACER = "\u034f\u200c\u00a0" * 90  # combining grapheme joiner, ZWNJ, NBSP
_PREVIEW_DIV = re.compile(r'(<div style="display:none;font-size:1px;)color:#ffffff;')
_URL = re.compile(r"\S*(?:https?://|mailto:|www\.)\S*")


def mjml_to_html(source: str) -> str:
    """MJML → HTML with mjml-python, as every mail of the site is drawn (letter, alerts,
    transactional mails), the preheader in the page's colour."""
    return _PREVIEW_DIV.sub(
        rf"\1color:{PREHEADER_COLOUR};", mjml2html(source, disable_comments=True), 1
    )


def wrap_text(text: str, width: int = TEXT_WIDTH) -> str:
    """A text part as mail readers want it: French typography, paragraphs wrapped at `width`;
    a line holding an address is never cut inside it (a cut link does not work)."""
    out: list[str] = []
    for line in french_text(text).split("\n"):
        indent = re.match(r"[ \t]*(?:[-•*] )?", line)[0]
        if len(line) <= width:
            out.append(line.rstrip())
            continue
        out += textwrap.wrap(
            line,
            width,
            subsequent_indent=" " * len(indent),
            break_long_words=not _URL.search(line),
            break_on_hyphens=False,
        )
    return "\n".join(out)


_CITE_PREFIX = re.compile(r"^\s*cité\s+", re.IGNORECASE)


def la_cite(title: str) -> str:
    """« la cité Saint-Pierre » from « Cité Saint-Pierre » or « Saint-Pierre »: the word once
    (not « la cité Cité Saint-Pierre »), for subjects and texts."""
    return "la cité " + _CITE_PREFIX.sub("", str(title))


def layout_context(**context: Any) -> dict[str, Any]:
    """What the layout reads besides a mail's own values: the site's address and the
    publisher's identity (from the live legal notice)."""
    context.setdefault("site_url", settings.SITE_URL)
    context.setdefault("site_name", settings.SITE_URL.split("://", 1)[-1].rstrip("/"))
    context.setdefault("preheader_spacer", PREHEADER_SPACER)
    context.setdefault("publisher", publisher_for_mail())
    return context


def render_mail(html_template: str, text_template: str, context: dict[str, Any]) -> tuple[str, str]:
    """(HTML, text) of a transactional mail from its two templates (see the module's doc)."""
    return render_to_string(html_template, context), render_to_string(text_template, context)
