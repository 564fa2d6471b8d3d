"""Issue 16 in the browser, the legal pages as the site ships them (renouveau's demo content:
the legal notice, personal data, cookies, the accessibility statement and its audit grid, the
site map): one of the few browser journeys that load demo content, because its point is that
content; the rest of issue 16's journeys build their pages (test_public_service.py)."""

import json

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e

LEGAL_PAGES = {
    "/mentions-legales/": [
        "Éditeur du site",
        "Directeur ou directrice de la publication",
        "Hébergement",
    ],
    "/accessibilite/": [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration d’accessibilité",
        "Retour d’information et contact",
        "Voies de recours",
        "Schéma pluriannuel de mise en accessibilité",
    ],
    "/donnees-personnelles/": [
        "Responsable de traitement",
        "Les traitements de données de ce site",
        "Vos droits",
    ],
    "/cookies/": ["Cookies strictement nécessaires", "Contenus intégrés"],
    "/plan-du-site/": [],
}


@pytest.fixture
def public_site(transactional_db, settings):
    """The site package's demo content: home page, legal pages, contact form, site map."""
    from renouveau import demo

    cache.clear()
    settings.TILE_URL = "/static/tuiles-absentes/{z}/{x}/{y}.png"
    home = demo.ensure_home_page()
    demo.load(home)
    return home


def test_legal_pages_render_their_sections_and_are_accessible(
    live_server, public_site, page, csp_errors, browser
):
    phone = browser.new_page(viewport={"width": 320, "height": 640})
    for path, headings in LEGAL_PAGES.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        for heading in headings:
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert_accessible(page)
        # Readable on a 320 px phone without horizontal scrolling.
        phone.goto(live_server.url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320, path
    phone.close()
    assert csp_errors == []

    page.goto(live_server.url + "/mentions-legales/")
    expect(page.locator(".legal-facts").first).to_contain_text("SIREN")
    expect(page.locator(".placeholder-value")).to_have_text("à compléter")

    # The HTML site map lists the legal pages; the footer links it and not the XML file only.
    page.goto(live_server.url + "/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("link", name="Plan du site", exact=True).click()
    expect(page.locator("h1")).to_have_text("Plan du site")
    sitemap = page.get_by_role("navigation", name="Plan du site")
    for title in (
        "Mentions légales",
        "Données personnelles",
        "Déclaration d’accessibilité",
        "Nous contacter",
    ):
        expect(sitemap.get_by_role("link", name=title, exact=True)).to_be_visible()


def test_the_footer_states_the_accessibility_status_from_the_audit_grid(
    live_server, public_site, page, browser
):
    page.goto(live_server.url + "/")
    mention = page.get_by_role("contentinfo").get_by_role(
        "link", name="Accessibilité\u00a0: partiellement conforme"
    )
    expect(mention).to_be_visible()
    mention.click()
    expect(page.locator("h1")).to_have_text("Déclaration d’accessibilité")
    expect(page.locator(".conformity")).to_contain_text("est partiellement conforme")
    expect(page.get_by_text("76,9 % des critères du RGAA 4.1.2 sont respectés")).to_be_visible()
    expect(page.get_by_text("Critère 13.3")).to_be_visible()

    # For the lead: the statement at 1280 px.
    wide = browser.new_page(viewport={"width": 1280, "height": 900})
    wide.goto(live_server.url + "/accessibilite/")
    wide.screenshot(path="/tmp/accessibilite.png", full_page=True)
    wide.close()


def test_shared_links_get_a_card_a_canonical_link_and_structured_data(
    live_server, public_site, page
):
    page.goto(live_server.url + "/mentions-legales/")
    head = page.locator("head")
    assert (
        head.locator('link[rel="canonical"]').get_attribute("href").endswith("/mentions-legales/")
    )
    assert head.locator('meta[property="og:title"]').get_attribute("content") == "Mentions légales"
    image = head.locator('meta[property="og:image"]').get_attribute("content")
    assert image.startswith("http") and image.endswith("/static/img/partage.png")
    assert (
        head.locator('meta[name="twitter:card"]').get_attribute("content") == "summary_large_image"
    )
    # The default sharing image exists and is the size LinkedIn expects.
    response = page.request.get(live_server.url + "/static/img/partage.png")
    assert response.ok and response.headers["content-type"] == "image/png"

    page.goto(live_server.url + "/")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    types = {item["@type"] for item in data["@graph"]}
    assert types == {"Organization", "WebSite"}
    description = page.locator('meta[property="og:description"]').get_attribute("content")
    assert description == public_site.teaser_text
