"""Checks an issue must pass before any send: an empty list means it is fit to send.

mjml-python only reports parse errors (unknown or misplaced tags pass silently), so the MJML we
generate is also checked here against the structure MJML expects.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from mjml import mjml2html

from renouveau.media import media_name

from .email_context import issue_archive_url
from .rendering import (
    GENERIC_UNSUBSCRIBE_PATH,
    UNSUBSCRIBE_URL_PLACEHOLDER,
    RenderedIssue,
    prepare_issue,
    render_mjml,
)

MAX_HTML_BYTES = 100 * 1024  # Gmail clips messages above 102 KB

# Where each MJML body element may appear (parent tags), after the MJML 4 documentation.
MJML_PARENTS = {
    "mj-body": {"mjml"},
    "mj-head": {"mjml"},
    "mj-section": {"mj-body", "mj-wrapper"},
    "mj-wrapper": {"mj-body"},
    "mj-group": {"mj-section"},
    "mj-column": {"mj-section", "mj-group"},
    "mj-text": {"mj-column", "mj-hero"},
    "mj-image": {"mj-column", "mj-hero"},
    "mj-button": {"mj-column", "mj-hero"},
    "mj-divider": {"mj-column", "mj-hero"},
    "mj-spacer": {"mj-column", "mj-hero"},
    "mj-table": {"mj-column", "mj-hero"},
    "mj-social": {"mj-column", "mj-hero"},
    "mj-raw": {"mj-head", "mj-body", "mj-column", "mj-section", "mj-wrapper", "mj-hero"},
    "mj-title": {"mj-head"},
    "mj-preview": {"mj-head"},
    "mj-attributes": {"mj-head"},
    "mj-style": {"mj-head"},
    "mj-font": {"mj-head"},
    "mj-breakpoint": {"mj-head"},
}
# Inside these, content is HTML, not MJML.
MJML_ENDING_TAGS = {
    "mj-text",
    "mj-button",
    "mj-table",
    "mj-raw",
    "mj-style",
    "mj-title",
    "mj-preview",
}


class _MjmlStructure(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.root_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        inside_html = any(t in MJML_ENDING_TAGS for t in self.stack)
        if inside_html:
            if tag.startswith("mj-"):
                self.problems.append(f"Balise MJML <{tag}> placée dans <{self.stack[-1]}>.")
            return
        parent = self.stack[-1] if self.stack else None
        if tag == "mjml":
            self.root_lang = dict(attrs).get("lang")
        elif tag.startswith("mj-"):
            allowed = MJML_PARENTS.get(tag)
            if parent == "mj-attributes":
                pass  # defaults such as <mj-text …/> inside <mj-attributes>
            elif allowed is None:
                self.problems.append(f"Balise MJML inconnue : <{tag}>.")
            elif parent not in allowed:
                self.problems.append(f"Balise MJML <{tag}> mal placée (dans <{parent}>).")
        else:
            self.problems.append(
                f"Balise HTML <{tag}> hors d'un bloc de texte MJML (dans <{parent}>)."
            )
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


def check_mjml(source: str) -> list[str]:
    """Problems of a generated MJML document (parse errors and misplaced or unknown tags)."""
    problems: list[str] = []
    try:
        mjml2html(source)
    except ValueError as error:
        problems.append(f"Erreur MJML : {error}")
    parser = _MjmlStructure()
    parser.feed(source)
    parser.close()
    if parser.root_lang is None:
        problems.append("Le document MJML n'indique pas sa langue (lang).")
    problems.extend(parser.problems)
    return problems


class _HtmlScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.images: list[dict[str, str | None]] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "img":
            self.images.append(values)
        elif tag == "a":
            self.links.append(values.get("href"))


def _is_sender_unsubscribe(url: str) -> bool:
    # Filled in per recipient by the sending app, or its generic page: not ours to resolve.
    return url == UNSUBSCRIBE_URL_PLACEHOLDER or urlsplit(url).path == GENERIC_UNSUBSCRIBE_PATH


def _media_missing(url: str) -> bool:
    name = media_name(url)
    return name is not None and not default_storage.exists(name)


def check_html(html: str) -> list[str]:
    problems: list[str] = []
    size = len(html.encode())
    if size > MAX_HTML_BYTES:
        problems.append(
            f"La lettre pèse {size / 1024:.0f} Ko de HTML : au-delà de 100 Ko, Gmail la coupe. "
            "Retirez des blocs ou raccourcissez les textes."
        )
    scan = _HtmlScan()
    scan.feed(html)
    scan.close()
    if not scan.lang or scan.lang == "und":
        problems.append("La langue du document (lang) n'est pas indiquée.")
    for image in scan.images:
        src = image.get("src") or ""
        if image.get("alt") is None or not image["alt"].strip():
            problems.append(f"Une image n'a pas de texte alternatif : {src}")
        if not src.startswith(("https://", "http://")):
            problems.append(f"Une image n'a pas d'adresse absolue : « {src} ».")
        elif _media_missing(src):
            problems.append(f"Une image est introuvable sur le site : {src}")
    for href in scan.links:
        if not href:
            problems.append("Un lien n'a pas d'adresse (page supprimée ou non publiée ?).")
        elif not href.startswith(("https://", "http://", "mailto:")):
            problems.append(f"Un lien n'a pas d'adresse absolue : « {href} ».")
        elif not _is_sender_unsubscribe(href) and _media_missing(href):
            problems.append(f"Un lien mène à un fichier introuvable : {href}")
    return problems


def check_issue(issue: Any, rendered: RenderedIssue, *, test_send: bool = False) -> list[str]:
    """French messages describing what must be fixed before sending; empty list = OK to send.

    A test may be sent before the first publication (the e-mail then says its web version comes
    with the publication); subscribers get only a published issue, with its web address."""
    problems: list[str] = []
    if not test_send and not issue_archive_url(issue):
        problems.append(
            "La lettre n'est pas encore publiée : sa version en ligne n'a pas d'adresse. "
            "Publiez-la avant l'envoi (un test peut déjà être envoyé)."
        )
    if not rendered.subject.strip():
        problems.append("La lettre n'a pas d'objet (titre).")
    if not list(issue.body):
        problems.append("La lettre est vide.")
    prepared = prepare_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    problems.extend(prepared.problems)
    problems.extend(check_mjml(render_mjml(prepared)))
    problems.extend(check_html(rendered.html))
    if (
        rendered.html.count("__UNSUBSCRIBE_TOKEN__")
        and UNSUBSCRIBE_URL_PLACEHOLDER not in rendered.html
    ):
        problems.append("Le lien de désabonnement a été altéré pendant le rendu.")
    if not rendered.text.strip():
        problems.append("La version texte de la lettre est vide.")
    # Keep the order, drop duplicates (the same image may appear twice).
    return list(dict.fromkeys(problems))
