"""Issue 32: what a publish leaves warm. Re-publishing a page already in the menus rebuilds only
what shows it (the menu), not every fragment listing the top-level pages (footer, site, view
restrictions); a cité's publish leaves the works sections of every cité warm. And what would go
wrong if it left too much: a new top-level page, or one ticked « afficher dans les menus »,
reaches the menu of pages already cached."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cites_pages.models import CityPage, NewsIndexPage
from tests.factories import StandardPageFactory
from tests.performance.test_invalidation_by_dependency import DependencyTestCase
from tests.works.builders import track


class TestTopLevelPages(DependencyTestCase):
    def queries_of_fresh_render(self, url: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            self.get(url + "?sans-cache=1")
        return [query["sql"] for query in captured]

    def test_republishing_an_index_page_rebuilds_the_menu_and_nothing_else_shared(self):
        url = self.city.url
        self.queries_of_fresh_render(url)
        warm = self.queries_of_fresh_render(url)

        index = NewsIndexPage.objects.get()
        index.title = "Toute l’actualité"
        index.save_revision().publish()

        after = self.queries_of_fresh_render(url)
        extra = [sql for sql in after if sql not in warm]
        self.assertEqual(len(after) - len(warm), len(extra), extra)
        self.assertTrue(extra, "the menu shows the index's title: it must be rebuilt")
        self.assertTrue(all('"show_in_menus"' in sql for sql in extra), extra)
        self.assertIn("Toute l’actualité", self.get(url).content.decode())

    def test_a_new_top_level_page_reaches_the_menu_of_a_cached_page(self):
        url = self.city.url
        self.assertNotIn("Nous contacter", self.get(url).content.decode())
        self.assertEqual(self.cache_state(url), "hit")
        StandardPageFactory(parent=self.home, title="Nous contacter", show_in_menus=True)
        self.assertIn("Nous contacter", self.get(url).content.decode())

    def test_a_page_ticked_for_the_menus_reaches_the_menu_of_a_cached_page(self):
        page = StandardPageFactory(parent=self.home, title="Nous contacter", show_in_menus=False)
        url = self.city.url
        self.assertNotIn(f'href="{page.url}"', self.get(url).content.decode())
        self.assertEqual(self.cache_state(url), "hit")
        page.show_in_menus = True
        page.save_revision().publish()
        self.assertIn(f'href="{page.url}"', self.get(url).content.decode())

    def test_an_unpublished_index_leaves_the_menu_of_a_cached_page(self):
        index = NewsIndexPage.objects.get()
        url = self.city.url
        self.assertIn(f'href="{index.url}"', self.get(url).content.decode())
        index.unpublish()
        self.assertNotIn(f'href="{index.url}"', self.get(url).content.decode())


class TestPublishingACite(DependencyTestCase):
    def setUp(self):
        super().setUp()
        track(self.city, 120)
        track(self.other_city, 80)

    def test_another_cite_stays_cached_and_its_own_works_section_stays_warm(self):
        other_url = self.other_city.url
        self.get(other_url)
        self.get(self.city.url + "?sans-cache=1")
        self.assertEqual(self.cache_state(other_url), "hit")

        city = CityPage.objects.get(pk=self.city.pk)
        city.title = "Cité renommée"
        city.save_revision().publish()

        self.assertEqual(self.cache_state(other_url), "hit")
        after = self.fresh_render_queries(city.url)
        self.assertFalse([sql for sql in self.last_queries if "works_" in sql], after)
        self.assertIn("Cité renommée", self.get(city.url).content.decode())


class TestRouting(DependencyTestCase):
    def test_the_first_request_after_an_item_s_publish_does_not_read_its_index_again(self):
        self.get(self.news.url)
        self.news.title = "Compte rendu corrigé"
        self.news.save_revision().publish()
        with CaptureQueriesContext(connection) as captured:
            response = self.get(self.news.url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertIn("Compte rendu corrigé", response.content.decode())
        index_reads = [q["sql"] for q in captured if 'FROM "cites_pages_newsindexpage"' in q["sql"]]
        self.assertEqual(index_reads, [])

    def test_a_section_created_after_a_not_found_is_served(self):
        self.assertEqual(self.client.get("/nouvelle-rubrique/premiere-page/").status_code, 404)
        section = StandardPageFactory(parent=self.home, title="Rubrique", slug="nouvelle-rubrique")
        StandardPageFactory(parent=section, title="Première page", slug="premiere-page")
        self.assertEqual(self.client.get("/nouvelle-rubrique/premiere-page/").status_code, 200)

    def test_the_page_asked_for_is_read_in_one_query_after_its_publish(self):
        self.get(self.news.url)
        self.news.save_revision().publish()
        with CaptureQueriesContext(connection) as captured:
            self.get(self.news.url)
        page_reads = [q["sql"] for q in captured if '"wagtailcore_page"."slug" = ' in q["sql"]]
        self.assertEqual(page_reads, [])  # which page answers at that slug: kept

    def test_a_deleted_renamed_or_unpublished_page_is_no_longer_served(self):
        url = self.news.url
        self.get(url)
        self.news.unpublish()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.news.save_revision().publish()
        self.assertEqual(self.get(url).status_code, 200)
        self.news.slug = "compte-rendu-renomme"
        with self.captureOnCommitCallbacks(execute=True):  # Wagtail says it after the commit
            self.news.save_revision().publish()
        renamed = url.replace(url.rstrip("/").rsplit("/", 1)[1], "compte-rendu-renomme")
        old = self.client.get(url)  # Wagtail's redirect from the old address, not the page
        self.assertEqual((old.status_code, old["Location"]), (301, renamed))
        self.assertEqual(self.get(renamed).status_code, 200)
        self.news.delete()
        self.assertEqual(self.client.get(renamed).status_code, 404)
