"""Checks an issue must pass before any send: an empty list means it is fit to send.

mjml-python only reports parse errors (unknown or misplaced tags pass silently), so the MJML we
generate is also checked here against the structure MJML expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.urls import reverse
from mjml import mjml2html

from renouveau.blocks import CreditedImageBlock
from renouveau.media import media_name
from renouveau.placeholders import placeholder_problems

from .email_context import issue_archive_url
from .findings import Finding, block_label
from .rendering import (
    GENERIC_UNSUBSCRIBE_PATH,
    UNSUBSCRIBE_URL_PLACEHOLDER,
    PreparedIssue,
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


def check_mjml(source: str, *, compiled: bool = False) -> list[str]:
    """Problems of a generated MJML document (parse errors and misplaced or unknown tags);
    `compiled`: the source already went through the compiler (the rendering), not again."""
    problems: list[str] = []
    try:
        if not compiled:
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
        self.link_texts: list[tuple[str, str]] = []  # (href, visible text)
        self._open_link: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "img":
            self.images.append(values)
        elif tag == "a":
            self.links.append(values.get("href"))
            self._open_link, self._text = values.get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._open_link is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open_link is not None:
            self.link_texts.append((self._open_link, " ".join("".join(self._text).split())))
            self._open_link = None


MAX_SUBJECT_CHARS = 150  # beyond, every client cuts it and some filters frown
LONG_SUBJECT_CHARS = 80  # beyond, phones show only the start
# Alt texts that describe nothing: punctuation, or a camera's or a file's name.
_MEANINGLESS_ALT = re.compile(
    r"^\W*$|^(img|dsc|dscn|pict|photo|image)[\s_-]?\d+|\.(jpe?g|png|gif|webp|heic)$", re.IGNORECASE
)
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1"}  # noqa: S104 (a host name to spot)
_URL_TEXT = re.compile(r"^(https?://)?([a-z0-9-]+\.)+[a-z]{2,}(/\S*)?$", re.IGNORECASE)


def looks_like_address(text: str) -> bool:
    """Visible link text that is itself a web address (« www.exemple.fr/rapport »)."""
    return bool(_URL_TEXT.match(text))


def _host(url: str) -> str:
    host = (urlsplit(url if "://" in url else f"http://{url}").hostname or "").lower()
    return host.removeprefix("www.")


def _is_local(url: str) -> bool:
    """A development address, while the site itself (SITE_URL) is not on one: in development
    and tests every address of the site is local."""
    from django.conf import settings

    def local(host: str) -> bool:
        return host in _LOCAL_HOSTS or host.endswith((".local", ".localhost", ".test"))

    return local(_host(url)) and not local(_host(settings.SITE_URL))


def meaningless_alt(alt: str) -> bool:
    return bool(_MEANINGLESS_ALT.search(alt))


def check_links_and_alts(scan: _HtmlScan, places: Places | None = None) -> list[str]:
    """What readers would see as broken or as a trap: images whose alt text says nothing,
    links to a development address, and links whose text is one address and whose target is
    another site (what phishing looks like, and what filters punish). `places`: the blocks
    the addresses come from (their images' alt texts are checked per block, `image_alts`)."""
    places = places or Places()
    problems: list[str] = []
    for image in scan.images:
        alt = (image.get("alt") or "").strip()
        if image.get("src") not in places.checked_images and alt and meaningless_alt(alt):
            problems.append(
                f"Le texte alternatif « {alt} » ne décrit pas l'image ({image.get('src')}) : "
                "écrivez ce qu'elle montre."
            )
    for href, text in scan.link_texts:
        if href.startswith(("http://", "https://")) and _is_local(href):
            problems.append(
                Finding(
                    f"Le lien « {text or href} » mène à une adresse de développement ({href}) : "
                    "les abonnés ne pourront pas l'ouvrir. Remplacez-la par l'adresse publique.",
                    where=places.block_of(href),
                )
            )
        if (
            text
            and looks_like_address(text)
            and href.startswith(("http://", "https://"))
            and not _is_sender_unsubscribe(href)
            and _host(text) != _host(href)
        ):
            problems.append(
                Finding(
                    f"Le texte du lien montre « {text} » mais le lien mène à {_host(href)} : "
                    "faites correspondre le texte et l'adresse (sinon la lettre ressemble à un "
                    "hameçonnage).",
                    where=places.block_of(href),
                )
            )
    return problems


def _is_sender_unsubscribe(url: str) -> bool:
    # Filled in per recipient by the sending app, or its generic page: not ours to resolve.
    return url == UNSUBSCRIBE_URL_PLACEHOLDER or urlsplit(url).path == GENERIC_UNSUBSCRIBE_PATH


def _media_missing(url: str) -> bool:
    name = media_name(url)
    return name is not None and not default_storage.exists(name)


def check_html(html: str, places: Places | None = None) -> list[str]:
    places = places or Places()
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
    problems.extend(check_links_and_alts(scan, places))
    for image in scan.images:
        src = image.get("src") or ""
        if src not in places.checked_images and not (image.get("alt") or "").strip():
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


def past_webinars(issue: Any, now: Any = None) -> list[str]:
    """A « Prochain webinaire » block whose date has passed announces an event readers missed;
    one whose typed date is not its chosen page's contradicts the page (the letter shows the
    page's)."""
    from django.utils import timezone

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


@dataclass
class Places:
    """Where the addresses of a prepared issue come from: each image and link address → the
    block showing it, and the images whose alt text `image_alts` checked per block."""

    blocks_by_address: dict[str, str] = field(default_factory=dict)
    checked_images: set[str] = field(default_factory=set)

    def block_of(self, address: str) -> str:
        return self.blocks_by_address.get(address, "")


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
    scan = _HtmlScan()
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
    from wagtail.blocks import StreamBlockValidationError

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
