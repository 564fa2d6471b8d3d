import pytest
from playwright.sync_api import expect
from wagtail.models import Page

from tests.e2e.axe import assert_accessible
from tests.e2e.wagtail_admin import publish_page
from tests.factories import StandardPageFactory
from tests.pages import one_page_of_each_type

pytestmark = pytest.mark.e2e


def test_a_visitor_reads_the_home_page(live_server, site_home, page):
    page.goto(live_server.url + "/")
    expect(page).to_have_title("Accueil — Renouveau du Bassin Minier")
    expect(page.locator("h1")).to_contain_text("S’engager ensemble")
    # The skip link is the first thing a keyboard user reaches, and it leads to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    assert_accessible(page)


def test_every_page_type_is_accessible_on_a_phone(live_server, site_home, browser):
    """One page of each type (the demo's every page: test_axe_sitemap.py)."""
    built = [*one_page_of_each_type(site_home), StandardPageFactory(parent=site_home)]
    assert Page.objects.live().filter(depth__gte=2).count() == len(built) + 1  # and the home
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for wagtail_page in Page.objects.live().filter(depth__gte=2).specific():
        response = page.goto(live_server.url + wagtail_page.url)
        assert response.status == 200, wagtail_page.url
        # Nothing wider than the 320 px screen: no horizontal scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, wagtail_page.url
        assert_accessible(page)
    context.close()


def test_an_editor_publishes_a_page_that_a_visitor_then_reads(
    live_server, site_home, admin_login, page, browser
):
    admin_login(page)
    page.goto(f"{live_server.url}/admin/pages/add/renouveau/standardpage/{site_home.pk}/")
    page.locator("#id_title").fill("Réunion publique à Rouvroy")
    page.locator("#id_intro").fill("Présentation du projet de la cité des Acacias aux habitants.")
    publish_page(page)
    expect(page.locator(".messages")).to_contain_text("publiée")

    visitor = browser.new_page()
    visitor.goto(f"{live_server.url}/reunion-publique-a-rouvroy/")
    expect(visitor.locator("h1")).to_have_text("Réunion publique à Rouvroy")
    expect(visitor.locator(".lead")).to_contain_text("cité des Acacias")
    assert_accessible(visitor)
