"""Creation rules and routing of every page type (Wagtail's page test helpers)."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cites_pages import demo
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
from renouveau.demo import ensure_home_page
from renouveau.models import HomePage, StandardPage

# The seeds' webinar of 22 June 2026 (the demo also has an upcoming one).
SEED_WEBINAR = "accompagnement-des-habitants-pendant-les-renovations"

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
        home = ensure_home_page()
        demo.load(home)
        for index, _detail in PAIRS:
            self.assertFalse(index.can_create_at(home), index)
        self.assertFalse(ProgrammeFiguresPage.can_create_at(home))


class TestRouting(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        demo.load(cls.home)

    def test_every_page_type_is_routable_and_renderable(self):
        pages = [
            CitiesIndexPage.objects.get(),
            CityPage.objects.get(slug="cite-noumea"),
            NewsIndexPage.objects.get(),
            NewsPage.objects.get(slug="4e-comite-de-pilotage-20-juin-2019"),
            WebinarIndexPage.objects.get(),
            WebinarPage.objects.get(slug=SEED_WEBINAR),
            CaseStudyIndexPage.objects.get(),
            CaseStudyPage.objects.get(slug="jardin-citoyen-cite-5-12-sallaumines"),
            ProgrammeFiguresPage.objects.get(),
        ]
        for page in pages:
            self.assertPageIsRoutable(page)
            self.assertPageIsRenderable(page)

    def test_index_slugs_that_other_apps_link_to(self):
        paths = {page.url for page in Page.objects.live().filter(depth=3).specific()}
        for path in ["/cites/", "/actualites/", "/webinaires/", "/retours-d-experience/"]:
            self.assertIn(path, paths)
        for slug in [
            "cite-saint-pierre",
            "cite-cuvinot",
            "cite-du-mont-de-la-veine",
            "cite-taffin",
            "cite-declercq",
            "cite-crombez",
            "cite-la-parisienne",
            "cite-noumea",
            "cite-5-12",
            "cite-du-10",
        ]:
            self.assertEqual(CityPage.objects.get(slug=slug).url, f"/cites/{slug}/")

    def test_routes_of_the_indexes(self):
        self.assertPageIsRoutable(CitiesIndexPage.objects.get(), "export-csv/")
        self.assertPageIsRoutable(CitiesIndexPage.objects.get(), "export-geojson/")
        self.assertPageIsRoutable(NewsIndexPage.objects.get(), "rss/")
        self.assertPageIsRoutable(NewsIndexPage.objects.get(), "2019/")
        self.assertPageIsRoutable(WebinarIndexPage.objects.get(), "agenda-ical/")
        self.assertPageIsRoutable(WebinarPage.objects.get(slug=SEED_WEBINAR), "ical/")

    def test_index_pages_are_in_the_menu(self):
        html = self.client.get("/").content.decode()
        for title in ["Les cités", "Actualités", "Webinaires", "Retours d\u2019expérience"]:
            self.assertIn(f">{title}</a>", html)
