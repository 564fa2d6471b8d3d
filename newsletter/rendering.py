"""Render a newsletter issue as an e-mail: Django template → MJML → HTML (mjml-python), plus a
plain-text part made from the same prepared blocks.

Each block of the body renders itself (`email_block.NewsletterBlock`); this module frames them.
`render_issue` is the one entry point. The sending app renders ONCE per campaign with
`unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER` and replaces the placeholder per recipient with
`str.replace` in both parts (the placeholder contains nothing that escaping or MJML alters).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from renouveau.legal import publisher_for_mail
from renouveau.mail_layout import PREHEADER_SPACER, mjml_to_html
from renouveau.typography import french_text

from .email_context import (
    GENERIC_UNSUBSCRIBE_PATH,
    NO_ARCHIVE_NOTE,
    UNSUBSCRIBE_URL_PLACEHOLDER,
    EmailContext,
    draft_preview_url,
    generic_unsubscribe_url,
    issue_archive_url,
)
from .email_text import TEXT_WIDTH, section_lines, typeset

__all__ = [
    "GENERIC_UNSUBSCRIBE_PATH",
    "UNSUBSCRIBE_URL_PLACEHOLDER",
    "PreparedBlock",
    "PreparedIssue",
    "RenderedIssue",
    "generic_unsubscribe_url",
    "prepare_issue",
    "render_issue",
    "render_mjml",
    "render_text",
    "subject_for",
]

MJML_TEMPLATE = "newsletter/email/issue.mjml.html"


@dataclass(frozen=True)
class RenderedIssue:
    subject: str  # e.g. "Renouveau du Bassin Minier N°2 — Juillet 2019"
    preheader: str
    html: str  # full HTML from mjml-python
    text: str  # plain-text part built from the same blocks
    # What the rendering was made from, for the checks to read instead of preparing and
    # rendering again (issue 28): the prepared blocks and the MJML source.
    prepared: PreparedIssue | None = field(default=None, repr=False, compare=False)
    mjml: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class PreparedBlock:
    block: Any  # the NewsletterBlock that prepared `item` and renders it
    item: dict[str, Any]


@dataclass
class PreparedIssue:
    """Everything the templates need, with absolute URLs, resolved pages and images."""

    issue: Any
    items: list[PreparedBlock]
    unsubscribe_url: str
    archive_url: str
    # Links that could not be resolved while preparing (unpublished page…), for the checks.
    problems: list[str] = field(default_factory=list)
    # Pages shown by their draft preview (test sends only): the mail opens with a notice.
    previewed: list[str] = field(default_factory=list)
    previews: bool = False  # prepared for a test send (links to drafts lead to previews)


def prepare_issue(
    issue: Any, *, unsubscribe_url: str, archive_url: str | None = None, previews: bool = False
) -> PreparedIssue:
    """`previews` (test sends): links to pages not yet public, the issue's own web version
    included, lead to their draft preview in the admin, and the mail says which."""
    context = EmailContext.for_issue(issue, previews=previews)
    items = []
    for child in issue.body:
        item = {"type": child.block_type, "id": child.id}
        item.update(child.block.email_item(child.value, context))
        items.append(PreparedBlock(child.block, typeset(item)))
    if not any(child.block_type == "masthead" for child in issue.body):
        # The text part always opens with the letter's banner: so does the HTML, even when the
        # editor has not added the block (a new issue).
        masthead = issue.body.stream_block.child_blocks["masthead"]
        item = {"type": "masthead", "id": None}
        item.update(masthead.email_item(masthead.get_default(), context))
        items.insert(0, PreparedBlock(masthead, typeset(item)))
    archive_url = archive_url or issue_archive_url(issue)
    if not archive_url and previews and issue.pk:
        archive_url = draft_preview_url(issue)
        context.previewed.insert(0, f"{issue.title} (version en ligne)")
    return PreparedIssue(
        issue=issue,
        items=items,
        unsubscribe_url=unsubscribe_url,
        archive_url=archive_url,
        problems=context.problems,
        previewed=list(dict.fromkeys(context.previewed)),
        previews=previews,
    )


def preview_notice(prepared: PreparedIssue) -> str:
    """What a test send says when some of its links lead to draft previews, or ""."""
    if not prepared.previewed:
        return ""
    titles = ", ".join(f"« {title} »" for title in prepared.previewed)
    return (
        f"Envoi de test : les liens vers {titles} mènent à l'aperçu du brouillon dans "
        "l'administration (connexion requise). Après publication, ils mèneront aux pages en ligne."
    )


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
            "preheader_spacer": PREHEADER_SPACER,
            "blocks": [p.block.email_mjml(p.item) for p in prepared.items],
            "unsubscribe_url": prepared.unsubscribe_url,
            "archive_url": prepared.archive_url,
            "no_archive_note": NO_ARCHIVE_NOTE,
            "preview_notice": preview_notice(prepared),
            "site_url": settings.SITE_URL,
            "publisher": publisher_for_mail(),
        },
    )


def publisher_lines(publisher: dict[str, str]) -> list[str]:
    """The sender's identity in a plain-text footer (shared with the cité alerts)."""
    if not publisher:
        return []
    lines = [
        f"Éditeur : {publisher['name']}"
        + (f", {publisher['address']}" if publisher["address"] else "")
    ]
    if publisher["legal_url"]:
        lines.append(f"Mentions légales : {publisher['legal_url']}")
    return lines


def render_text(prepared: PreparedIssue) -> str:
    out: list[str] = [
        "RENOUVEAU DU BASSIN MINIER — S'engager ensemble",
        prepared.issue.masthead_label,
        "",
        f"Lire cette lettre dans votre navigateur : {prepared.archive_url}"
        if prepared.archive_url
        else f"({NO_ARCHIVE_NOTE}.)",
    ]
    notice = preview_notice(prepared)
    if notice:
        out += ["", *textwrap.wrap(notice, TEXT_WIDTH)]
    sections = [s for p in prepared.items for s in p.block.email_text(p.item)]
    sections.append(
        (
            "-" * TEXT_WIDTH,
            "Renouveau du Bassin Minier — la lettre de l'Engagement pour le Renouveau du Bassin "
            "Minier",
            f"Lire en ligne : {prepared.archive_url}"
            if prepared.archive_url
            else f"({NO_ARCHIVE_NOTE}.)",
            f"Se désabonner ou gérer vos abonnements : {prepared.unsubscribe_url}",
            "Vous recevez cette lettre parce que vous vous êtes abonné sur le site du Renouveau "
            "du Bassin Minier.",
            *publisher_lines(publisher_for_mail()),
            "Cette lettre ne contient aucun traceur.",
        )
    )
    for lines in sections:
        out += section_lines(lines)
    # The fixed strings too (« Lire en ligne : », « Éditeur : »…); addresses stay as they are.
    return french_text("\n".join(out).strip()) + "\n"


def render_issue(
    issue: Any, *, unsubscribe_url: str, archive_url: str | None = None, previews: bool = False
) -> RenderedIssue:
    """Render an issue for one recipient context (unsubscribe and web-archive addresses);
    `previews` for a test send (see `prepare_issue`)."""
    prepared = prepare_issue(
        issue, unsubscribe_url=unsubscribe_url, archive_url=archive_url, previews=previews
    )
    mjml = render_mjml(prepared)
    return RenderedIssue(
        subject=subject_for(issue),
        preheader=issue.preheader,
        html=mjml_to_html(mjml),
        text=render_text(prepared),
        prepared=prepared,
        mjml=mjml,
    )
