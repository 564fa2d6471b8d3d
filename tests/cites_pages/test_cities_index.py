"""The cités index: no-JS filters with counts, pagination, bad input, open data."""

import csv
import html as html_lib
import io
import json
import re

from cites_pages.models import CitiesIndexPage, CityPage

from .base import ProgrammeSiteTestCase

CARD = re.compile(r'<h3 class="card__title"><a href="/cites/([^/]+)/">')


class TestFilters(ProgrammeSiteTestCase):
    def slugs(self, query: str = "") -> list[str]:
        return CARD.findall(self.html(f"/cites/{query}"))

    def test_all_cites_are_listed_with_the_count(self):
        page = self.html("/cites/")
        self.assertEqual(len(CARD.findall(page)), 8)
        self.assertIn("8 cités.", page)

    def test_filter_by_epci_keeps_only_its_cites(self):
        self.assertEqual(
            sorted(self.slugs("?epci=agglo-du-levant")),
            [
                "cite-des-acacias",
                "cite-des-deux-rives",
                "cite-des-tilleuls",
                "cite-du-puits",
            ],
        )
        page = html_lib.unescape(self.html("/cites/?epci=agglo-du-levant"))
        self.assertIn("4 cités correspondent à votre sélection.", page)
        self.assertIn('<option value="agglo-du-levant" selected>', page)

    def test_filter_by_commune_landlord_and_status(self):
        self.assertEqual(self.slugs("?commune=corvin"), ["cite-du-puits"])
        # A cité over two communes is found by either.
        self.assertEqual(
            sorted(self.slugs("?commune=berle")), ["cite-des-acacias", "cite-des-deux-rives"]
        )
        self.assertEqual(self.slugs("?bailleur=logis-du-couchant"), ["cite-du-chevalement"])
        self.assertEqual(
            sorted(self.slugs("?statut=terminee")), ["cite-des-acacias", "cite-du-terril"]
        )
        self.assertEqual(
            self.slugs("?epci=agglo-du-couchant&statut=travaux"), ["cite-du-chevalement"]
        )

    def test_options_show_how_many_cites_each_has(self):
        page = html_lib.unescape(self.html("/cites/"))
        self.assertIn(">Agglo du Levant (4)</option>", page)
        self.assertIn(">Agglo du Couchant (4)</option>", page)
        self.assertIn(">Terminée (2)</option>", page)

    def test_unknown_values_show_the_unfiltered_list(self):
        for query in [
            "?epci=inconnue",
            "?statut=demolie",
            "?commune=%27%3B--",
            "?bailleur=" + "x" * 500,
        ]:
            with self.subTest(query=query):
                self.assertEqual(len(self.slugs(query)), 8)

    def test_filters_work_as_a_plain_get_form(self):
        page = self.html("/cites/")
        self.assertRegex(page, r'<form class="filters" method="get" action="/cites/"')
        for name in ["epci", "commune", "bailleur", "statut"]:
            self.assertRegex(page, rf'<label for="filtre-{name}">')
            self.assertIn(f'<select id="filtre-{name}" name="{name}">', page)


class TestPagination(ProgrammeSiteTestCase):
    def setUp(self):
        CitiesIndexPage.per_page = 3
        self.addCleanup(setattr, CitiesIndexPage, "per_page", 24)

    def test_pages_and_bad_page_numbers(self):
        first = CARD.findall(self.html("/cites/"))
        self.assertEqual(len(first), 3)
        third = CARD.findall(self.html("/cites/?page=3"))
        self.assertEqual(len(third), 2)
        self.assertEqual(CARD.findall(self.html("/cites/?page=999")), third)  # last page
        self.assertEqual(CARD.findall(self.html("/cites/?page=abc")), first)
        self.assertEqual(CARD.findall(self.html("/cites/?page=-1")), third)

    def test_pagination_links_keep_the_filters(self):
        page = self.html("/cites/?statut=etudes")
        self.assertIn('href="?statut=etudes&amp;page=2"', page)
        self.assertEqual(len(CARD.findall(self.html("/cites/?statut=etudes&page=2"))), 1)


class TestOpenData(ProgrammeSiteTestCase):
    def test_csv_has_every_cite_with_its_facts(self):
        response = self.client.get("/cites/export-csv/")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(len(rows), 8)
        works = next(row for row in rows if row["nom"] == "Cité du Chevalement")
        self.assertEqual(works["communes"], "Dorval")
        self.assertEqual(works["codes_insee"], "62040")
        self.assertEqual(works["logements"], "600")
        self.assertEqual(works["bailleur"], "Logis du Couchant")
        self.assertEqual(works["etat"], "En travaux")
        self.assertEqual(works["position_approximative"], "oui")
        self.assertTrue(works["adresse_web"].endswith("/cites/cite-du-chevalement/"))
        two_communes = next(row for row in rows if row["nom"] == "Cité des Deux Rives")
        self.assertEqual(two_communes["codes_insee"], "59010 59020")

    def test_exports_apply_the_filters(self):
        response = self.client.get("/cites/export-csv/?commune=corvin")
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual([row["nom"] for row in rows], ["Cité du Puits"])
        data = json.loads(self.client.get("/cites/export-geojson/?statut=terminee").content)
        self.assertEqual(
            sorted(f["properties"]["nom"] for f in data["features"]),
            ["Cité des Acacias", "Cité du Terril"],
        )

    def test_geojson_is_lon_lat_and_skips_cites_without_position(self):
        CityPage.objects.filter(slug="cite-des-acacias").update(latitude=None, longitude=None)
        response = self.client.get("/cites/export-geojson/")
        self.assertEqual(response["Content-Type"], "application/geo+json")
        data = json.loads(response.content)
        self.assertEqual(data["type"], "FeatureCollection")
        self.assertEqual(len(data["features"]), 7)
        works = next(f for f in data["features"] if f["properties"]["nom"] == "Cité du Chevalement")
        self.assertEqual(works["geometry"], {"type": "Point", "coordinates": [3.04, 50.44]})
        self.assertIs(works["properties"]["position_approximative"], True)

    def test_links_to_the_exports_carry_the_filters(self):
        page = self.html("/cites/?bailleur=logis-du-couchant")
        self.assertIn('href="/cites/export-csv/?bailleur=logis-du-couchant"', page)
        self.assertIn('data-geojson="/cites/export-geojson/?bailleur=logis-du-couchant"', page)

    def test_csv_cells_cannot_start_a_formula(self):
        CityPage.objects.filter(slug="cite-des-acacias").update(title="=HYPERLINK(1)")
        body = self.client.get("/cites/export-csv/").content.decode("utf-8-sig")
        self.assertIn("'=HYPERLINK(1)", body)
