"""Browser tests of the programme's pages: accessibility, filters, map, an editor's webinar."""

from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.wagtail_admin import publish_page

pytestmark = pytest.mark.e2e

PAGES = [
    "/cites/",
    "/cites/?epci=valenciennes-metropole",
    "/cites/cite-saint-pierre/",
    "/cites/cite-noumea/",
    "/actualites/",
    "/actualites/2019/",
    "/actualites/4e-comite-de-pilotage-20-juin-2019/",
    "/webinaires/",
    "/webinaires/accompagnement-des-habitants-pendant-les-renovations/",
    "/retours-d-experience/",
    "/retours-d-experience/jardin-citoyen-cite-5-12-sallaumines/",
    "/le-programme-en-chiffres/",
    "/",
]


@pytest.fixture
def offline_tiles(settings):
    """Map tiles from the site itself (they 404 here): the page must not depend on them."""
    settings.TILE_URL = "/static/tuiles-absentes/{z}/{x}/{y}.png"


def test_every_programme_page_type_is_accessible_without_csp_errors(
    live_server, demo_site, offline_tiles, page
):
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
    assert csp_errors == []


def test_a_visitor_filters_cites_by_epci_and_opens_a_profile(
    live_server, demo_site, offline_tiles, page
):
    page.goto(live_server.url + "/cites/")
    expect(page.locator(".city-card")).to_have_count(10)
    expect(page.locator("#cites-map .leaflet-interactive")).to_have_count(10)

    page.get_by_label("Intercommunalité").select_option(label="Valenciennes Métropole (4)")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(
        f"{live_server.url}/cites/?epci=valenciennes-metropole&commune=&bailleur=&statut="
    )
    expect(page.get_by_role("status")).to_have_text("4 cités correspondent à votre sélection.")
    expect(page.locator(".city-card")).to_have_count(4)
    expect(page.locator("#cites-map .leaflet-interactive")).to_have_count(4)  # map follows

    page.get_by_role("link", name="Cité Saint-Pierre").click()
    expect(page.locator("h1")).to_have_text("Cité Saint-Pierre")
    expect(page.get_by_text("Diagnostic partagé : même sous la pluie, on avance !")).to_be_visible()
    expect(page.locator(".credit").first).to_contain_text("Crédit ville Condé sur Escaut")


def test_the_list_works_without_javascript(live_server, demo_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/cites/")
    page.get_by_label("Bailleur").select_option("sia-habitat")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(".city-card")).to_have_count(1)
    expect(page.get_by_text("La carte nécessite JavaScript")).to_be_visible()
    context.close()


def test_an_editor_creates_a_webinar_and_a_visitor_downloads_its_ics(
    live_server, demo_site, admin_login, page, browser
):
    from cites_pages.models import WebinarIndexPage

    admin_login(page)
    index = WebinarIndexPage.objects.get()
    page.goto(f"{live_server.url}/admin/pages/add/cites_pages/webinarpage/{index.pk}/")
    page.locator("#id_title").fill("Les jardins partagés des cités")
    page.locator("#id_start").fill("2027-03-10 14:00")
    page.locator("#id_start").press("Escape")
    page.locator("#id_end").fill("2027-03-10 16:00")
    page.locator("#id_end").press("Escape")
    page.locator("#id_registration_url").fill("https://inscription.example.org/jardins")
    page.locator("#id_intro").fill("Comment les habitants s'approprient les jardins des cités.")
    publish_page(page)

    visitor = browser.new_page()
    visitor.goto(f"{live_server.url}/webinaires/les-jardins-partages-des-cites/")
    expect(visitor.locator(".kicker")).to_have_text("Webinaire à venir")
    expect(visitor.get_by_role("link", name="S’inscrire au webinaire")).to_have_attribute(
        "href", "https://inscription.example.org/jardins"
    )
    assert_accessible(visitor)
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == "les-jardins-partages-des-cites.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Les jardins partagés des cités"
    assert event.decoded("DTSTART").isoformat() == "2027-03-10T14:00:00+01:00"
    assert str(event["URL"]).endswith("/webinaires/les-jardins-partages-des-cites/")
