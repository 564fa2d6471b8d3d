"""Creation rules and routing of every page type (Wagtail's page test helpers)."""

from html import unescape

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cites_pages.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CitiesIndexPage,
    CityPage,
    NewsIndexPage,
    NewsPage,
    ProgrammeFiguresPage,
    WebinarIndexPage,
    WebinarPage,
)
from renouveau.models import HomePage, StandardPage
from renouveau.typography import french_text
from tests.factories import CityPageFactory
from tests.pages import one_page_of_each_type, site_home_page

PAIRS = [
    (CitiesIndexPage, CityPage),
    (NewsIndexPage, NewsPage),
    (WebinarIndexPage, WebinarPage),
    (CaseStudyIndexPage, CaseStudyPage),
]


class TestCreationRules(WagtailPageTestCase):
    def test_indexes_go_under_the_home_page_only_and_hold_their_own_type(self):
        for index, detail in PAIRS:
            self.assertAllowedParentPageTypes(index, {HomePage})
            self.assertAllowedSubpageTypes(index, {detail})
            self.assertAllowedParentPageTypes(detail, {index})
            self.assertAllowedSubpageTypes(detail, set())
            self.assertCanNotCreateAt(StandardPage, index)
            self.assertCanNotCreateAt(Page, index)
        self.assertCanNotCreateAt(CitiesIndexPage, NewsPage)
        self.assertCanNotCreateAt(NewsIndexPage, CityPage)
        self.assertAllowedParentPageTypes(ProgrammeFiguresPage, {HomePage})

    def test_one_index_of_each_kind(self):
        home = site_home_page()
        one_page_of_each_type(home)
        for index, _detail in PAIRS:
            self.assertFalse(index.can_create_at(home), index)
        self.assertFalse(ProgrammeFiguresPage.can_create_at(home))


class TestRouting(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = site_home_page()
        cls.pages = one_page_of_each_type(cls.home)

    def test_every_page_type_is_routable_and_renderable(self):
        types = {type(page) for page in self.pages}
        self.assertEqual(types, {*(t for pair in PAIRS for t in pair), ProgrammeFiguresPage})
        for page in self.pages:
            self.assertPageIsRoutable(page)
            self.assertPageIsRenderable(page)
            # Its own template shows it (a blanked template still answers 200).
            html = unescape(self.client.get(page.url).content.decode())
            self.assertIn(f"<h1>{french_text(page.title)}</h1>", html.replace("'", "’"), page.url)

    def test_index_slugs_that_other_apps_link_to(self):
        paths = {page.url for page in Page.objects.live().filter(depth=3).specific()}
        for path in ["/cites/", "/actualites/", "/webinaires/", "/retours-d-experience/"]:
            self.assertIn(path, paths)
        # The seeds' cités at these addresses: tests/renouveau/test_demo_content.py.
        city = CityPageFactory(parent=CitiesIndexPage.objects.get(), slug="cite-noumea")
        self.assertEqual(city.url, "/cites/cite-noumea/")

    def test_routes_of_the_indexes(self):
        self.assertPageIsRoutable(CitiesIndexPage.objects.get(), "export-csv/")
        self.assertPageIsRoutable(CitiesIndexPage.objects.get(), "export-geojson/")
        self.assertPageIsRoutable(NewsIndexPage.objects.get(), "rss/")
        self.assertPageIsRoutable(NewsIndexPage.objects.get(), "2019/")
        self.assertPageIsRoutable(WebinarIndexPage.objects.get(), "agenda-ical/")
        self.assertPageIsRoutable(WebinarPage.objects.get(), "ical/")

    def test_index_pages_are_in_the_menu(self):
        html = self.client.get("/").content.decode()
        for title in ["Les cités", "Actualités", "Webinaires", "Retours d\u2019expérience"]:
            self.assertIn(f">{title}</a>", html)
