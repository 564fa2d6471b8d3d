"""A visitor searches the demo site in a real browser."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import Collection

from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e

CASE_STUDY = "Jardin citoyen, cité 5/12 à Sallaumines"


@pytest.fixture
def demo_site(transactional_db):
    """The demo content. A transactional test's flush also removes Wagtail's root collection
    (made by its migrations), which the demo images need: make it again first."""
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    call_command("load_demo_content", verbosity=0)


def test_a_visitor_searches_and_reaches_the_case_study(live_server, demo_site, page):
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Rechercher sur le site").fill("rénovation Sallaumines")
    page.get_by_role("search").get_by_role("button", name="Rechercher").first.click()

    expect(page).to_have_url(re.compile(r"/recherche/\?q=r%C3%A9novation\+Sallaumines$"))
    expect(page.locator("h1")).to_have_text("Rechercher sur le site")
    expect(page.get_by_role("status")).to_contain_text("pour «\u00a0rénovation Sallaumines\u00a0»")
    first = page.locator(".search-result").first
    expect(first.locator(".tag")).to_have_text("Retour d’expérience")
    # "réhabilitation" in the text counts as "rénovation"; both words are highlighted.
    expect(first.locator("mark").first).to_be_visible()
    assert_accessible(page)

    first.get_by_role("link", name=CASE_STUDY).click()
    expect(page.locator("h1")).to_have_text(CASE_STUDY)
    assert csp_errors == []


def test_autocomplete_suggests_titles_and_the_form_works_without_javascript(
    live_server, demo_site, page, browser
):
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/recherche/")
    page.get_by_label("Mots recherchés").fill("Sallau")
    options = page.locator("#search-suggestions option")
    expect(options.first).to_have_attribute("value", re.compile("Sallaumines|5/12"))
    assert CASE_STUDY in options.evaluate_all("nodes => nodes.map(n => n.value)")

    # Without JavaScript the form is a plain GET form (page.evaluate would hang: no axe here).
    context = browser.new_context(java_script_enabled=False)
    visitor = context.new_page()
    visitor.set_default_timeout(10_000)
    visitor.goto(live_server.url + "/recherche/")
    visitor.get_by_label("Mots recherchés").fill("cites")
    visitor.get_by_label("Type de contenu").select_option(label="Cités")
    visitor.locator(".search-form button[type=submit]").click()
    expect(visitor.get_by_role("status")).to_contain_text("pour « cites »")
    expect(visitor.locator(".search-result .tag").first).to_have_text("Cité")
    results_url = visitor.url
    context.close()

    # The same results on a 320 px phone: no horizontal scrolling, accessible.
    phone = browser.new_context(viewport={"width": 320, "height": 640})
    visitor = phone.new_page()
    visitor.goto(results_url)
    expect(visitor.locator(".search-result").first).to_be_visible()
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(visitor)
    phone.close()


def test_hostile_queries_are_shown_back_as_text(live_server, demo_site, page):
    page.goto(
        live_server.url
        + "/recherche/?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E%00%E2%80%AE&type=x&commune=y"
    )
    expect(page.get_by_role("status")).to_contain_text("ce filtre a été ignoré")
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(page.get_by_label("Mots recherchés")).to_have_value("<img src=x onerror=alert(1)>")
    assert_accessible(page)
