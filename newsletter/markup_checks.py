"""Checks of the markup an issue compiles to: the MJML we generate (mjml-python reports only
parse errors; unknown or misplaced tags pass silently, so the structure MJML expects is checked
here), and the HTML readers get (size, language, images, links)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from mjml import mjml2html

from renouveau.media import media_name

from .findings import Finding
from .rendering import GENERIC_UNSUBSCRIBE_PATH, UNSUBSCRIBE_URL_PLACEHOLDER

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


class HtmlScan(HTMLParser):
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

    def local(host: str) -> bool:
        return host in _LOCAL_HOSTS or host.endswith((".local", ".localhost", ".test"))

    return local(_host(url)) and not local(_host(settings.SITE_URL))


def meaningless_alt(alt: str) -> bool:
    return bool(_MEANINGLESS_ALT.search(alt))


def check_links_and_alts(scan: HtmlScan, places: Places | None = None) -> list[str]:
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
    scan = HtmlScan()
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


@dataclass
class Places:
    """Where the addresses of a prepared issue come from: each image and link address → the
    block showing it, and the images whose alt text `image_alts` checked per block."""

    blocks_by_address: dict[str, str] = field(default_factory=dict)
    checked_images: set[str] = field(default_factory=set)

    def block_of(self, address: str) -> str:
        return self.blocks_by_address.get(address, "")
