"""Issue 26 item 7: a page past its expiry date (« expire_at ») leaves every listing, feed, home
section and the search at once, before the scheduler unpublishes it (one filter,
renouveau.visibility.public_live)."""

import datetime

from django.utils import timezone
from wagtail.models import Page

from tests.cites_pages.base import ProgrammeSiteTestCase
from tests.search.conftest import update_index

CITY = "/cites/cite-du-chevalement/"
NEWS = "/actualites/comite-de-pilotage/"
WEBINAR = "/webinaires/accompagner-les-habitants/"
CASE_STUDY = "/retours-d-experience/jardin-partage-cite-du-terril/"


class TestExpiredPagesLeaveListingsAtOnce(ProgrammeSiteTestCase):
    def expire(self, url: str) -> Page:
        page = Page.objects.get(url_path__endswith=url)
        # A plain update: no signal, no scheduler; the page is still « live » in the database.
        Page.objects.filter(pk=page.pk).update(
            expire_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        return page

    def assert_leaves(self, listing: str, url: str, shown: str | None = None) -> None:
        shown = shown or url
        self.assertIn(shown, self.html(listing), listing)
        page = self.expire(url)
        self.assertTrue(Page.objects.get(pk=page.pk).live)
        self.assertNotIn(shown, self.html(listing), listing)

    def test_news_index(self):
        self.assert_leaves("/actualites/", NEWS)

    def test_cities_index(self):
        self.assert_leaves("/cites/", CITY)

    def test_webinars_index(self):
        self.assert_leaves("/webinaires/", WEBINAR)

    def test_case_studies_index(self):
        self.assert_leaves("/retours-d-experience/", CASE_STUDY)

    def test_home_news_section(self):
        self.assert_leaves("/", "/actualites/des-habitants-mobilises/")

    def test_home_webinar_section(self):
        self.assert_leaves("/", "/webinaires/webinaire-a-venir/")

    def test_rss_and_atom_feeds(self):
        self.assert_leaves("/actualites/rss/", NEWS)
        self.assertNotIn(NEWS, self.html("/actualites/atom/"))

    def test_search(self):
        update_index()  # page saves only enqueue indexing tasks
        self.assert_leaves("/recherche/?q=jardin+Terril", CASE_STUDY)

    def test_a_cite_mentions(self):
        # The news, case studies and webinars listed on a cité's page.
        page = self.html(CITY)
        mention = next(url for url in (NEWS, WEBINAR, CASE_STUDY) if url in page)
        self.assert_leaves(CITY, mention)
