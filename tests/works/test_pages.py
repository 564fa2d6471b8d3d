"""The public face of the works tracker: the cité page's resident summary, the observatory with
its charts and tables, the open data (same numbers as the page) and the embeddable widget."""

import csv
import io
import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CitiesIndexPageFactory
from tests.typography import as_typed
from tests.works.builders import tracked_city
from works.figures import observatory

pytestmark = pytest.mark.django_db


def test_the_cite_page_tells_residents_what_happens_and_when(client, tracked):
    html = as_typed(client.get("/cites/cite-des-acacias/").content.decode())
    assert "Les travaux, c'est quand ?" in html
    assert "Travaux en cours : Tranche 3, 183 logements, livraison prévue mars 2027." in html
    assert "Ensuite : travaux – tranche 4, à partir de avril 2027." in html
    assert "427 logements livrés</strong> sur 765 à rénover" in html
    assert "Données de démonstration" in html
    assert 'id="notes-de-chantier"' in html and "reprise des toitures" in html
    # Real figures say nothing of a demo.
    finished = as_typed(client.get("/cites/cite-des-bouleaux/").content.decode())
    assert "240 logements livrés</strong> sur 240 à rénover" in finished
    assert "Données de démonstration" not in finished
    # A cité without a tracker shows no works section.
    assert "Les travaux, c'est quand ?" not in as_typed(
        client.get("/cites/cite-des-dahlias/").content.decode()
    )


def test_the_observatory_shows_each_chart_with_its_table_and_summary(client, tracked):
    response = client.get("/observatoire/")
    assert response.status_code == 200
    html = as_typed(response.content.decode())
    assert "Objectif : 23000 logements" in html or "Objectif : 23 000 logements" in html
    assert html.count('role="img"') == 4  # year, EPCI, landlord, label gained
    assert html.count("<svg") == 4
    assert "Logements livrés par bailleur" in html and "Bailleur des Acacias" in html
    assert "E → C" in html and "F → C" in html
    assert "Licence Ouverte" in html
    assert "Dernière mise à jour" in html
    assert "style=" not in html.split("<main", 1)[-1]  # the CSP forbids inline styles


def test_the_observatory_costs_the_same_queries_for_5_and_50_cites(client, home_page):
    index = CitiesIndexPageFactory(parent=home_page)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/observatoire/").status_code == 200
        return len(captured)

    for n in range(5):
        tracked_city(index, f"Cité {n}", delivered=[(date(2025, 1, 1), 16)])
    queries()  # the first request fills the process's caches (content types, sites, menu)
    five = queries()
    for n in range(5, 50):
        tracked_city(index, f"Cité {n}", delivered=[(date(2025, 1, 1), 16)])
    assert queries() == five


def test_csv_and_json_give_the_page_s_numbers_under_the_etalab_licence(client, tracked):
    figures = observatory()
    response = client.get("/observatoire/avancement-cites.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by_slug = {row["identifiant"]: row for row in rows}
    assert set(by_slug) == {"cite-des-acacias", "cite-des-bouleaux", "cite-des-charmes"}
    acacias = by_slug["cite-des-acacias"]
    assert acacias["logements_livres"] == "427"
    assert acacias["logements_a_renover"] == "765"
    assert acacias["bailleur"] == "Bailleur des Acacias"
    assert acacias["dernier_mois_de_livraison"] == "2025-06"
    assert acacias["donnees_de_demonstration"] == "oui"
    assert by_slug["cite-des-bouleaux"]["donnees_de_demonstration"] == "non"
    assert sum(int(row["logements_livres"]) for row in rows) == figures.delivered == 715

    data = json.loads(client.get("/observatoire/avancement-cites.json").content)
    assert data["licence"].startswith("Licence Ouverte")
    assert data["logements_livres"] == figures.delivered
    assert data["objectif_logements"] == 23_000
    assert set(data["colonnes"]) == set(rows[0])
    assert {c["identifiant"]: c["logements_livres"] for c in data["cites"]} == {
        "cite-des-acacias": 427, "cite-des-bouleaux": 240, "cite-des-charmes": 48
    }  # fmt: skip


def test_the_widget_may_be_framed_by_any_site_and_only_it(client, tracked):
    response = client.get("/observatoire/widget/cite-des-acacias/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert '<html lang="fr">' in html and "427" in html and "Tranche 3" in html
    assert len(response.content) < 30_000
    # The rest of the site still refuses to be framed.
    observatory_page = client.get("/observatoire/")
    assert observatory_page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'self'" in observatory_page["Content-Security-Policy"]


def test_bad_requests_get_a_french_4xx(client, tracked):
    for url in ["/observatoire/widget/cite-inconnue/", "/observatoire/widget/cite-des-dahlias/"]:
        response = client.get(url)
        assert response.status_code == 404, url
    assert client.get("/observatoire/widget/cite-des-acacias/").status_code == 200
    tracked.under_way.unpublish()
    assert client.get("/observatoire/widget/cite-des-acacias/").status_code == 404
    assert client.post("/observatoire/").status_code == 405
    assert client.get("/observatoire/?annee=abc&epci=%00").status_code == 200


def test_every_page_leads_to_the_observatory_and_its_open_data(client, home_page):
    """Nothing else links to it: the footer (on every page) is the way in."""
    html = client.get("/").content.decode()
    assert '<a href="/observatoire/">Observatoire de la rénovation</a>' in html
    assert '<a href="/observatoire/avancement-cites.csv">Données ouvertes (CSV)</a>' in html
