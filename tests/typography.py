"""Text as typed: for tests that look for content in pages and mails typeset by
renouveau.typography (’ → ', non-breaking spaces and hyphen → plain ones, entities decoded)."""

from html import unescape


def as_typed(text: str) -> str:
    text = unescape(text).replace("\u2019", "'").replace("\u2011", "-")
    return text.replace("\u00a0", " ").replace("\u202f", " ")
