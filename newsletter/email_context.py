"""What a block needs to prepare its e-mail values: absolute addresses, the pages and images of
the whole issue loaded in a few queries, and a list of the links that could not be resolved."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from renouveau.visibility import is_public_page, public_pages

from .findings import Finding
from .teasers import load_teased_pages

UNSUBSCRIBE_URL_PLACEHOLDER = "https://unsubscribe.invalid/__UNSUBSCRIBE_TOKEN__"
# The generic unsubscribe page (built by the mailing app) used where no recipient is known:
# the web view of the e-mail, previews and test sends.
GENERIC_UNSUBSCRIBE_PATH = "/lettre/desabonnement/"

# Renditions for a 600 px layout: the 1× image and its 2× (retina) counterpart.
IMAGE_SPEC = "width-600|format-jpeg|jpegquality-80"
IMAGE_SPEC_2X = "width-1200|format-jpeg|jpegquality-70"


def generic_unsubscribe_url() -> str:
    return settings.SITE_URL + GENERIC_UNSUBSCRIBE_PATH


def absolute_url(url: str) -> str:
    """Make a root-relative address absolute on the public site (SITE_URL)."""
    if url.startswith("/") and not url.startswith("//"):
        return settings.SITE_URL + url
    return url


def page_url(page: Page | None, *, public: bool | None = None) -> str:
    """Absolute public address of a page, or "" when the public may not see it (draft, expired,
    private section) or it is not routable. `public`: when already known (`visibility_by_id`)."""
    if not (is_public_page(page) if public is None else public):
        return ""
    parts = page.get_url_parts()
    if parts is None:
        return ""
    return settings.SITE_URL + parts[2]


# Where the web version's address goes while the issue has none (never published: previews and
# test sends of a draft). A real send requires a published issue (`checks.check_issue`).
NO_ARCHIVE_NOTE = "Version en ligne disponible à la publication"


def visibility_by_id(pages: Iterable[Page]) -> dict[int, bool]:
    """`is_public_page` for many pages in one or two queries, not two per page. Aliases are
    left out (their visibility also depends on the page they copy: `is_public_page` asks)."""
    ids = {page.pk for page in pages if not page.alias_of_id}
    if not ids:
        return {}
    # `expired` as in `is_public_page` (public_pages() does not look at it).
    public = set(
        public_pages(Page.objects.filter(pk__in=ids, expired=False)).values_list("pk", flat=True)
    )
    return {pk: pk in public for pk in ids}


def issue_archive_url(issue: Any) -> str:
    """The issue's public address, or "" before its first publication."""
    return page_url(issue) if issue.pk else ""


def draft_preview_url(page: Page) -> str:
    """The admin's preview of a page's latest draft (staff only: it asks them to log in)."""
    return settings.SITE_URL + reverse("wagtailadmin_pages:view_draft", args=[page.pk])


_RELATIVE_HREF = re.compile(r'(href|src)="(/[^/"][^"]*|/)"')


def email_rich_text(value: Any) -> str:
    """Rich text as HTML for an e-mail: internal links expanded and made absolute."""
    source = getattr(value, "source", value) or ""
    html = expand_db_html(source)
    return _RELATIVE_HREF.sub(lambda m: f'{m.group(1)}="{absolute_url(m.group(2))}"', html)


def credit_label(credit: str) -> str:
    """'© Jean Dupont', but 'Crédit ville de Vicq' as written (it already says what it is)."""
    credit = credit.strip()
    if not credit or credit.lower().startswith(("crédit", "credit", "©", "photo")):
        return credit
    return f"© {credit}"


def email_image(
    image: Any, *, alt: str = "", credit: str = "", caption: str = ""
) -> dict[str, Any] | None:
    """The e-mail's values of an image; None when there is none, or when its original file
    cannot be read (no rendition can be made: EmailContext reports it)."""
    if image is None:
        return None
    try:
        one, two = image.get_rendition(IMAGE_SPEC), image.get_rendition(IMAGE_SPEC_2X)
    except SourceImageIOError:
        return None
    return {
        "src": absolute_url(one.url),
        "src2x": absolute_url(two.url),
        "width": one.width,
        "height": one.height,
        "alt": alt or image.description or "",
        "image_id": image.pk,  # where the checks send the editor to describe it
        "credit": credit_label(credit or getattr(image, "credit", "") or ""),
        "caption": caption,
    }


