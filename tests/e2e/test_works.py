"""Browser test of the works tracker at 320 px: the resident summary on a cité page, the
observatory and the widget read without horizontal scrolling, pass axe, break no CSP rule."""

import csv
import io

import pytest
from playwright.sync_api import expect

from renouveau.page_cache import invalidate_page_cache
from tests.e2e.axe import assert_accessible
from tests.e2e.sites import build_works

pytestmark = pytest.mark.e2e


@pytest.fixture
def works(site_home):
    """Two cités with works: the first 200 dwellings delivered, tranche 2 under way; 300 in all."""
    return build_works(site_home)


def test_resident_summary_observatory_and_widget_at_320_px(live_server, works, browser):
    first = works.cities[0]
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        page.goto(live_server.url + first.url)
        summary = page.locator(".works__summary")
        expect(summary).to_contain_text("Travaux en cours : Tranche 2, 120 logements")
        expect(summary).to_contain_text("livraison prévue mars 2027")
        expect(page.get_by_role("heading", name="Notes de chantier")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)

        page.get_by_role("link", name="L’avancement de toutes les cités").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Observatoire de la rénovation")
        expect(page.get_by_role("img", name="Logements livrés par bailleur")).to_be_visible()
        table = page.get_by_role("region", name="Données : logements livrés par bailleur")
        expect(table).to_contain_text(works.landlords[0].name)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)

        page.goto(f"{live_server.url}/observatoire/widget/{first.slug}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(first.title)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)
        assert csp_errors == []
    finally:
        context.close()


def test_a_delivery_and_a_note_recorded_in_the_admin_show_everywhere_at_once(
    live_server, works, browser, admin_login, settings
):
    """The issue's « Done when »: with the page cache on, an editor records 16 dwellings
    delivered and a works note; the cité page, the observatory and the widget show the new
    figure at once, and the API and the CSV give the same number."""
    first = works.cities[0]
    settings.PAGE_CACHE_SECONDS = 600
    settings.FRAGMENT_CACHE_SECONDS = 300
    invalidate_page_cache()
    visitor = browser.new_context().new_page()
    urls = {
        "cite": live_server.url + first.url,
        "observatoire": live_server.url + "/observatoire/",
        "widget": f"{live_server.url}/observatoire/widget/{first.slug}/",
    }
    for url in urls.values():  # cached now
        visitor.goto(url)
    visitor.goto(urls["cite"])
    expect(visitor.locator(".works__summary")).to_contain_text("200 logements livrés")

    editor_context = browser.new_context()
    admin = editor_context.new_page()
    try:
        admin_login(admin)
        admin.goto(live_server.url + "/admin/snippets/works/operation/")
        admin.get_by_role("link", name=first.title).first.click()
        expect(admin.locator("#id_deliveries-TOTAL_FORMS")).to_be_attached()
        deliveries = int(admin.locator("#id_deliveries-TOTAL_FORMS").input_value())
        admin.locator("#id_deliveries-ADD").click()
        admin.locator(f"#id_deliveries-{deliveries}-month").fill("2026-11-01")
        admin.locator(f"#id_deliveries-{deliveries}-dwellings").fill("16")
        notes = int(admin.locator("#id_notes-TOTAL_FORMS").input_value())
        admin.locator("#id_notes-ADD").click()
        admin.locator(f"#id_notes-{notes}-date").fill("2026-11-30")
        admin.locator(f"#id_notes-{notes}-title").fill("Seize logements livrés rue des Pinsons")
        admin.locator(f"#id_notes-{notes}-text").fill("Les locataires ont reçu leurs clés.")
        admin.locator("#w-editor-form button[type=submit]").first.click()
        expect(admin.locator(".messages")).to_contain_text(first.title)
    finally:
        editor_context.close()

    # Another visitor (the first one's browser keeps its copies for max-age=60 s): the site's
    # page cache must serve the new figure.
    visitor = browser.new_context().new_page()
    visitor.goto(urls["cite"])
    expect(visitor.locator(".works__summary")).to_contain_text("216 logements livrés")
    expect(visitor.get_by_text("Seize logements livrés rue des Pinsons")).to_be_visible()
    visitor.goto(urls["observatoire"])
    expect(visitor.locator(".observatory__target")).to_contain_text("316 logements rénovés")
    visitor.goto(urls["widget"])
    expect(visitor.locator(".widget__figure")).to_contain_text("216")

    api = visitor.request.get(live_server.url + f"/api/v1/operations/{first.slug}").json()
    text = visitor.request.get(live_server.url + "/observatoire/avancement-cites.csv").text()
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    in_csv = next(int(r["logements_livres"]) for r in rows if r["identifiant"] == first.slug)
    assert api["logements_livres"] == in_csv == 216
    assert (
        visitor.request.get(live_server.url + "/api/v1/chiffres").json()["logements_livres"] == 316
    )
