"""Browser tests of the programme's pages: accessibility, filters, map, an editor's webinar."""

from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.sites import EVENT_TITLE, PHOTO_CREDIT, build_cites
from tests.e2e.wagtail_admin import publish_page
from tests.factories import WebinarIndexPageFactory
from tests.pages import one_page_of_each_type

pytestmark = pytest.mark.e2e


@pytest.fixture
def offline_tiles(settings):
    """Map tiles from the site itself (they 404 here): the page must not depend on them."""
    settings.TILE_URL = "/static/tuiles-absentes/{z}/{x}/{y}.png"


@pytest.fixture
def cites(site_home):
    """Five cités: three in the first EPCI, two in the second; one landlord for the first."""
    return build_cites(site_home, count=5)


def test_every_programme_page_type_is_accessible_without_csp_errors(
    live_server, site_home, offline_tiles, page
):
    cites = build_cites(site_home, count=2)  # the first with a timeline, a photo, a video
    pages = one_page_of_each_type(site_home)  # every index, one page each, the figures
    news = next(p for p in pages if p.specific_class.__name__ == "NewsPage").specific
    paths = [
        "/",
        f"/cites/?epci={cites.epcis[0].slug}",
        cites.cities[0].url,
        f"/actualites/{news.date.year}/",
        *(p.url for p in pages),
    ]
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
    assert csp_errors == []


def test_a_visitor_filters_cites_by_epci_and_opens_a_profile(
    live_server, cites, offline_tiles, page
):
    epci = cites.epcis[0]
    page.goto(live_server.url + "/cites/")
    expect(page.locator(".city-card")).to_have_count(5)
    expect(page.locator("#cites-map .leaflet-interactive")).to_have_count(5)

    page.get_by_label("Intercommunalité").select_option(label=f"{epci.name} (3)")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(
        f"{live_server.url}/cites/?epci={epci.slug}&commune=&bailleur=&statut="
    )
    expect(page.get_by_role("status")).to_have_text("3 cités correspondent à votre sélection.")
    expect(page.locator(".city-card")).to_have_count(3)
    expect(page.locator("#cites-map .leaflet-interactive")).to_have_count(3)  # map follows

    first = cites.cities[0]
    page.get_by_role("link", name=first.title).click()
    expect(page.locator("h1")).to_have_text(first.title)
    expect(page.get_by_text(EVENT_TITLE)).to_be_visible()
    expect(page.locator(".credit").first).to_contain_text(PHOTO_CREDIT)


def test_the_list_works_without_javascript(live_server, cites, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/cites/")
    page.get_by_label("Bailleur").select_option(cites.landlords[0].slug)
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(".city-card")).to_have_count(1)
    expect(page.get_by_text("La carte nécessite JavaScript")).to_be_visible()
    context.close()


def test_an_editor_creates_a_webinar_and_a_visitor_downloads_its_ics(
    live_server, site_home, admin_login, page, browser
):
    index = WebinarIndexPageFactory(parent=site_home)
    admin_login(page)
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
