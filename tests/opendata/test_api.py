"""The open data API as its users meet it: paginated lists whose cost does not grow with the
items, French errors, CORS for GET only, the page cache, and the same number as the CSV after an
editor records a delivery in the admin."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from wagtail.test.utils.form_data import querydict_from_html

from renouveau.page_cache import invalidate_page_cache
from tests.factories import (
    CitiesIndexPageFactory,
    CommuneFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    WebinarIndexPageFactory,
    WebinarPageFactory,
)
from tests.works.builders import tracked_city

pytestmark = pytest.mark.django_db

ACACIAS = "cite-des-acacias"  # the cité whose works are under way (tests/works/builders.py)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_lists_cost_the_same_queries_for_3_and_30_items(client, home_page):
    index = CitiesIndexPageFactory(parent=home_page)
    news_index = NewsIndexPageFactory(parent=home_page)
    webinar_index = WebinarIndexPageFactory(parent=home_page)
    commune = CommuneFactory()

    def add(first: int, last: int) -> None:
        for n in range(first, last):
            city, _ = tracked_city(index, f"Cité {n}", delivered=[(date(2025, 1, 1), 16)])
            city.communes.set([commune])
            NewsPageFactory(parent=news_index, related_cities=[city])
            WebinarPageFactory(parent=webinar_index)

    urls = ["/api/v1/cites", "/api/v1/operations", "/api/v1/actualites", "/api/v1/webinaires"]
    add(0, 3)
    for url in urls:
        _queries(client, url)  # the process's caches (content types, sites)
    few = {url: _queries(client, url) for url in urls}
    add(3, 30)
    assert {url: _queries(client, url) for url in urls} == few
    assert client.get("/api/v1/cites").json()["nombre"] == 30


def test_pages_of_fifty_with_links_to_the_next_and_previous(client, home_page):
    index = CitiesIndexPageFactory(parent=home_page)
    for n in range(55):
        tracked_city(index, f"Cité {n:02d}", delivered=[])
    first = client.get("/api/v1/cites").json()
    assert (first["nombre"], first["pages"], len(first["resultats"])) == (55, 2, 50)
    assert first["precedente"] is None
    assert first["suivante"] == "http://testserver/api/v1/cites?page=2"
    second = client.get("/api/v1/cites?page=2").json()
    assert len(second["resultats"]) == 5
    assert second["precedente"] == "http://testserver/api/v1/cites?page=1"
    assert second["resultats"][-1]["nom"] == "Cité 54"
    assert second["resultats"][-1]["suivi_des_travaux"].endswith("/api/v1/operations/cite-54")


def test_bad_requests_get_a_french_4xx(client, tracked):
    response = client.get("/api/v1/cites?page=abc")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Paramètre invalide")
    assert client.get("/api/v1/cites?page=99").json()["detail"] == "Page 99 inexistante."
    missing = client.get("/api/v1/cites/cite-inconnue")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Aucune cité publiée ne porte cet identifiant."
    assert client.post("/api/v1/cites").status_code == 405
    assert client.get("/api/v1/operations/cite-des-acacias").status_code == 200
    tracked.under_way.unpublish()
    assert client.get("/api/v1/operations/cite-des-acacias").status_code == 404
    assert "cite-des-acacias" not in client.get("/api/v1/cites").content.decode()
    assert client.get("/api/v1/operations/cite-des-dahlias").status_code == 404  # no tracker


def test_a_webinar_s_join_link_never_reaches_the_api(client, home_page):
    index = WebinarIndexPageFactory(parent=home_page)
    WebinarPageFactory(
        parent=index,
        join_url="https://visio.example.org/secret-room",
        registration_url="https://inscription.example.org/w",
    )
    body = client.get("/api/v1/webinaires").content.decode()
    assert "secret-room" not in body
    webinar = client.get("/api/v1/webinaires").json()["resultats"][0]
    assert webinar["a_venir"] is True
    assert webinar["inscription"] == "https://inscription.example.org/w"


def test_cors_opens_the_open_data_to_any_site_for_reading_only(client, tracked):
    origin = {"HTTP_ORIGIN": "https://partenaire.example.org"}
    for url in ["/api/v1/chiffres", "/observatoire/avancement-cites.csv", "/api/catalogue.jsonld"]:
        assert client.get(url, **origin)["Access-Control-Allow-Origin"] == "*", url
    preflight = client.options("/api/v1/cites", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", **origin)
    allowed = preflight["Access-Control-Allow-Methods"]
    assert "GET" in allowed and "POST" not in allowed and "DELETE" not in allowed
    # The rest of the site gets no CORS header.
    assert "Access-Control-Allow-Origin" not in client.get("/observatoire/", **origin)


def test_the_documentation_page_describes_every_operation_in_french(client, home_page):
    response = client.get("/api/v1/documentation/")
    html = response.content.decode()
    spec = client.get("/api/v1/openapi.json").json()
    for path, methods in spec["paths"].items():
        assert f"GET {path}</code>" in html
        assert escape(methods["get"]["summary"]) in html
    assert "logements_livres" in html and "Licence Ouverte" in html
    assert "cdn." not in html and '<script src="http' not in html  # nothing from elsewhere
    root = client.get("/api/v1/").json()
    assert root["schema_openapi"] == "http://testserver/api/v1/openapi.json"


def test_the_api_and_the_csv_agree_at_once_after_an_editor_records_a_delivery(
    client, tracked, settings, django_user_model
):
    settings.PAGE_CACHE_SECONDS = 600
    settings.FRAGMENT_CACHE_SECONDS = 300
    invalidate_page_cache()

    def csv_delivered() -> int:
        text = b"".join(client.get("/observatoire/avancement-cites.csv").streaming_content)
        rows = csv.DictReader(io.StringIO(text.decode("utf-8-sig")), delimiter=";")
        return next(int(r["logements_livres"]) for r in rows if r["identifiant"] == ACACIAS)

    def api_delivered() -> tuple[int, int]:
        operation = client.get(f"/api/v1/operations/{ACACIAS}")
        figures = client.get("/api/v1/chiffres").json()
        return operation.json()["logements_livres"], figures["logements_livres"]

    assert api_delivered() == (427, 715) and csv_delivered() == 427
    assert client.get(f"/api/v1/operations/{ACACIAS}")["X-Page-Cache"] == "hit"

    editor = Client()
    editor.force_login(django_user_model.objects.create_superuser("r", "r@example.org", "x"))
    operation = tracked.under_way.works_operation
    url = reverse("wagtailsnippets_works_operation:edit", args=[operation.pk])
    data = querydict_from_html(editor.get(url).content.decode(), form_id="w-editor-form")
    count = int(data["deliveries-TOTAL_FORMS"])
    data["deliveries-TOTAL_FORMS"] = str(count + 1)
    new = f"deliveries-{count}-"
    data.update({new + "month": "2026-11-01", new + "dwellings": "16", new + "id": ""})
    data[new + "ORDER"] = str(count + 1)
    assert editor.post(url, data).status_code == 302

    assert api_delivered() == (443, 731)
    assert csv_delivered() == 443
    months = client.get(f"/api/v1/operations/{ACACIAS}").json()["livraisons"]
    assert {"mois": "2026-11", "logements": 16} in months


def test_the_observatory_leads_to_the_api_the_catalogue_and_the_partner_kit(client, tracked):
    html = client.get("/observatoire/").content.decode()
    for url in ["/api/v1/documentation/", "/api/catalogue.jsonld", "/observatoire/partenaires/"]:
        assert f'<a href="{url}">' in html, url
        assert client.get(url).status_code == 200, url
