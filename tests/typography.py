"""French typography in tests: `as_typed` reads typeset text back as typed; `typography_faults`
lists what breaks the French rules in the text a reader meets (issue 29)."""

import re
from html import unescape
from html.parser import HTMLParser


def as_typed(text: str) -> str:
    """Text as typed: for tests that look for content in pages and mails typeset by
    renouveau.typography (’ → ', non-breaking spaces and hyphen → plain ones, entities decoded)."""
    text = unescape(text).replace("\u2019", "'").replace("\u2011", "-")
    return text.replace("\u00a0", " ").replace("\u202f", " ")


# Addresses are typed as they must be to work (https://…, someone@example.org): not prose.
_ADDRESS = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)[^\s<>\"]+|[^\s<>\"@«»]+@[^\s<>\"@«»]+\.\w+"
)
# Between two blocks (a paragraph, a list item, a cell): no space at all, so that a colon that
# opens a block is not read as following the previous one.
BLOCK = "\x00"
_SPACE = r"[ \t\r\n]"  # the spaces a line may break at (not U+00A0, U+202F)
RULES = {
    "espace ordinaire avant « : ; ! ? »": re.compile(rf"{_SPACE}+[:;!?»](?![\w/])"),
    "pas d’espace avant « ; ! ? »": re.compile(r"[^\s\u00a0\u202f!?;:.…(«\x00][;!?»](?![\w/=])"),
    "pas d’espace avant « : »": re.compile(r"[^\W\d_]:(?=\s|$)"),
    "espace ordinaire après « « »": re.compile(rf"«{_SPACE}"),
    "pas d’espace après « « »": re.compile(r"«[^\s\u00a0\u202f]"),
    "apostrophe droite": re.compile(r"'"),
}
# What a reader does not read as prose: code and the like, scripts, styles.
_NOT_PROSE = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "var"}
_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "data", "dfn", "em", "i", "mark", "q", "s",
    "small", "span", "strong", "sub", "sup", "time", "u", "wbr", "img", "svg", "path", "use",
    "font", "label",
}  # fmt: skip
# Attributes whose value is read out or shown (screen readers, tooltips, fields, buttons).
_READ_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder", "aria-description"}
_BUTTON_INPUTS = {"submit", "button", "reset"}


class _ReaderText(HTMLParser):
    """The text of an HTML document as a reader meets it: text nodes (joined across inline
    elements, separated at block boundaries), and read attributes, each apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.flow: list[str] = []
        self.attributes: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        for name in _READ_ATTRIBUTES & values.keys():
            self.attributes.append(f"{tag}[{name}]: {values[name] or ''}")
        if tag == "input" and (values.get("type") or "").lower() in _BUTTON_INPUTS:
            self.attributes.append(f"input[value]: {values.get('value') or ''}")
        if tag in _NOT_PROSE:
            self.hidden_depth += 1
        if tag not in _INLINE:
            self.flow.append(BLOCK)

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _NOT_PROSE:
            self.hidden_depth -= 1

    def handle_endtag(self, tag) -> None:
        if tag in _NOT_PROSE:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        if tag not in _INLINE:
            self.flow.append(BLOCK)

    def handle_data(self, data) -> None:
        if not self.hidden_depth:
            self.flow.append(_ADDRESS.sub("", data))


def _faults_in(text: str, where: str) -> list[str]:
    found = []
    for rule, regex in RULES.items():
        for match in regex.finditer(text):
            context = text[max(0, match.start() - 30) : match.end() + 20]
            context = re.sub(r"\s+", " ", context.replace(BLOCK, " ¦ ")).strip()
            found.append(f"{where}: {rule}: « {context} »")
    return found


def typography_faults(html: str, where: str = "") -> list[str]:
    """What breaks the French rules in the text of an HTML page or mail: an ordinary space (or
    none) before « : ; ! ? » and inside « », a straight apostrophe; in text nodes and in the
    attributes read to people (aria-label, alt, title, placeholder, buttons' value)."""
    reader = _ReaderText()
    reader.feed(html)
    reader.close()
    found = _faults_in("".join(reader.flow), where)
    for attribute in reader.attributes:
        name, _, value = attribute.partition(": ")
        found += _faults_in(_ADDRESS.sub("", value), f"{where} {name}".strip())
    return found


def text_typography_faults(text: str, where: str = "") -> list[str]:
    """The same rules on plain text (a mail's text part); addresses left aside."""
    return _faults_in(_ADDRESS.sub("", text), where)
