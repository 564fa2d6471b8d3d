"""Factories (factory_boy + wagtail-factories) for the small trees tests build and assert on,
instead of the seed-based demo content.

    home = home_page                                   # the fixture of tests/conftest.py
    index = CitiesIndexPageFactory(parent=home)        # one index per parent (get or create)
    city = CityPageFactory(parent=index, communes=[CommuneFactory()])
    NewsPageFactory(parent=NewsIndexPageFactory(parent=home), related_cities=[city])

Pages are created live, with a first revision published, as an editor would leave them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Collection

from cites_pages.models import (
    EPCI,
    CaseStudyIndexPage,
    CaseStudyPage,
    CitiesIndexPage,
    CityPage,
    Commune,
    Landlord,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    Organisation,
    ProgrammeFiguresPage,
    Theme,
    WebinarIndexPage,
    WebinarPage,
)
from documents.models import DocumentLibraryPage
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from renouveau.models import SiteImage, StandardPage

# --- reference data ---------------------------------------------------------------------------


class EPCIFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Communauté d'agglomération n° {n}")

    class Meta:
        model = EPCI


class CommuneFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Commune n° {n}")
    department = "59"
    insee_code = factory.Sequence(lambda n: f"59{n % 1000:03d}")
    epci = factory.SubFactory(EPCIFactory)

    class Meta:
        model = Commune


class LandlordFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Bailleur n° {n}")

    class Meta:
        model = Landlord


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation n° {n}")

    class Meta:
        model = Organisation


class NewsCategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Catégorie n° {n}")

    class Meta:
        model = NewsCategory


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thème n° {n}")

    class Meta:
        model = Theme


class SiteImageFactory(factory.django.DjangoModelFactory):
    """An image of the library with its description (alt text) and credit, in the root
    collection."""

    title = factory.Sequence(lambda n: f"Image n° {n}")
    description = "Des maisons de briques le long d'une rue de la cité."
    credit = "Crédit Mission Bassin Minier"
    file = factory.django.ImageField(width=1200, height=800, color="brown")
    collection = factory.LazyFunction(Collection.get_first_root_node)

    class Meta:
        model = SiteImage


# --- pages ------------------------------------------------------------------------------------


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A live page with a published revision (what `first_published_at`, feeds and the
    « mis à jour » dates read)."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True  # the hooks publish a revision, which saves

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):
        if create and extracted is not False:
            page.save_revision().publish()


class IndexPageFactory(PublishedPageFactory):
    """Index pages exist once per parent: asking again returns the same page."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True
        django_get_or_create = ("slug", "parent")


def _many(field: str):
    """A post-generation hook that sets a many-to-many field from a list given by the test."""

    def setter(page, create, extracted, **kwargs):
        if create and extracted:
            getattr(page, field).set(extracted)
            page.save_revision().publish()

    return factory.PostGeneration(setter)


class CitiesIndexPageFactory(IndexPageFactory):
    title = "Les cités"
    slug = "cites"

    class Meta:
        model = CitiesIndexPage


class CityPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Cité n° {n}")
    intro = "Une cité minière en cours de rénovation."
    dwellings = 120
    latitude = Decimal("50.40000")
    longitude = Decimal("3.60000")
    communes = _many("communes")

    class Meta:
        model = CityPage


class NewsIndexPageFactory(IndexPageFactory):
    title = "Actualités"
    slug = "actualites"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Actualité n° {n}")
    lead = "Le programme avance."
    date = factory.LazyFunction(timezone.localdate)
    related_cities = _many("related_cities")
    categories = _many("categories")

    class Meta:
        model = NewsPage


class WebinarIndexPageFactory(IndexPageFactory):
    title = "Webinaires"
    slug = "webinaires"

    class Meta:
        model = WebinarIndexPage


class WebinarPageFactory(PublishedPageFactory):
    """A webinar in a week, two hours long."""

    title = factory.Sequence(lambda n: f"Webinaire n° {n}")
    start = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(
            minute=0, second=0, microsecond=0
        )
    )
    end = factory.LazyAttribute(lambda page: page.start + datetime.timedelta(hours=2))
    related_cities = _many("related_cities")

    class Meta:
        model = WebinarPage


class CaseStudyIndexPageFactory(IndexPageFactory):
    title = "Retours d'expérience"
    slug = "retours-d-experience"

    class Meta:
        model = CaseStudyIndexPage


class CaseStudyPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Retour d'expérience n° {n}")
    intro = "Ce que le projet a appris."
    theme = factory.SubFactory(ThemeFactory)
    cities = _many("cities")
    lead_organisations = _many("lead_organisations")

    class Meta:
        model = CaseStudyPage


class StandardPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Page n° {n}")

    class Meta:
        model = StandardPage


class NewsletterIndexPageFactory(IndexPageFactory):
    title = "La lettre"
    slug = "lettre"

    class Meta:
        model = NewsletterIndexPage


class NewsletterIssuePageFactory(PublishedPageFactory):
    """An issue of the letter (give `body` as a list of (block name, value) pairs)."""

    number = factory.Sequence(lambda n: 100 + n)
    title = factory.LazyAttribute(lambda issue: f"Renouveau du Bassin Minier N°{issue.number}")
    slug = factory.LazyAttribute(lambda issue: f"n{issue.number}")
    issue_date = datetime.date(2026, 3, 2)
    preheader = "Les nouvelles du programme."

    class Meta:
        model = NewsletterIssuePage


class DocumentLibraryPageFactory(IndexPageFactory):
    title = "Ressources"
    slug = "ressources"

    class Meta:
        model = DocumentLibraryPage


class ProgrammeFiguresPageFactory(IndexPageFactory):
    title = "Le programme en chiffres"
    slug = "le-programme-en-chiffres"

    class Meta:
        model = ProgrammeFiguresPage
