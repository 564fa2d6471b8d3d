"""The public face in a real browser: the phone header, the desktop width, French details."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.sites import build_cites, index_for_search, news_about

pytestmark = pytest.mark.e2e


@pytest.fixture
def cites(site_home):
    """Five cités in the menu (the first with a video and its facts), a news item about it,
    all in the search index."""
    cites = build_cites(site_home, count=5)
    news_about(site_home, cites.cities[0], "Le chantier de la cité commence")
    index_for_search()
    return cites


def test_on_a_phone_the_menu_is_a_disclosure_button(live_server, cites, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/")
    header = page.get_by_role("banner")
    # The header takes at most 120 px before the content.
    assert header.bounding_box()["height"] <= 120
    assert page.locator("main").bounding_box()["y"] <= 120

    button = header.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "menu-site")
    expect(menu).to_be_hidden()
    expect(page.get_by_role("searchbox", name="Rechercher sur le site")).to_be_hidden()

    # Keyboard: skip link, brand, then the button; Enter opens, the menu follows in tab order.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("searchbox", name="Rechercher sur le site")).to_be_focused()
    assert_accessible(page)

    # Escape closes it and gives the focus back to the button.
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()

    # Space opens it again, a click on a link leads there.
    page.keyboard.press("Space")
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="Les cités").click()
    expect(page.locator("h1")).to_contain_text("cités")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()

    # Without JavaScript there is no button: the search and the menu are a plain list below.
    context = browser.new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu.get_by_role("link", name="Les cités")).to_be_visible()
    links = menu.get_by_role("link").all()
    # One link per line: a vertical list.
    tops = [link.bounding_box()["y"] for link in links]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    context.close()


WIDEST_PARAGRAPH_IN_CH = """() => {
    // The widest paragraph of the main content, in "0" widths of its own font (CSS ch).
    let widest = 0;
    for (const p of document.querySelectorAll("main p")) {
        const box = p.getBoundingClientRect();
        if (!box.width || !p.textContent.trim()) continue;
        const probe = document.createElement("span");
        probe.textContent = "0";
        probe.style.font = getComputedStyle(p).font;
        document.body.appendChild(probe);
        widest = Math.max(widest, box.width / probe.getBoundingClientRect().width);
        probe.remove();
    }
    return widest;
}"""

CONTENT_WIDTH = """() => {
    // From the leftmost to the rightmost visible box of the page's main content.
    let left = Infinity, right = 0;
    for (const el of document.querySelectorAll("main .content *")) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        left = Math.min(left, box.left);
        right = Math.max(right, box.right);
    }
    return right - left;
}"""


@pytest.mark.parametrize("width", [1280, 1920])
def test_a_desktop_screen_is_used_while_text_keeps_a_readable_measure(
    live_server, cites, browser, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in ("/", "/cites/", "/actualites/", cites.cities[0].url):
        page.goto(live_server.url + path)
        # No paragraph wider than about 70 characters, even at 1920 px.
        assert page.evaluate(WIDEST_PARAGRAPH_IN_CH) <= 72, path
        if path != "/":
            assert page.evaluate(CONTENT_WIDTH) > 770, path

    # Cards: several per row, of one height per row, with images of one ratio (3:2).
    page.goto(live_server.url + "/cites/")
    expect(page.locator("#cites-map.is-ready")).to_be_visible()  # the map's height is set
    boxes = page.locator(".card-list .card").evaluate_all(
        "cards => cards.map(card => card.getBoundingClientRect().toJSON())"
    )
    first_row = [box for box in boxes if abs(box["y"] - boxes[0]["y"]) < 1]
    assert len(first_row) >= 4
    assert len({round(box["height"]) for box in first_row}) == 1
    ratios = page.locator(".card-list .card").evaluate_all(
        """cards => cards.map(card => {
            const box = card.querySelector("img, .card__no-image").getBoundingClientRect();
            return Math.round(box.width / box.height * 100) / 100;
        })"""
    )
    assert set(ratios) == {1.5}

    # A cité: its facts in a side column beside the text.
    page.goto(live_server.url + cites.cities[0].url)
    facts = page.get_by_role("complementary", name="La cité en bref").bounding_box()
    text = page.locator(".layout-aside__main").bounding_box()
    assert facts["x"] > text["x"] + text["width"]
    assert abs(facts["y"] - text["y"]) < 2
    context.close()


def test_the_map_speaks_french_and_a_video_fills_a_phone(live_server, cites, browser, settings):
    settings.TILE_URL = "/static/tuiles-absentes/{z}/{x}/{y}.png"  # no network in tests
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/cites/")
    expect(page.get_by_role("button", name="Zoom avant")).to_have_attribute("title", "Zoom avant")
    expect(page.get_by_role("button", name="Zoom arrière")).to_be_visible()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("© IGN – Géoplateforme")
    page.locator("#cites-map .leaflet-interactive").first.click()
    expect(page.locator(".leaflet-popup")).to_be_visible()
    expect(page.get_by_role("button", name="Fermer la fenêtre")).to_be_visible()
    assert "Close popup" not in page.content()
    page.close()

    # At 375 px the video takes its column's whole width (it was 263 px in 343).
    phone = browser.new_page(viewport={"width": 375, "height": 800})
    phone.goto(live_server.url + cites.cities[0].url)
    video = phone.locator("figure.video").bounding_box()
    column = phone.locator(".layout-aside__main").bounding_box()
    assert video["width"] >= column["width"] - 1
    assert video["width"] >= 340
    phone.close()


def test_a_misspelt_search_from_the_phone_menu_is_corrected(live_server, cites, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("searchbox", name="Rechercher sur le site").fill("logemnts")
    page.get_by_role("searchbox", name="Rechercher sur le site").press("Enter")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Aucun résultat pour «\u00a0logemnts\u00a0».")
    expect(status).to_contain_text("Vouliez-vous dire «\u00a0logements\u00a0»\u00a0?")
    expect(status).to_contain_text("pour « logements »")
    expect(page.locator(".search-result mark").first).to_have_text("logements")
    assert_accessible(page)
    status.get_by_role("link", name="logements").click()
    expect(page.get_by_role("status")).not_to_contain_text("Vouliez-vous dire")
    expect(page.locator(".search-result").first).to_be_visible()
    page.close()
