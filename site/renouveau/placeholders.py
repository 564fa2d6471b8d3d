"""Placeholder text that must never reach a reader: « à compléter », « à confirmer », « XXX »,
« Lorem ipsum ». The demo content marks unknown facts this way (demo_legal.py); a mail or the
legal notice still holding one is refused by the newsletter's pre-send checks
(`placeholder_problems`) and named by `manage.py check --deploy` (`legal_notice_placeholders`,
the legal notice being where every mail footer takes the publisher's identity from)."""

from __future__ import annotations

import re
from html import unescape

from django.core.checks import CheckMessage, Warning, register
from django.db import DatabaseError

from .legal import LegalNoticePage, publisher_for_mail

PLACEHOLDER = re.compile(
    r"\bà[\s\u00a0]+compl[ée]ter\b|\bà[\s\u00a0]+confirmer\b|\bXXX+\b|\blorem\b", re.IGNORECASE
)
_TAGS = re.compile(r"<(script|style|head)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)


def placeholders_in(text: str) -> list[str]:
    """The placeholders found in `text` (plain), each once, as written."""
    return list(dict.fromkeys(match[0] for match in PLACEHOLDER.finditer(text)))


def html_text(html: str) -> str:
    """The text a reader sees of an HTML mail (no tags, head, styles or addresses)."""
    return unescape(_TAGS.sub(" ", html))


def placeholder_problems(
    html: str, text: str, *, publisher: dict[str, str] | None = None
) -> list[str]:
    """French messages for the pre-send checks: placeholders in the mail (HTML or text part);
    those of the footer's identity point to the legal notice, where it comes from."""
    publisher = publisher_for_mail() if publisher is None else publisher
    in_footer = placeholders_in(" ".join(publisher.values()))
    found = [p for p in placeholders_in(html_text(html) + "\n" + text) if p not in in_footer]
    problems = []
    if found:
        quoted = ", ".join(f"« {p} »" for p in found)
        problems.append(
            f"Le message contient un texte provisoire ({quoted})\u00a0: complétez-le avant l’envoi."
        )
    if in_footer:
        quoted = ", ".join(f"« {p} »" for p in in_footer)
        problems.append(
            f"Le pied du message (l’éditeur, repris des mentions légales) contient {quoted}\u00a0: "
            "complétez la page « Mentions légales »."
        )
    return problems


_LEGAL_FIELDS = (
    "publisher_name",
    "publisher_legal_form",
    "publisher_address",
    "publisher_siren",
    "director_name",
    "director_role",
    "host_name",
    "host_address",
)


def legal_notice_placeholders() -> dict[str, list[str]]:
    """Per field label of the live legal notice, the placeholders it still holds."""
    found: dict[str, list[str]] = {}
    for notice in LegalNoticePage.objects.live():
        for name in _LEGAL_FIELDS:
            values = placeholders_in(str(getattr(notice, name) or ""))
            if values:
                found[str(LegalNoticePage._meta.get_field(name).verbose_name)] = values
    return found


@register("content", deploy=True)
def check_legal_notice(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Before production starts: the legal notice (and so every mail's footer) holds no
    placeholder. Skipped when the database cannot be read (not migrated yet)."""
    try:
        found = legal_notice_placeholders()
    except DatabaseError:
        return []
    if not found:
        return []
    fields = "; ".join(f"{label} ({', '.join(values)})" for label, values in found.items())
    return [
        Warning(
            f"Les mentions légales contiennent un texte provisoire : {fields}.",
            hint="Complétez la page « Mentions légales » dans l'administration : chaque lettre, "
            "alerte et message du site reprend l'éditeur dans son pied.",
            id="renouveau.W010",
        )
    ]