class EmailContext:
    """One issue being prepared: `for_issue` loads what its blocks reference (see
    `NewsletterBlock.email_pages` and `email_images`) in a few queries, whatever its length.

    With `previews` (a test send), a page the public may not see yet links to its draft preview
    in the admin, and its title is listed in `previewed` (the mail says so), instead of being a
    problem."""

    def __init__(
        self,
        issue: Any,
        pages: dict[int, Page],
        images: dict[int, Any],
        previews: bool = False,
        visible: dict[int, bool] | None = None,
    ) -> None:
        self.issue = issue
        self.pages = pages
        self.images = images
        # Whether the public may see the pages linked to, asked once for the whole issue.
        self.visible = visible or {}
        self.previews = previews
        # Links that could not be resolved (unpublished page…), for the checks.
        self.problems: list[str] = []
        self.previewed: list[str] = []

    @classmethod
    def for_issue(cls, issue: Any, *, previews: bool = False) -> EmailContext:
        # The StreamField has already fetched the chosen pages and images in bulk; this adds the
        # specific pages behind teasers (for their teaser text and image) and the renditions.
        page_ids: set[int] = set()
        links: list[Page] = []
        images: dict[int, Any] = {}
        for child in issue.body:
            page_ids.update(page.pk for page in child.block.email_pages(child.value))
            links += child.block.email_links(child.value)
            for image in child.block.email_images(child.value):
                images.setdefault(image.pk, image)
        pages = load_teased_pages(page_ids)
        for page in pages.values():
            teaser_image = page.get_teaser_image() if hasattr(page, "get_teaser_image") else None
            if teaser_image is not None:
                images.setdefault(teaser_image.pk, teaser_image)
        _prefetch_renditions(images)
        return cls(issue, pages, images, previews, visibility_by_id(links))

    def resolve(self, page: Page | None, where: str) -> tuple[Page | None, str]:
        """The (specific, if loaded) page and its public address; "" and a problem reported
        when the public may not see it."""
        if page is None:
            return None, ""
        page = self.pages.get(page.pk, page)
        url = page_url(page, public=self.visible.get(page.pk))
        if not url and self.previews:
            self.previewed.append(page.title)
            return page, draft_preview_url(page)
        if not url:
            self.problems.append(
                Finding(
                    f"{where} : la page « {page.title} » n'est pas publiée ou n'a pas d'adresse.",
                    url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    link_text="Ouvrir la page",
                )
            )
        return page, url

    def credited(self, value: Any) -> dict[str, Any] | None:
        """A (possibly empty) CreditedImageBlock value."""
        if not value or value.get("image") is None:
            return None
        image = self.images.get(value["image"].pk, value["image"])
        return self._readable(
            image,
            email_image(
                image,
                alt=value.get("alt_text") or "",
                credit=value.get("credit") or "",
                caption=value.get("caption") or "",
            ),
        )

    def teaser_image(self, page: Page | None) -> dict[str, Any] | None:
        image = page.get_teaser_image() if hasattr(page, "get_teaser_image") else None
        if image is None:
            return None
        image = self.images.get(image.pk, image)
        return self._readable(image, email_image(image))

    def _readable(self, image: Any, values: dict[str, Any] | None) -> dict[str, Any] | None:
        """An image whose file cannot be read is left out of the mail (its web version and
        previews still show), and stops any send until it is replaced."""
        if values is None:
            self.problems.append(
                Finding(
                    f"Le fichier de l'image « {image.title} » est introuvable : remplacez-le "
                    "dans la médiathèque ou choisissez une autre image.",
                    url=reverse("wagtailimages:edit", args=[image.pk]),
                    link_text="Ouvrir l'image",
                )
            )
        return values


def _prefetch_renditions(images: dict[int, Any]) -> None:
    if not images:
        return
    renditions = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(image_id__in=images, filter_spec__in=[IMAGE_SPEC, IMAGE_SPEC_2X])
    )
    found: dict[int, list[Any]] = {pk: [] for pk in images}
    for rendition in renditions:
        found[rendition.image_id].append(rendition)
    for pk, image in images.items():
        # Wagtail's get_rendition() looks here first (what prefetch_renditions() fills).
        image.prefetched_renditions = found[pk]
