"""Issue 32: a change makes stale the cached pages and fragments that show it, nothing else.

Page cache and fragments on (as in production), the programme of tests/sites.py; every check
reads what a visitor gets (the X-Page-Cache header, the page's text) or the queries a render
costs."""

import datetime
import time

from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cites_pages.models import CityPage, NewsIndexPage, NewsPage, WebinarPage
from renouveau.models import SiteSettings
from renouveau.page_cache import invalidate_page_cache
from tests.cites_pages.base import ProgrammeSiteTestCase

NEWS_INDEX = "/actualites/"


@override_settings(FRAGMENT_CACHE_SECONDS=300, PAGE_CACHE_SECONDS=600)
class DependencyTestCase(ProgrammeSiteTestCase):
    def setUp(self):
        super().setUp()
        SiteSettings.for_site(self.home.get_site())
        caches["default"].clear()  # the cache outlives each test's rollback
        invalidate_page_cache()
        self.news = NewsPage.objects.live().order_by("pk").first()
        self.city = CityPage.objects.live().exclude(news_mentions=self.news).order_by("pk")[0]
        self.other_city = (
            CityPage.objects.live().exclude(pk=self.city.pk).exclude(news_mentions=self.news)[0]
        )

    def get(self, url: str):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    def cache_state(self, url: str) -> str:
        return self.get(url)["X-Page-Cache"]

    def fresh_render_queries(self, url: str) -> int:
        """Queries of a render that skips the page cache (a parameter no page reads makes the
        request uncacheable): what the fragments cost."""
        with CaptureQueriesContext(connection) as captured:
            self.get(url + "?sans-cache=1")
        self.last_queries = [query["sql"] for query in captured]
        return len(captured)


class TestPublishingANewsItem(DependencyTestCase):
    def test_an_unrelated_cite_stays_cached_and_its_fragments_warm(self):
        city_url = self.city.url
        self.assertEqual(self.cache_state(city_url), "miss")
        self.assertEqual(self.cache_state(city_url), "hit")
        self.fresh_render_queries(city_url)
        warm = self.fresh_render_queries(city_url)

        self.news.title = "Compte rendu corrigé du comité"
        self.news.save_revision().publish()

        self.assertEqual(self.cache_state(city_url), "hit")
        self.assertEqual(self.fresh_render_queries(city_url), warm, self.last_queries)
        # …while what shows the news item follows at once.
        index = self.get(NEWS_INDEX)
        self.assertEqual(index["X-Page-Cache"], "miss")
        self.assertIn("Compte rendu corrigé du comité", index.content.decode())
        self.assertIn("Compte rendu corrigé du comité", self.get(self.news.url).content.decode())

    def test_a_cite_the_item_names_shows_it_at_once_and_drops_it_when_unnamed(self):
        url, link = self.other_city.url, f'href="{self.news.url}"'
        self.assertNotIn(link, self.get(url).content.decode())
        self.assertEqual(self.cache_state(url), "hit")

        self.news.related_cities.add(self.other_city)
        self.news.save_revision().publish()
        self.assertIn(link, self.get(url).content.decode())
        self.assertEqual(self.cache_state(url), "hit")

        self.news.related_cities.remove(self.other_city)
        self.news.save_revision().publish()
        self.assertNotIn(link, self.get(url).content.decode())

    def test_a_new_item_reaches_the_listings_of_its_type_and_not_the_cites(self):
        city_url = self.city.url
        self.get(city_url)
        self.get(NEWS_INDEX)
        self.get("/")
        index = NewsIndexPage.objects.get()
        item = NewsPage(title="Nouvelle réunion publique à Lens", date=datetime.date.today())
        index.add_child(instance=item)
        item.save_revision().publish()
        self.assertIn("Nouvelle réunion publique à Lens", self.get(NEWS_INDEX).content.decode())
        self.assertIn("Nouvelle réunion publique à Lens", self.get("/").content.decode())
        self.assertEqual(self.cache_state(city_url), "hit")

    def test_a_draft_changes_nothing_and_an_unpublished_item_leaves_at_once(self):
        link = f'href="{self.news.url}"'
        self.assertIn(link, self.get(NEWS_INDEX).content.decode())
        self.news.title = "Titre en brouillon"
        self.news.save_revision()
        self.assertEqual(self.cache_state(NEWS_INDEX), "hit")
        self.news.unpublish()
        self.assertNotIn(link, self.get(NEWS_INDEX).content.decode())


