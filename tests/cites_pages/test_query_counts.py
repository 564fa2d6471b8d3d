"""Issue 18: what each page type costs in queries with the shared fragments cached (as in
production), that an index costs the same with many children as with a few, and that the
cached fragments (menu, footer, mentions, filter counts, home sections, view restrictions)
follow every change at once."""

import datetime
from decimal import Decimal

from django.test import override_settings
from wagtail.models import Page, PageViewRestriction

from cites_pages.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CitiesIndexPage,
    CityPage,
    Commune,
    Landlord,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    Status,
    WebinarIndexPage,
    WebinarPage,
)
from renouveau.models import SiteImage, SiteSettings, StandardPage
from renouveau.page_cache import invalidate_page_cache

from .base import ProgrammeSiteTestCase

CITY = "/cites/cite-du-chevalement/"
NEWS = "/actualites/comite-de-pilotage/"
WEBINAR = "/webinaires/accompagner-les-habitants/"
CASE_STUDY = "/retours-d-experience/jardin-partage-cite-du-terril/"
INDEXES = ["/cites/", "/actualites/", "/webinaires/", "/retours-d-experience/"]

# Queries of a warm request (fragments built by an earlier one), on tests/sites.py's programme.
# The indexes' lists of a page of results are cached whole: their pages are not loaded
# (webinars: their ids).
# A page is read in one query, with the foreign keys its template shows (BasePage.route and
# shown_related): which page answers at a slug, and the indexes on the way to it, come from the
# fragment cache (they change when pages are moved, renamed or deleted, not published).
QUERIES = {
    "/": 0,
    "/cites/": 2,
    CITY: 4,
    "/actualites/": 2,
    NEWS: 3,
    "/webinaires/": 5,
    WEBINAR: 6,
    "/retours-d-experience/": 2,
    CASE_STUDY: 6,
    "/le-programme-en-chiffres/": 1,  # its totals: once per content generation
}


def publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@override_settings(FRAGMENT_CACHE_SECONDS=300)
class FragmentsTestCase(ProgrammeSiteTestCase):
    def setUp(self):
        super().setUp()
        SiteSettings.for_site(self.home.get_site())  # created on first use (a new generation)
        # The cache outlives each test's rollback: a new generation starts from this database.
        invalidate_page_cache()

    def queries(self, url: str) -> int:
        self.html(url)  # builds the fragments
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.html(url)
        return len(captured)


class TestQueryCounts(FragmentsTestCase):
    def test_each_page_type_costs_its_pinned_number_of_queries(self):
        measured = {url: self.queries(url) for url in QUERIES}
        self.assertEqual(measured, QUERIES)

    def test_detail_pages_cost_at_most_15_queries_and_indexes_20(self):
        for url, count in QUERIES.items():
            self.assertLessEqual(count, 20 if url in INDEXES or url == "/" else 15, url)

    def test_indexes_cost_the_same_with_many_children(self):
        before = {url: self.queries(url) for url in [*INDEXES, "/"]}
        add_children(45)
        invalidate_page_cache()
        after = {url: self.queries(url) for url in [*INDEXES, "/"]}
        self.assertEqual(after, before)


