"""The page base every page type shares, home page, generic page, images and site settings
(models.py gathers them with the site's other models for Django)."""

import os

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.http import Http404
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from . import fragments
from .blocks import BaseStreamBlock, LinkBlock, SocialLinkBlock
from .home_sections import home_sections
from .image_privacy import unguessable_name, without_metadata
from .site_url import canonical_root_url


class SiteImage(AbstractImage):
    """Wagtail image with its credit, shown wherever the image is published."""

    credit = models.CharField(
        "crédit",
        max_length=150,
        blank=True,
        help_text="Par exemple : « Crédit ville Condé-sur-Escaut ».",
    )

    admin_form_fields = Image.admin_form_fields + ("credit",)

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"

    def get_upload_to(self, filename: str) -> str:
        return unguessable_name(super().get_upload_to(filename))

    def strip_metadata(self) -> None:
        """A new upload loses its EXIF/XMP (GPS position…) before it is stored (image_privacy)."""
        if not self.file or getattr(self.file, "_committed", True):
            return  # nothing new: the stored file was stripped when it was uploaded
        if getattr(self, "_metadata_stripped", False):
            return  # once per upload (a JPEG re-encoded twice loses quality twice)
        self._metadata_stripped = True
        self.file.open()
        self.file.seek(0)
        cleaned = without_metadata(self.file.read())
        self.file.seek(0)
        if cleaned is not None:
            self.file = ContentFile(cleaned, name=os.path.basename(self.file.name))

    def _set_image_file_metadata(self) -> None:
        # Wagtail's upload forms measure the file (size, hash) before saving: strip it first.
        self.strip_metadata()
        super()._set_image_file_metadata()

    def save(self, *args, **kwargs):
        if self.file and not getattr(self.file, "_committed", True):
            measured = bool(self.file_hash)
            self.strip_metadata()
            if measured:
                super()._set_image_file_metadata()
        super().save(*args, **kwargs)


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class BasePage(Page):
    """What every public page shares: a teaser (text and image) used by listings, search,
    social cards and newsletter teasers. Other apps read pages only through these fields."""

    teaser_text = models.TextField(
        "texte d'accroche",
        blank=True,
        max_length=400,
        help_text="Deux ou trois phrases reprises dans les listes, la recherche et la lettre.",
    )
    teaser_image = models.ForeignKey(
        SiteImage,
        verbose_name="image d'accroche",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("teaser_text"), FieldPanel("teaser_image")], heading="Accroche"
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("teaser_text")]

    def get_url_parts(self, request=None):
        """Wagtail's URL parts, with the site's root written as SITE_URL (scheme included)."""
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id, root_url, page_path = parts
        return site_id, canonical_root_url(root_url) if root_url else root_url, page_path

    def route(self, request, path_components):
        # An expired page is gone at once, not at the scheduler's next run (which unpublishes
        # it): Wagtail serves a page by its `live` flag alone.
        if not path_components and self.expire_at and self.expire_at <= timezone.now():
            raise Http404
        if len(path_components) > 1 and fragments.enabled():
            # A page on the way to the one asked for (an index): kept until it changes (its
            # own tag), so that routing to a news item or a cité does not read it again (its
            # row, then its specific row) — the first request after that item's publish too.
            # It only routes: the page served is always read afresh.
            child = fragments.cached(
                "route-step", lambda: self._specific_child(path_components[0]), request,
                self.pk, path_components[0],
            )  # fmt: skip
            return child.route(request, path_components[1:])
        if len(path_components) == 1 and fragments.enabled():
            # The page asked for: which row it is (id and type) is kept until a page is
            # deleted or moved or renamed (what changes it; not its publish), so that it is read
            # in one query, with the foreign keys it shows, instead of three.
            key = fragments.cached(
                "route-leaf", lambda: self._child_key(path_components[0]), request,
                self.pk, path_components[0],
            )  # fmt: skip
            model = ContentType.objects.get_for_id(key[1]).model_class()
            if model is not None:
                pages = model.objects.filter(pk=key[0])
                related = getattr(model, "shown_related", ())
                if related:  # (select_related() with no name would follow every key)
                    pages = pages.select_related(*related)
                child = pages.first()
                if child is not None:
                    child._cached_parent_obj = self  # as Wagtail's route does
                    return child.route(request, [])
        return super().route(request, path_components)

    def _specific_child(self, slug: str) -> Page:
        try:
            return self.get_children().get(slug=slug).specific
        except Page.DoesNotExist as missing:  # not kept: raised through the cache
            raise Http404 from missing

    def _child_key(self, slug: str) -> tuple[int, int]:
        """(id, content type) of the child page at `slug`: a listing of pages (no page loaded),
        so made stale only by what changes which page answers there."""
        key = self.get_children().filter(slug=slug).values_list("pk", "content_type_id").first()
        if key is None:  # not kept: raised through the cache
            raise Http404
        return key

    def get_view_restrictions(self):
        """Wagtail's (this page's and its ancestors' restrictions), with no query at all for a
        page outside every private section when fragments are cached (renouveau.fragments)."""
        if (
            fragments.enabled()
            and self.alias_of_id is None
            and self.path
            and not fragments.in_restricted_section(self.path)
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    # schema.org type of the page's JSON-LD (templatetags/public_service.py); news items say
    # "NewsArticle" and give their date through schema_org_date().
    schema_org_type = "WebPage"
    # Foreign keys the page's template shows: loaded together, in one join, when it is served
    # (load_shown_related), rather than one query each as the template reaches them.
    # (The teaser image is not one: the social card keeps its own fragment of it.)
    shown_related: tuple[str, ...] = ()

    def get_context(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):  # a draft's keys may differ from the row's
            self.load_shown_related()
        return super().get_context(request, *args, **kwargs)

    def load_shown_related(self) -> None:
        fields = [self._meta.get_field(name) for name in self.shown_related]
        wanted = [f for f in fields if getattr(self, f.attname) and not f.is_cached(self)]
        if self.pk is None or len(wanted) < 2:  # one alone costs its own query anyway
            return
        names = [field.name for field in wanted]
        row = type(self).objects.filter(pk=self.pk).select_related(*names).only(*names).first()
        for field in wanted:
            if row is not None and getattr(row, field.attname) == getattr(self, field.attname):
                field.set_cached_value(self, getattr(row, field.name))

    class Meta:
        abstract = True

    def schema_org_date(self):
        return self.first_published_at

    def get_teaser_text(self) -> str:
        return self.teaser_text or self.search_description or ""

    # The image foreign keys that give the teaser image, first set first (a news item falls
    # back on its main image): read by get_teaser_image(), its id alone (the social card's
    # fragment) and the newsletter's bulk loading of teased pages.
    teaser_image_fields: tuple[str, ...] = ("teaser_image",)

    def get_teaser_image(self) -> SiteImage | None:
        name = self._teaser_image_field()
        return getattr(self, name) if name else None

    def get_teaser_image_id(self) -> int | None:
        name = self._teaser_image_field()
        return getattr(self, f"{name}_id") if name else None

    def _teaser_image_field(self) -> str | None:
        return next((n for n in self.teaser_image_fields if getattr(self, f"{n}_id")), None)


class HomePage(BasePage):
    hero_title = models.CharField("titre d'accueil", max_length=200, default="S'engager ensemble")
    hero_text = RichTextField("texte d'accueil", blank=True, features=["bold", "italic", "link"])
    hero_image = models.ForeignKey(
        SiteImage,
        verbose_name="image d'accueil",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name="contenu", blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading="Bandeau d'accueil",
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "page d'accueil"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Apps above site/ contribute home-page sections through a registry (home_sections),
        # so that this module never imports them (dependencies flow one way).
        if getattr(request, "is_preview", False):
            context["home_sections"] = home_sections(self, request)
        else:
            # The same for every visitor: cached per content generation (renouveau.fragments).
            context["home_sections"] = fragments.cached(
                "home-sections",
                lambda: home_sections(self, request),
                request,
                self.pk,  # ends when a webinar it shows starts or ends (cache_tags)
            )
        return context


class StandardPage(BasePage):
    """A generic content page (the programme, legal pages…)."""

    intro = models.TextField("chapô", blank=True, max_length=600)
    body = StreamField(BaseStreamBlock(), verbose_name="contenu", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = "page de contenu"
        verbose_name_plural = "pages de contenu"


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    contact_email = models.EmailField(
        "adresse de contact", default="contact@renouveaubassinminier.fr"
    )
    contact_address = models.TextField("adresse postale", blank=True)
    footer_text = models.TextField(
        "texte du pied de page",
        blank=True,
        default="L'Engagement pour le Renouveau du Bassin Minier (2017-2027) réunit l'État, "
        "la Région Hauts-de-France, les Départements du Nord et du Pas-de-Calais et "
        "huit intercommunalités.",
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())], verbose_name="réseaux sociaux", blank=True
    )
    legal_links = StreamField(
        [("link", LinkBlock())], verbose_name="liens légaux du pied de page", blank=True
    )

    panels = [
        FieldPanel("contact_email"),
        FieldPanel("contact_address"),
        FieldPanel("footer_text"),
        FieldPanel("social_links"),
        FieldPanel("legal_links"),
    ]

    class Meta:
        verbose_name = "réglages du site"