class TestSnippetsAndSettings(DependencyTestCase):
    def test_renaming_a_commune_refreshes_the_cite_showing_it_not_a_news_item(self):
        commune = self.city.communes.first()
        self.get(self.city.url)
        self.get(self.news.url)
        commune.name = "Commune renommée"
        commune.save()
        self.assertIn("Commune renommée", self.get(self.city.url).content.decode())
        self.assertEqual(self.cache_state(self.news.url), "hit")

    def test_a_renamed_commune_reaches_the_filters_of_the_cites_index(self):
        # The filters list the communes that have cités (a new commune without one shows
        # nowhere): renaming one of them must reach the cached index at once.
        self.get("/cites/")
        commune = self.city.communes.first()
        commune.name = "Commune renommée"
        commune.save()
        response = self.get("/cites/")
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertIn("Commune renommée", response.content.decode())

    def test_site_settings_reach_every_page(self):
        self.get(self.city.url)
        site_settings = SiteSettings.for_site(self.home.get_site())
        site_settings.contact_email = "nouvelle-adresse@example.org"
        site_settings.save()
        self.assertIn("nouvelle-adresse@example.org", self.get(self.city.url).content.decode())


class TestTime(DependencyTestCase):
    def test_an_expiring_item_leaves_the_cached_listing_when_it_expires(self):
        # Far enough for the first renders even on a loaded machine, near enough to wait for.
        self.news.expire_at = timezone.now() + datetime.timedelta(seconds=15)
        self.news.save_revision().publish()
        link = f'href="{self.news.url}"'
        self.assertIn(link, self.get(NEWS_INDEX).content.decode())
        self.assertIn(link, self.get("/").content.decode())
        self.assertEqual(self.cache_state(NEWS_INDEX), "hit")
        # No scheduler run, no edit: the time alone.
        time.sleep(max(0.0, (self.news.expire_at - timezone.now()).total_seconds()) + 0.5)
        self.assertNotIn(link, self.get(NEWS_INDEX).content.decode())
        self.assertNotIn(link, self.get("/").content.decode())

    def _home_sections_until(self) -> float:
        self.get("/")
        entry = caches["default"].get(f"fragment:v2:home-sections:{self.home.pk}")
        self.assertIsNotNone(entry)
        return entry[2]

    def test_the_home_sections_live_as_long_as_the_page_cache_without_an_event_sooner(self):
        WebinarPage.objects.filter(end__gt=timezone.now()).update(
            start=timezone.now() + datetime.timedelta(days=2),
            end=timezone.now() + datetime.timedelta(days=2, hours=1),
        )
        until = self._home_sections_until()
        self.assertGreater(until, time.time() + 290)  # FRAGMENT_CACHE_SECONDS, not 60 s

    def test_the_home_sections_end_when_the_upcoming_webinar_starts(self):
        soon = timezone.now() + datetime.timedelta(seconds=120)
        webinar = WebinarPage.objects.live().first()
        WebinarPage.objects.filter(pk=webinar.pk).update(
            start=soon, end=soon + datetime.timedelta(hours=1)
        )
        WebinarPage.objects.exclude(pk=webinar.pk).update(
            start=timezone.now() - datetime.timedelta(days=9),
            end=timezone.now() - datetime.timedelta(days=8),
        )
        self.assertLessEqual(self._home_sections_until(), soon.timestamp())
