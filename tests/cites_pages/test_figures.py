"""« Le programme en chiffres », computed from the cité profiles."""

import html as html_lib

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cites_pages.figures import programme_figures
from cites_pages.models import CitiesIndexPage, CityPage, CityPhase, Status
from renouveau.demo import child_page

from .base import ProgrammeTestCase


class TestProgrammeFigures(ProgrammeTestCase):
    def test_figures_of_the_demo_registry(self):
        figures = programme_figures()
        self.assertEqual(figures.target, 23_000)
        self.assertEqual(figures.cities, 10)
        # Nouméa counts by its phases: 331 done, 183 in works, 251 programmed.
        self.assertEqual(figures.dwellings.renovated, 331)
        self.assertEqual(figures.dwellings.in_works, 183)
        self.assertEqual(figures.dwellings.programmed, 251)
        self.assertEqual(
            {s.value: s.count for s in figures.by_status},
            {"programmee": 0, "etudes": 6, "travaux": 2, "terminee": 2},
        )
        hc = next(e for e in figures.by_epci if e.slug == "communaute-dagglomeration-dhenin-carvin")
        self.assertEqual((hc.cities, hc.dwellings.total), (4, 765))

    def test_a_cite_without_phases_counts_by_its_status_and_unpublished_ones_do_not(self):
        child_page(
            CitiesIndexPage.objects.get(),
            CityPage,
            slug="cite-sans-tranche",
            title="Cité sans tranche",
            dwellings=120,
            status=Status.DONE,
        )
        self.assertEqual(programme_figures().dwellings.renovated, 331 + 120)
        CityPage.objects.get(slug="cite-noumea").unpublish()
        figures = programme_figures()
        self.assertEqual(figures.dwellings.renovated, 120)
        self.assertEqual(figures.dwellings.in_works, 0)

    def test_costs_two_queries_whatever_the_number_of_cites(self):
        index = CitiesIndexPage.objects.get()
        for i in range(30):
            page = child_page(index, CityPage, slug=f"cite-{i}", title=f"Cité {i}", dwellings=10)
            CityPhase.objects.create(page=page, label="T1", dwellings=10, status=Status.WORKS)
        with CaptureQueriesContext(connection) as queries:
            figures = programme_figures()
        self.assertEqual(len(queries), 3)  # cités, phases, private sections (public())
        self.assertEqual(figures.dwellings.in_works, 183 + 300)

    def test_page_and_home_section(self):
        page = html_lib.unescape(self.html("/le-programme-en-chiffres/"))
        self.assertIn('<progress id="progress-page" max="23000" value="765">', page)
        self.assertIn("soit 3 %", page)
        self.assertIn('href="/cites/?epci=valenciennes-metropole">Valenciennes Métropole</a>', page)
        home = html_lib.unescape(self.html("/"))
        self.assertIn("Le programme en chiffres", home)
        self.assertIn(
            '<span class="key-figures__value">331</span> '
            '<span class="key-figures__label">logements rénovés</span>',
            home,
        )
        self.assertIn('href="/le-programme-en-chiffres/"', home)
        self.assertIn("Des habitants mobilisés dans les cités", home)  # latest news section


class TestDemoContent(ProgrammeTestCase):
    def test_loading_twice_duplicates_nothing(self):
        from wagtail.models import Page

        from cites_pages import demo
        from cites_pages.models import Commune

        before = (Page.objects.count(), Commune.objects.count(), CityPhase.objects.count())
        demo.load(self.home)
        self.assertEqual(
            (Page.objects.count(), Commune.objects.count(), CityPhase.objects.count()), before
        )
