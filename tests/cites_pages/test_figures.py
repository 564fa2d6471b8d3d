"""« Le programme en chiffres », computed from the cité profiles."""

import html as html_lib

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cites_pages.figures import programme_figures
from cites_pages.models import CitiesIndexPage, CityPage, CityPhase, Status
from tests.factories import CityPageFactory

from .base import ProgrammeSiteTestCase


class TestProgrammeFigures(ProgrammeSiteTestCase):
    def test_figures_of_the_registry(self):
        figures = programme_figures()
        self.assertEqual(figures.target, 23_000)
        self.assertEqual(figures.cities, 8)
        # The cité du Chevalement counts by its phases: 250 done, 150 in works, 200 programmed.
        self.assertEqual(figures.dwellings.renovated, 250)
        self.assertEqual(figures.dwellings.in_works, 150)
        self.assertEqual(figures.dwellings.programmed, 200)
        self.assertEqual(
            {s.value: s.count for s in figures.by_status},
            {"programmee": 0, "etudes": 4, "travaux": 2, "terminee": 2},
        )
        couchant = next(e for e in figures.by_epci if e.slug == "agglo-du-couchant")
        self.assertEqual((couchant.cities, couchant.dwellings.total), (4, 600))

    def test_a_cite_without_phases_counts_by_its_status_and_unpublished_ones_do_not(self):
        CityPageFactory(
            parent=CitiesIndexPage.objects.get(),
            slug="cite-sans-tranche",
            title="Cité sans tranche",
            dwellings=120,
            status=Status.DONE,
        )
        self.assertEqual(programme_figures().dwellings.renovated, 250 + 120)
        CityPage.objects.get(slug="cite-du-chevalement").unpublish()
        figures = programme_figures()
        self.assertEqual(figures.dwellings.renovated, 120)
        self.assertEqual(figures.dwellings.in_works, 0)

    def test_costs_two_queries_whatever_the_number_of_cites(self):
        index = CitiesIndexPage.objects.get()
        for i in range(30):
            page = CityPageFactory(parent=index, slug=f"cite-{i}", title=f"Cité {i}", dwellings=10)
            CityPhase.objects.create(page=page, label="T1", dwellings=10, status=Status.WORKS)
        with CaptureQueriesContext(connection) as queries:
            figures = programme_figures()
        self.assertEqual(len(queries), 3)  # cités, phases, private sections (public())
        self.assertEqual(figures.dwellings.in_works, 150 + 300)

    def test_page_and_home_section(self):
        page = html_lib.unescape(self.html("/le-programme-en-chiffres/"))
        self.assertIn('<progress id="progress-page" max="23000" value="600">', page)
        self.assertIn("soit 3 %", page)
        self.assertIn('href="/cites/?epci=agglo-du-couchant">Agglo du Couchant</a>', page)
        home = html_lib.unescape(self.html("/"))
        self.assertIn("Le programme en chiffres", home)
        self.assertIn(
            '<span class="key-figures__value">250</span> '
            '<span class="key-figures__label">logements rénovés</span>',
            home,
        )
        self.assertIn('href="/le-programme-en-chiffres/"', home)
        self.assertIn("Des habitants mobilisés", home)  # latest news section
