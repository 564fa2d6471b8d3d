"""Checks an issue must pass before any send: an empty list means it is fit to send (the
markup's own checks are in markup_checks.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from wagtail.blocks import StreamBlockValidationError

from renouveau.blocks import CreditedImageBlock
from renouveau.placeholders import placeholder_problems

from .email_context import issue_archive_url
from .findings import Finding, block_label
from .markup_checks import (
    LONG_SUBJECT_CHARS,
    MAX_HTML_BYTES,
    MAX_SUBJECT_CHARS,
    HtmlScan,
    Places,
    check_html,
    check_mjml,
    looks_like_address,
    meaningless_alt,
)
from .rendering import (
    UNSUBSCRIBE_URL_PLACEHOLDER,
    PreparedIssue,
    RenderedIssue,
    prepare_issue,
    render_mjml,
)

# Imported from here by the send flow and the tests (one place to import every check from).
__all__ = ["MAX_HTML_BYTES", "check_html", "check_mjml", "looks_like_address", "check_issue"]


def past_webinars(issue: Any, now: Any = None) -> list[str]:
    """A « Prochain webinaire » block whose date has passed announces an event readers missed;
    one whose typed date is not its chosen page's contradicts the page (the letter shows the
    page's)."""
    now = now or timezone.now()
    problems = []
    for position, child in enumerate(issue.body, 1):
        if child.block_type != "webinar":
            continue
        value, where = child.value, block_label(position, child.block)
        title = value.get("title") or getattr(value.get("page"), "title", "")
        when = value.when()
        if when and when < now:
            problems.append(
                Finding(
                    f"Le bloc « Prochain webinaire » {f'« {title} » ' if title else ''}annonce "
                    f"une date passée ({timezone.localtime(when):%d/%m/%Y}) : corrigez la "
                    "date ou retirez le bloc.",
                    where=where,
                )
            )
        if value.typed_date_differs():
            typed, start = timezone.localtime(value["date"]), timezone.localtime(when)
            problems.append(
                Finding(
                    f"La date saisie dans le bloc ({typed:%d/%m/%Y à %H:%M}) n'est pas celle de "
                    f"la page « {value['page'].title} » ({start:%d/%m/%Y à %H:%M}), que la "
                    "lettre affiche : videz le champ « Date et heure » du bloc, ou corrigez la "
                    "page du webinaire.",
                    where=where,
                    url=reverse("wagtailadmin_pages:edit", args=[value["page"].pk]),
                    link_text="Ouvrir la page du webinaire",
                )
            )
    return problems


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


_ADDRESS = re.compile(r"""(?:href|src)=["']([^"']+)""")


def body_blocks(issue: Any, prepared: PreparedIssue) -> list[tuple[int, Any, dict[str, Any]]]:
    """(position, body child, prepared item) of each block the editor placed (not the banner
    added when the body has none)."""
    items = [p.item for p in prepared.items]
    if not any(child.block_type == "masthead" for child in issue.body):
        items = items[1:]
    pairs = zip(issue.body, items, strict=True)
    return [(n, child, item) for n, (child, item) in enumerate(pairs, 1)]


def image_alts(issue: Any, prepared: PreparedIssue) -> tuple[list[str], Places]:
    """Alt texts missing or saying nothing, reported where the editor fixes them: the block's
    own « Texte alternatif » field when it has one that overrides the image's description,
    else the image in the library (a link). Also where each address of the issue comes from."""
    problems: list[str] = []
    places = Places()
    for position, child, item in body_blocks(issue, prepared):
        where = block_label(position, child.block)
        for text in _strings(item):
            for address in [text, *_ADDRESS.findall(text)]:
                places.blocks_by_address.setdefault(address, where)
        image = item.get("image")
        if not isinstance(image, dict) or not image.get("src"):
            continue
        places.checked_images.add(image["src"])
        alt = (image.get("alt") or "").strip()
        if alt and not meaningless_alt(alt):
            continue
        credited = (
            child.value if isinstance(child.block, CreditedImageBlock) else child.value.get("image")
        )
        own = (credited.get("alt_text") or "").strip() if hasattr(credited, "get") else ""
        if own:
            problems.append(
                Finding(
                    f"Le texte alternatif « {own} » ne décrit pas l'image : écrivez ce qu'elle "
                    "montre dans le champ « Texte alternatif » de ce bloc (c'est lui qui "
                    "s'affiche, pas la description de la bibliothèque d'images).",
                    where=where,
                )
            )
            continue
        fix = (
            "décrivez-la dans la bibliothèque d'images (sa description), ou saisissez un texte "
            "alternatif dans le bloc."
            if hasattr(credited, "get")
            else "décrivez-la dans la bibliothèque d'images (sa description)."
        )
        said = (
            f"Le texte alternatif « {alt} » ne décrit pas l'image"
            if alt
            else ("L'image n'a pas de texte alternatif")
        )
        problems.append(
            Finding(
                f"{said} : {fix}",
                where=where,
                url=reverse("wagtailimages:edit", args=[image["image_id"]]),
                link_text="Ouvrir l'image dans la bibliothèque",
            )
        )
    return problems, places


LARGE_IMAGE_RATIO = 2.0  # taller than twice its width: a long scroll on a phone


