"""French typography shared by the web pages and the e-mail: non-breaking spaces inside « » and
before ? ! : ; %, in « 23 000 »; the typographic apostrophe (’); « e-mail » kept on one line;
capitals that keep French ordinals.

Only text is touched: in HTML, never tags or attributes, nor what is inside <code>, <pre>,
<kbd>, <samp>, <script>, <style> or <textarea>; in text, never an address (https://…, www.…,
someone@example.org), which must stay as typed to work and to match its link.

« e-mail » is kept whole with U+2011 (non-breaking hyphen) rather than a
<span style="white-space:nowrap">: Outlook for Windows ignores `white-space` (caniemail.com),
some clients strip classes and styles, and the character also works in plain text (the text
part, titles and kickers handed to templates as text); DejaVu, Arial, Helvetica and Segoe UI
all have the glyph, and browsers fall back to a font that does.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NON_BREAKING_HYPHEN = "\u2011"
APOSTROPHE = "\u2019"

_SPACE_BEFORE = re.compile(r"[ \u00a0\u202f]+([?!:;»])")
_SPACE_AFTER = re.compile(r"«[ \u00a0\u202f]+")
_SPACE_IN_NUMBER = re.compile(r"(?<=\d)[ \u202f](?=\d{3}(?!\d))")
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \u202f]?%")
# A straight apostrophe after a letter (l'école, aujourd'hui), as typed or as escaped by Django
# (&#x27;) or others (&#39;, &apos;). A quote opening a word is left alone: it is not an
# apostrophe.
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])(?:'|&#x27;|&#39;|&apos;)")
_EMAIL_WORD = re.compile(r"\b([eE])-(mails?|MAILS?)\b")
_ORDINAL = re.compile(r"(\d+)(e|er|re|ème|ᵉ|es|ers|res)\b")
# Addresses in running text (https://…, www.…, mailto:…, someone@example.org, and a bare
# exemple.fr/rapport): left exactly as written.
_ADDRESS = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)[^\s<>\"]+"
    r"|[^\s<>\"@«»]+@[^\s<>\"@«»]+\.\w+"
    r"|(?<![\w@.-])(?:[a-z0-9-]+\.)+[a-z]{2,}\b(?:/[^\s<>\"]*)?"
)
_TAG = re.compile(r"<!--.*?-->|<![^>]*>|<[^>]*>", re.DOTALL)
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
_VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "textarea"}


def french_spacing(text: str) -> str:
    """Non-breaking spaces where French typography wants them (« … », ? ! : ;, « 100 % »,
    « 23 000 »), so a line never starts with a lone question mark, a closing guillemet, a
    percent sign or the end of a number."""
    text = _SPACE_AFTER.sub("«" + NBSP, _SPACE_BEFORE.sub(NBSP + "\\1", text))
    text = _SPACE_IN_NUMBER.sub(NBSP, text)
    return _SPACE_BEFORE_PERCENT.sub(NBSP + "%", text)


def _words(text: str) -> str:
    text = _APOSTROPHE.sub(APOSTROPHE, text)
    return french_spacing(_EMAIL_WORD.sub(lambda m: m[1] + NON_BREAKING_HYPHEN + m[2], text))


def french_text(text: str) -> str:
    """All of it on text (plain, or the text of an HTML fragment): spacing, apostrophes,
    « e-mail » whole; addresses in the text are left as they are."""
    out, last = [], 0
    for match in _ADDRESS.finditer(text):
        out += [_words(text[last : match.start()]), match[0]]
        last = match.end()
    return "".join(out) + _words(text[last:])


def french_html(html: str) -> str:
    """`french_text` on the text of an HTML fragment only: tags, attributes and verbatim
    elements (code, pre…) are left as they are. Adds no markup and no < > &, so escaped HTML
    stays escaped."""
    out, last, verbatim = [], 0, 0
    for match in _TAG.finditer(html):
        text = html[last : match.start()]
        out += [text if verbatim else french_text(text), match[0]]
        last = match.end()
        name = _TAG_NAME.match(match[0])
        if name and name[2].lower() in _VERBATIM and not match[0].endswith("/>"):
            verbatim = max(0, verbatim - 1) if name[1] else verbatim + 1
    text = html[last:]
    out.append(text if verbatim else french_text(text))
    return "".join(out)


def french_upper(text: str) -> str:
    """Capitals (for a kicker), keeping ordinals as French writes them (« 4e », not « 4E »): a
    CSS text-transform would capitalise them too."""
    out, last = [], 0
    for match in _ORDINAL.finditer(text):
        out += [text[last : match.start()].upper(), match[1], match[2]]
        last = match.end()
    return "".join(out) + text[last:].upper()
