"""A visitor searches the site in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.sites import build_cites, index_for_search, news_index
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory, NewsPageFactory

pytestmark = pytest.mark.e2e

CASE_STUDY = "Jardin partagé, cité des Acacias à Berlaimont"


@pytest.fixture
def searchable(site_home):
    """A cité, a case study about it whose text says « réhabilitation » (not « rénovation »),
    and a news item about « rénovation » elsewhere, all in the search index."""
    cites = build_cites(site_home, count=1)
    CaseStudyPageFactory(
        parent=CaseStudyIndexPageFactory(parent=site_home),
        title=CASE_STUDY,
        intro="La réhabilitation d'une friche en jardin, à la demande des habitants.",
        cities=cites.cities,
    )
    NewsPageFactory(
        parent=news_index(site_home),
        title="La rénovation avance",
        lead="Le chantier de rénovation des toitures avance.",
    )
    index_for_search()


def test_a_visitor_searches_and_reaches_the_case_study(live_server, searchable, page):
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Rechercher sur le site").fill("rénovation Berlaimont")
    page.get_by_role("search").get_by_role("button", name="Rechercher").first.click()

    expect(page).to_have_url(re.compile(r"/recherche/\?q=r%C3%A9novation\+Berlaimont$"))
    expect(page.locator("h1")).to_have_text("Rechercher sur le site")
    expect(page.get_by_role("status")).to_contain_text("pour «\u00a0rénovation Berlaimont\u00a0»")
    # "réhabilitation" in the text counts as "rénovation": the case study has every word (the
    # news item, « rénovation » without « Berlaimont », is left out); both words highlighted.
    expect(page.get_by_role("status")).not_to_contain_text("Aucune page ne contient tous")
    expect(page.locator(".search-result")).to_have_count(1)
    first = page.locator(".search-result").first
    expect(first.locator(".tag")).to_have_text("Retour d’expérience")
    expect(first.locator("mark").first).to_be_visible()
    assert_accessible(page)

    first.get_by_role("link", name=CASE_STUDY).click()
    expect(page.locator("h1")).to_have_text(CASE_STUDY)
    assert csp_errors == []


def test_autocomplete_suggests_titles_and_the_form_works_without_javascript(
    live_server, searchable, page, browser
):
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/recherche/")
    page.get_by_label("Mots recherchés").fill("Berlai")
    options = page.locator("#search-suggestions option")
    expect(options.first).to_have_attribute("value", CASE_STUDY)
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


def test_hostile_queries_are_shown_back_as_text(live_server, searchable, page):
    page.goto(
        live_server.url
        + "/recherche/?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E%00%E2%80%AE&type=x&commune=y"
    )
    expect(page.get_by_role("status")).to_contain_text("ce filtre a été ignoré")
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(page.get_by_label("Mots recherchés")).to_have_value("<img src=x onerror=alert(1)>")
    assert_accessible(page)
