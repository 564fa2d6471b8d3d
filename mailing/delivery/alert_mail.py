"""How a cité alert reads (sent by cite_alerts.py): one digest of the day's updates of
the cités a follower follows, in the letter's MJML head (fonts, colours, dark mode).

Each publication appears once, under the first of its cités (a webinar naming two followed cités
is one item, said to concern both), and the subject counts publications, not (cité, page)
pairs. No hidden text: each item's title is its link, and the one button per cité has a label of
its own. Texts are typeset (renouveau.typography) and the text part is wrapped at 72 columns."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, publisher_lines
from renouveau.legal import publisher_for_mail
from renouveau.mail_layout import PREHEADER_SPACER, mjml_to_html
from renouveau.typography import french_text

from ..models import CiteUpdate


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def alert_sections(updates: list[CiteUpdate]) -> list[dict[str, Any]]:
    """Per cité (alphabetical), its publications (oldest first), each publication once: under
    its first cité, with the others it concerns in `also`."""
    ordered = sorted(updates, key=lambda u: (u.cite.title.casefold(), u.published_at, u.pk or 0))
    cites_of: dict[str, list[str]] = defaultdict(list)
    for update in ordered:
        if update.cite.title not in cites_of[update.source]:
            cites_of[update.source].append(update.cite.title)
    sections: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for update in ordered:
        section = sections.setdefault(
            update.cite.title,
            {"cite": update.cite.title, "cite_id": update.cite_id, "items": []},
        )
        if update.source in seen:
            continue
        seen.add(update.source)
        also = [name for name in cites_of[update.source] if name != update.cite.title]
        section["items"].append({"update": update, "also": join_names(also) if also else ""})
    return list(sections.values())


def render_alert(updates: list[CiteUpdate]) -> tuple[str, str, str]:
    """(subject, HTML, text) of the alert about these updates, with the unsubscribe
    placeholder the sender fills per recipient (as for an issue)."""
    publisher = publisher_for_mail()
    sections = alert_sections(updates)
    for section in sections:
        section["unfollow_url"] = f"{UNSUBSCRIBE_URL_PLACEHOLDER}?cite={section['cite_id']}"
    names = [section["cite"] for section in sections]
    items = [item for section in sections for item in section["items"]]
    if len(items) == 1:
        subject = f"{join_names(names)} : {items[0]['update'].title}"
    else:
        subject = f"Nouveautés de {join_names(names)} ({len(items)} publications)"
    context = {
        "subject": subject,
        "preheader": french_text(f"Du nouveau sur {join_names(names)}"),
        "preheader_spacer": PREHEADER_SPACER,
        "sections": sections,
        "unsubscribe_url": UNSUBSCRIBE_URL_PLACEHOLDER,
        "site_url": settings.SITE_URL,
        "publisher": publisher,
        "publisher_lines": publisher_lines(publisher),
    }
    html = mjml_to_html(render_to_string("mailing/email/cite_alert.mjml.html", context))
    text = render_to_string("mailing/email/cite_alert.txt", context)
    return subject[:300], html, text
