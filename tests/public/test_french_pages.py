"""French details on the public pages: plurals, the order of cités, typography, map tiles."""

import html

from django.test import TestCase

from cites_pages.models import CityPage
from cites_pages.models.common import Status
from tests.factories import (
    CaseStudyIndexPageFactory,
    CitiesIndexPageFactory,
    CityPageFactory,
    CommuneFactory,
    WebinarIndexPageFactory,
    WebinarPageFactory,
)
from tests.pages import site_home_page


class TestFrenchDetails(TestCase):
    """Three cités whose names start with « Cité », « Cité de la », « Cité du »; one in Vicq,
    in works; a webinar whose title has an apostrophe."""

    @classmethod
    def setUpTestData(cls):
        home = site_home_page()
        index = CitiesIndexPageFactory(parent=home)
        vicq = CommuneFactory(name="Vicq", slug="vicq", insee_code="59616")
        CityPageFactory(parent=index, title="Cité Taffin", status=Status.WORKS, communes=[vicq])
        CityPageFactory(parent=index, title="Cité de la Parisienne", status=Status.DONE)
        CityPageFactory(parent=index, title="Cité du Mont de la Veine")
        WebinarPageFactory(
            parent=WebinarIndexPageFactory(parent=home), title="L'accompagnement des habitants"
        )
        CaseStudyIndexPageFactory(
            parent=home, slug="retours-d-experience", title="Retours d'expérience"
        )

    def html(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response.content.decode()

    def test_no_cite_is_singular(self):
        page = html.unescape(self.html("/cites/?statut=terminee&commune=vicq"))
        self.assertIn("0 cité correspond à votre sélection.", page)
        page = html.unescape(self.html("/cites/?commune=vicq"))
        self.assertIn("1 cité correspond à votre sélection.", page)
        self.assertIn("3 cités.", self.html("/cites/"))

    def test_cites_are_sorted_by_their_name(self):
        titles = list(CityPage.objects.order_by("title").values_list("title", flat=True))
        page = self.html("/cites/")
        positions = [page.index(f">{title}</a></h3>") for title in titles]
        # Mont de la Veine, Parisienne, Taffin: by name, not by « Cité de la » / « Cité du ».
        self.assertEqual(
            [title for _, title in sorted(zip(positions, titles, strict=True))],
            ["Cité du Mont de la Veine", "Cité de la Parisienne", "Cité Taffin"],
        )

    def test_a_renamed_cite_moves_in_the_list(self):
        city = CityPage.objects.get(title="Cité Taffin")
        city.title = "Cité des Alouettes"
        city.save(update_fields=["title"])
        city.refresh_from_db()
        self.assertEqual(city.sort_title, "alouettes")

    def test_index_cards_have_typographic_apostrophes(self):
        page = self.html("/webinaires/")
        self.assertIn("L’accompagnement des habitants", page)
        self.assertNotIn(">L'accompagnement", page)
        page = self.html("/retours-d-experience/")
        self.assertIn("<h1>Retours d’expérience</h1>", page)

    def test_the_map_uses_the_ign_geoplateforme_and_the_policy_allows_it(self):
        response = self.client.get("/cites/")
        self.assertIn(
            "https://data.geopf.fr/wmts?SERVICE=WMTS&amp;REQUEST=GetTile",
            response.content.decode(),
        )
        self.assertIn("LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2", response.content.decode())
        self.assertIn("Plan IGN © IGN – Géoplateforme", response.content.decode())
        policy = response.headers["Content-Security-Policy"]
        self.assertIn("img-src 'self' data: https://data.geopf.fr", policy)
        self.assertNotIn("openstreetmap", policy)