def issue_warnings(issue: Any, rendered: RenderedIssue, places: Places | None = None) -> list[str]:
    """What may be intended but deserves a second look: sending needs an acknowledgement,
    recorded on the campaign. `places`: where addresses come from (worked out if not given)."""
    if places is None:
        _, places = image_alts(issue, prepared_for(issue, rendered))
    warnings = []
    if not (issue.preheader or "").strip():
        warnings.append(
            Finding(
                "Pas de texte d'aperçu : les messageries afficheront à la place le début de la "
                "lettre (« Lire cette lettre dans votre navigateur »). Remplissez le champ "
                "« Texte d'aperçu » de la lettre.",
                url=_edit_url(issue),
                link_text="Modifier la lettre",
            )
        )
    if LONG_SUBJECT_CHARS < len(rendered.subject) <= MAX_SUBJECT_CHARS:
        warnings.append(
            f"L'objet fait {len(rendered.subject)} caractères : sur un téléphone, seuls les "
            f"{LONG_SUBJECT_CHARS} premiers environ seront lus."
        )
    types = [child.block_type for child in issue.body]
    if "masthead" in types and types.index("masthead") != 0:
        warnings.append("Le bandeau de la lettre n'est pas en tête : placez-le en premier bloc.")
    scan = HtmlScan()
    scan.feed(rendered.html)
    for image in scan.images:
        try:
            width, height = int(image.get("width") or 0), int(image.get("height") or 0)
        except ValueError:
            continue
        if width and height > LARGE_IMAGE_RATIO * width:
            warnings.append(
                Finding(
                    f"Une image est très haute ({image.get('src')}, {width}×{height}) : sur un "
                    "téléphone, elle occupera plusieurs écrans. Recadrez-la.",
                    where=places.block_of(image.get("src") or ""),
                )
            )
    return warnings


def _edit_url(issue: Any) -> str:
    return reverse("wagtailadmin_pages:edit", args=[issue.pk]) if issue.pk else ""


def incomplete_blocks(issue: Any) -> list[str]:
    """Blocks of a draft whose required fields are empty (Wagtail 8 lets a draft be saved so,
    and « Créer à partir du numéro précédent » leaves them to fill): the issue cannot be
    rendered, let alone sent, until they are filled."""
    try:
        issue.body.stream_block.clean(issue.body)
    except StreamBlockValidationError as error:
        problems = []
        for index, child_error in sorted(error.block_errors.items()):
            child = issue.body[index]
            names = getattr(child_error, "block_errors", {}) or {}
            labels = [str(child.block.child_blocks[name].label) for name in names]
            fields = f" ({', '.join(f'« {label} »' for label in labels)})" if labels else ""
            problems.append(
                Finding(f"bloc à compléter{fields}.", where=block_label(index + 1, child.block))
            )
        return problems or [Finding("Des blocs sont à compléter.")]
    return []


@dataclass(frozen=True)
class IssueChecks:
    """The one list of checks of an issue, shown alike in the editor's checks panel, on a test
    send and on the send form: `problems` stop any send (a test included), `warnings` need an
    acknowledgement to send to subscribers."""

    problems: list[str]
    warnings: list[str]


def prepared_for(issue: Any, rendered: RenderedIssue, *, test_send: bool = False) -> PreparedIssue:
    """What `rendered` was made from when it matches (same issue, same kind of send); else the
    issue prepared again (a rendering made elsewhere)."""
    prepared = rendered.prepared
    if prepared is not None and prepared.issue is issue and prepared.previews == test_send:
        return prepared
    return prepare_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER, previews=test_send)


def issue_checks(issue: Any, rendered: RenderedIssue, *, test_send: bool = False) -> IssueChecks:
    prepared = prepared_for(issue, rendered, test_send=test_send)
    _, places = image_alts(issue, prepared)
    return IssueChecks(
        problems=check_issue(issue, rendered, test_send=test_send, prepared=prepared),
        warnings=issue_warnings(issue, rendered, places),
    )


def check_issue(
    issue: Any,
    rendered: RenderedIssue,
    *,
    test_send: bool = False,
    prepared: PreparedIssue | None = None,
) -> list[str]:
    """French messages describing what must be fixed before sending; empty list = OK to send.

    A test may be sent before the first publication, and link to pages not published yet: it
    then leads to their draft previews and says so (`prepare_issue(previews=True)`);
    subscribers get only a published issue, with its web address."""
    problems: list[str] = []
    if not test_send and not issue_archive_url(issue):
        problems.append(
            "La lettre n'est pas encore publiée : sa version en ligne n'a pas d'adresse. "
            "Publiez-la avant l'envoi (un test peut déjà être envoyé)."
        )
    if not rendered.subject.strip():
        problems.append("La lettre n'a pas d'objet (titre).")
    elif len(rendered.subject) > MAX_SUBJECT_CHARS:
        problems.append(
            f"L'objet (le titre de la lettre) fait {len(rendered.subject)} caractères : "
            f"{MAX_SUBJECT_CHARS} au plus, moins de {LONG_SUBJECT_CHARS} pour être lu en entier "
            "sur un téléphone."
        )
    problems.extend(past_webinars(issue))
    if not list(issue.body):
        problems.append("La lettre est vide.")
    prepared = prepared or prepared_for(issue, rendered, test_send=test_send)
    problems.extend(prepared.problems)
    alt_problems, places = image_alts(issue, prepared)
    problems.extend(alt_problems)
    if rendered.mjml and rendered.prepared is prepared:  # its HTML compiled from that MJML
        problems.extend(check_mjml(rendered.mjml, compiled=True))
    else:
        problems.extend(check_mjml(render_mjml(prepared)))
    problems.extend(check_html(rendered.html, places))
    if (
        rendered.html.count("__UNSUBSCRIBE_TOKEN__")
        and UNSUBSCRIBE_URL_PLACEHOLDER not in rendered.html
    ):
        problems.append("Le lien de désabonnement a été altéré pendant le rendu.")
    if not rendered.text.strip():
        problems.append("La version texte de la lettre est vide.")
    problems.extend(placeholder_problems(rendered.html, rendered.text))  # « à compléter »…
    # Keep the order, drop duplicates (the same image may appear twice).
    return list(dict.fromkeys(problems))
