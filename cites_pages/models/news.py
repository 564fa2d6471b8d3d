"""News articles and their index (pagination, year archive, RSS/Atom)."""

import datetime

from django import forms
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from renouveau.blocks import BaseStreamBlock
from renouveau.models import BasePage, SiteImage

from .common import tabs
from .snippets import NewsCategory


def today() -> datetime.date:
    return timezone.localdate()


class NewsIndexPage(RoutablePageMixin, BasePage):
    intro = models.TextField("chapô", blank=True, max_length=800)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["renouveau.HomePage"]
    subpage_types = ["cites_pages.NewsPage"]
    max_count = 1
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = "index des actualités"
        verbose_name_plural = "index des actualités"


class NewsPage(BasePage):
    date = models.DateField("date", default=today)
    categories = ParentalManyToManyField(
        NewsCategory, verbose_name="catégories", blank=True, related_name="news_pages"
    )
    lead = models.TextField(
        "chapô", blank=True, max_length=800, help_text="Le résumé placé en tête de l'article."
    )
    image = models.ForeignKey(
        SiteImage,
        verbose_name="image principale",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Son texte alternatif est la description de l'image ; son crédit est affiché.",
    )
    body = StreamField(BaseStreamBlock(), verbose_name="contenu", blank=True)
    related_cities = ParentalManyToManyField(
        "cites_pages.CityPage",
        verbose_name="cités concernées",
        blank=True,
        related_name="news_mentions",
        help_text="L'article apparaîtra sur la fiche de ces cités.",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("categories", widget=forms.CheckboxSelectMultiple)],
            heading="Classement",
        ),
        FieldPanel("lead"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    links_panels = [FieldPanel("related_cities", widget=forms.CheckboxSelectMultiple)]
    edit_handler = tabs(("Article", content_panels), ("Cités concernées", links_panels))
    parent_page_types = ["cites_pages.NewsIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = "actualité"
        verbose_name_plural = "actualités"

    def get_teaser_text(self) -> str:
        return self.teaser_text or self.lead or self.search_description or ""

    def get_teaser_image(self) -> SiteImage | None:
        return self.teaser_image or self.image
