"""Browser test of the works tracker at 320 px: the resident summary on a cité page, the
observatory and the widget read without horizontal scrolling, pass axe, break no CSP rule."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e


def test_resident_summary_observatory_and_widget_at_320_px(live_server, demo_site, browser):
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
        page.goto(live_server.url + "/cites/cite-noumea/")
        summary = page.locator(".works__summary")
        expect(summary).to_contain_text("Travaux en cours : Tranche 3, 183 logements")
        expect(summary).to_contain_text("livraison prévue mars 2027")
        expect(page.get_by_role("heading", name="Notes de chantier")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)

        page.get_by_role("link", name="L'avancement de toutes les cités").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Observatoire de la rénovation")
        expect(page.get_by_role("img", name="Logements livrés par bailleur")).to_be_visible()
        table = page.get_by_role("region", name="Données : logements livrés par bailleur")
        expect(table).to_contain_text("SIA Habitat")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)

        page.goto(live_server.url + "/observatoire/widget/cite-noumea/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Cité Nouméa")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)
        assert csp_errors == []
    finally:
        context.close()
