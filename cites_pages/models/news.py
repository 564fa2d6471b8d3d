"""News articles and their index (pagination, year archive, RSS/Atom)."""

import datetime

from django.db import models
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from renouveau import fragments
from renouveau.blocks import BaseStreamBlock
from renouveau.models import BasePage, SiteImage
from renouveau.visibility import private_q, public_live
from renouveau.widgets import CheckboxSelectMultiple

from ..paging import base_query, live_pages, paginate
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

    per_page = 12

    class Meta:
        verbose_name = "index des actualités"
        verbose_name_plural = "index des actualités"

    def news(self):
        return (
            public_live(NewsPage.objects)
            .exclude(private_q())
            .descendant_of(self)
            .defer_streamfields()
            .select_related("image", "teaser_image")
            .prefetch_related("categories", "image__renditions", "teaser_image__renditions")
            .order_by("-date", "-pk")
        )

    def categories_and_years(self) -> tuple[list[NewsCategory], list[int]]:
        """The categories used and the years with news (the same for every visitor)."""
        news = self.news()
        categories = list(NewsCategory.objects.filter(news_pages__in=news.values("pk")).distinct())
        return categories, [d.year for d in news.dates("date", "year", order="DESC")]

    def listing(self, request, news, **extra):
        categories, years = fragments.cached(
            "news-index", self.categories_and_years, request, self.pk
        )
        slug = request.GET.get("categorie", "")
        category = next((c for c in categories if c.slug == slug), None)
        if category is not None:
            news = news.filter(categories=category)
        params = {"categorie": category.slug} if category else {}
        return self.render(
            request,
            context_overrides={
                "news_list": paginate(request, news, self.per_page),
                "categories": categories,
                "category": category,
                "base_query": base_query(params),
                "years": years,
                **extra,
            },
        )

    @path("")
    def index_route(self, request):
        return self.listing(request, self.news())

    @re_path(r"^(?P<year>\d{4})/$", name="year")
    def year_route(self, request, year):
        news = self.news().filter(date__year=int(year))
        if not news.exists():
            raise Http404("Aucune actualité cette année-là.")
        return self.listing(request, news, year=int(year))

    @path("rss/", name="rss")
    def rss_route(self, request):
        # Here, not at the top: feeds.py queries NewsPage (a cycle).
        from ..feeds import NewsFeed

        return NewsFeed(self)(request)

    @path("atom/", name="atom")
    def atom_route(self, request):
        # Here, not at the top: feeds.py queries NewsPage (a cycle).
        from ..feeds import NewsAtomFeed

        return NewsAtomFeed(self)(request)


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
            [FieldPanel("date"), FieldPanel("categories", widget=CheckboxSelectMultiple)],
            heading="Classement",
        ),
        FieldPanel("lead"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    links_panels = [FieldPanel("related_cities", widget=CheckboxSelectMultiple)]
    edit_handler = tabs(("Article", content_panels), ("Cités concernées", links_panels))
    parent_page_types = ["cites_pages.NewsIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    schema_org_type = "NewsArticle"  # JSON-LD and og:type "article" (renouveau.templatetags)

    class Meta:
        verbose_name = "actualité"
        verbose_name_plural = "actualités"

    def schema_org_date(self):
        return self.date

    def get_teaser_text(self) -> str:
        return self.teaser_text or self.lead or self.search_description or ""

    shown_related = ("image",)
    teaser_image_fields = ("teaser_image", "image")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_cities"] = live_pages(self.related_cities, request)
        return context
