"""How a cité alert reads (sent by cite_alerts.py): one digest of the updates of the cités a
follower follows — the evening's, or the week's for those who chose a weekly digest — in the
letter's MJML head (fonts, colours, dark mode).

The digest is rendered once for every cité updated, each cité's section (and each publication in
it) marked as a part (delivery/sections.py); each follower's mail keeps the sections of the cités
they follow. A publication naming several cités is in each of their sections, kept only under
the first the follower follows (said to concern the others), and the subject of each set of
cités counts publications, not (cité, page) pairs. No hidden text: each item's title is its link,
and the one button per cité has a label of its own. Texts are typeset (renouveau.typography) and
the text part is wrapped at 72 columns."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, publisher_lines
from renouveau.legal import publisher_for_mail
from renouveau.mail_layout import PREHEADER_SPACER, mjml_to_html
from renouveau.typography import french_text

from ..models import CiteUpdate
from .sections import part_marker, splice

# MJML drops comments: the templates write parts as this sentinel, made a marker afterwards.
_SENTINEL = re.compile(r"@@part:([0-9-]*)@@\n?")

HEADINGS = {
    "daily": "Les nouveautés des cités que vous suivez",
    "weekly": "La semaine des cités que vous suivez",
}


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def _sentinel(keep: int | None = None, unless: Iterable[int] = ()) -> str:
    return part_marker(keep, unless).replace("<!--", "@@").replace("-->", "@@")


@dataclass
class Section:
    cite_id: int
    cite: str
    items: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def alert_sections(updates: list[CiteUpdate]) -> list[Section]:
    """Per cité (alphabetical), its publications (oldest first). A publication naming several
    cités is in each one's section, marked to show only under the first of them a follower
    follows (`part`), with the other cités it concerns in `also`."""
    ordered = sorted(updates, key=lambda u: (u.cite.title.casefold(), u.published_at, u.pk or 0))
    cites_of: dict[str, list[CiteUpdate]] = defaultdict(list)
    for update in ordered:
        cites_of[update.source].append(update)
    sections: dict[int, Section] = {}
    for update in ordered:
        section = sections.setdefault(update.cite_id, Section(update.cite_id, update.cite.title))
        if update.source in section.sources:
            continue
        section.sources.append(update.source)
        named = cites_of[update.source]
        earlier = [u.cite_id for u in named[: named.index(update)] if u.cite_id != update.cite_id]
        also = [u.cite.title for u in named if u.cite_id != update.cite_id]
        section.items.append(
            {
                "update": update,
                "also": join_names(also) if also else "",
                "part": _sentinel(update.cite_id, earlier),
                "end": _sentinel(update.cite_id),
            }
        )
    return list(sections.values())


def digest_subject(sections: list[Section], cite_ids: Iterable[int], frequency: str) -> str:
    """The subject of the mail of a follower of these cités (among the digest's sections)."""
    chosen = set(cite_ids)
    mine = [s for s in sections if s.cite_id in chosen]
    names = [s.cite for s in mine]
    items = {item["update"].source: item["update"] for s in mine for item in s.items}
    if len(items) == 1:
        subject = f"{join_names(names)} : {next(iter(items.values())).title}"
    elif frequency == "weekly":
        subject = f"La semaine de {join_names(names)} ({len(items)} publications)"
    else:
        subject = f"Nouveautés de {join_names(names)} ({len(items)} publications)"
    return subject[:300]


def render_digest(
    updates: list[CiteUpdate], frequency: str = "daily"
) -> tuple[list[Section], str, str]:
    """(sections, HTML, text) of the digest of these updates, every section a part to splice
    per follower, with the unsubscribe placeholder the sender fills per recipient."""
    publisher = publisher_for_mail()
    sections = alert_sections(updates)
    context = {
        "heading": HEADINGS[frequency],
        "subject": HEADINGS[frequency],
        "preheader": french_text(HEADINGS[frequency]),
        "preheader_spacer": PREHEADER_SPACER,
        "sections": [
            {
                "cite": s.cite,
                "items": s.items,
                "part": _sentinel(s.cite_id),
                "unfollow_url": f"{UNSUBSCRIBE_URL_PLACEHOLDER}?cite={s.cite_id}",
            }
            for s in sections
        ],
        "common_part": _sentinel(),
        "unsubscribe_url": UNSUBSCRIBE_URL_PLACEHOLDER,
        "site_url": settings.SITE_URL,
        "publisher": publisher,
        "publisher_lines": publisher_lines(publisher),
    }
    html = mjml_to_html(render_to_string("mailing/email/cite_alert.mjml.html", context))
    text = render_to_string("mailing/email/cite_alert.txt", context)
    return sections, _markers(html), _markers(text)


def _markers(body: str) -> str:
    return _SENTINEL.sub(lambda m: f"<!--part:{m[1]}-->", body)


def render_alert(updates: list[CiteUpdate], frequency: str = "daily") -> tuple[str, str, str]:
    """(subject, HTML, text) of the mail a follower of every cité of these updates gets: the
    digest spliced for them (previews, mail-client checks)."""
    sections, html, text = render_digest(updates, frequency)
    every = frozenset(section.cite_id for section in sections)
    return digest_subject(sections, every, frequency), splice(html, every), splice(text, every)