def add_children(count: int) -> None:
    """`count` more children under each index (live, without revisions: quicker)."""
    commune = Commune.objects.select_related("epci").first()
    landlord = Landlord.objects.first()
    city = CityPage.objects.get(slug="cite-du-chevalement")
    image, category = SiteImage.objects.first(), NewsCategory.objects.first()
    cities, news = CitiesIndexPage.objects.get(), NewsIndexPage.objects.get()
    webinars, case_studies = WebinarIndexPage.objects.get(), CaseStudyIndexPage.objects.get()
    now = datetime.datetime.now(datetime.UTC)
    for i in range(count):
        cities.add_child(
            instance=CityPage(
                title=f"Cité n° {i}",
                slug=f"cite-n-{i}",
                epci=commune.epci,
                landlord=landlord,
                dwellings=10,
                status=Status.WORKS,
                latitude=Decimal("50.4"),
                longitude=Decimal("2.9"),
                communes=[commune],
            )
        )
        news.add_child(
            instance=NewsPage(
                title=f"Actualité n° {i}",
                slug=f"actualite-{i}",
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
                related_cities=[city],
                image=image,
                categories=[category],
            )
        )
        start = now + datetime.timedelta(days=i - count // 2)
        webinars.add_child(
            instance=WebinarPage(
                title=f"Webinaire n° {i}",
                slug=f"webinaire-{i}",
                start=start,
                end=start + datetime.timedelta(hours=2),
            )
        )
        case_studies.add_child(
            instance=CaseStudyPage(
                title=f"Retour n° {i}", slug=f"retour-{i}", cities=[city], landlords=[landlord]
            )
        )


class TestCachedFragmentsFollowChanges(FragmentsTestCase):
    def test_a_published_news_item_appears_among_the_cites_mentions(self):
        self.assertNotIn("Une nouvelle mention", self.html(CITY))
        publish(
            NewsIndexPage.objects.get(),
            NewsPage(
                title="Une nouvelle mention",
                slug="une-nouvelle-mention",
                related_cities=[CityPage.objects.get(slug="cite-du-chevalement")],
            ),
        )
        self.assertIn("Une nouvelle mention", self.html(CITY))

    def test_a_new_menu_page_and_a_renamed_one_show_on_every_page(self):
        self.html(NEWS)
        publish(
            self.home, StandardPage(title="Nouvelle rubrique", slug="rubrique", show_in_menus=True)
        )
        self.assertIn(">Nouvelle rubrique</a>", self.html(NEWS))
        page = StandardPage.objects.get(slug="rubrique")
        page.title = "Rubrique renommée"
        page.save_revision().publish()
        self.assertIn(">Rubrique renommée</a>", self.html(NEWS))
        self.assertIn(">Rubrique renommée</a>", self.html(CITY))

    def test_site_settings_change_the_footer_at_once(self):
        self.html(CITY)
        site_settings = SiteSettings.objects.get()
        site_settings.footer_text = "Un pied de page modifié."
        site_settings.save()
        self.assertIn("Un pied de page modifié.", self.html(CITY))

    def test_a_snippet_renamed_shows_in_the_filter_counts(self):
        self.html("/cites/")
        landlord = CityPage.objects.get(slug="cite-du-chevalement").landlord
        landlord.name = "Bailleur renommé"
        landlord.save()
        self.assertIn("Bailleur renommé (", self.html("/cites/"))

    def test_a_private_section_leaves_the_menu_and_the_mentions_and_asks_for_login(self):
        page = self.html(CITY)
        self.assertIn(">Actualités</a>", page)
        self.assertIn(f'href="{NEWS}"', page)  # a mention of the cité
        news_index = NewsIndexPage.objects.get()
        PageViewRestriction.objects.create(
            page=news_index, restriction_type=PageViewRestriction.LOGIN
        )
        page = self.html(CITY)
        self.assertNotIn('href="/actualites/"', page)
        self.assertNotIn(NEWS, page)
        response = self.client.get(NEWS)
        self.assertEqual(response.status_code, 302)
        PageViewRestriction.objects.filter(page=news_index).delete()
        self.assertEqual(self.client.get(NEWS).status_code, 200)

    def test_the_home_sections_show_a_new_news_item(self):
        self.html("/")
        publish(
            NewsIndexPage.objects.get(),
            NewsPage(
                title="Toute dernière actualité", slug="derniere", date=datetime.date(2030, 1, 1)
            ),
        )
        self.assertIn("Toute dernière actualité", self.html("/"))


class TestRouting(FragmentsTestCase):
    def test_sub_urls_of_routable_indexes_still_answer(self):
        for url in ["/cites/export-csv/", "/actualites/rss/", "/webinaires/agenda-ical/"]:
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertEqual(self.client.get("/actualites/2024/").status_code, 200)

    def test_an_unknown_or_draft_page_is_not_found(self):
        self.assertEqual(self.client.get("/cites/nulle-part/").status_code, 404)
        self.assertEqual(self.client.get(CITY + "plus-loin/").status_code, 404)
        city = CityPage.objects.get(slug="cite-du-chevalement")
        city.unpublish()
        self.assertEqual(self.client.get(CITY).status_code, 404)

    def test_a_child_page_named_like_a_sub_url_does_not_hide_it(self):
        CitiesIndexPage.objects.get().add_child(
            instance=CityPage(title="Export", slug="export-csv", communes=[Commune.objects.first()])
        )
        response = self.client.get("/cites/export-csv/")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")

    def test_the_home_page_published_again_shows_its_new_content(self):
        self.html("/")
        home = self.home.specific
        home.hero_title = "Un nouveau titre d'accueil"
        home.save_revision().publish()
        self.assertIn("Un nouveau titre d\u2019accueil", self.html("/"))
