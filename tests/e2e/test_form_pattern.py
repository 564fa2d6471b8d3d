"""One form pattern on every public form (issue 30 item 5), in a real browser at 320 and 1280 px:
sent empty, each form comes back with « Erreur – » before its title, the focus on one error
summary whose links lead to the fields, the field's own French words (never « Champ requis. »),
the consent error below its checkbox, inputs of one height, and no horizontal scrolling."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.contrib.forms.models import FormSubmission

from tests.e2e.axe import assert_accessible
from tests.e2e.sites import build_cites, build_library, contact_form
from tests.factories import WebinarIndexPageFactory, WebinarPageFactory
from webinar_registrations.registrations import registration_open

pytestmark = pytest.mark.e2e

WIDTHS = (320, 1280)


@pytest.fixture
def public_forms(site_home) -> tuple[str, dict[str, str]]:
    """A cité's address, and the path of every public form of the site by name: what each
    needs is built here (a cité to follow, a document on request, a webinar open for
    registration, the contact page)."""
    [cite] = build_cites(site_home, count=1).cities
    document = build_library(site_home)["on_request"]
    webinar = WebinarPageFactory(parent=WebinarIndexPageFactory(parent=site_home))
    assert registration_open(webinar)
    contact = contact_form(site_home)
    return cite.url, {
        "contact": contact.url,
        "lettre": "/lettre/abonnement/",
        "suivre": f"/lettre/suivre/{cite.pk}/",
        "document": f"/ressources/demande/{document.pk}/",
        "webinaire": f"/webinaires/{webinar.pk}/inscription/",
    }


def submit_empty(page) -> None:
    page.locator("main form[novalidate] button[type=submit]").first.click()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_public_form_answers_errors_the_same_way(live_server, public_forms, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    # The short « Suivre cette cité » form of a cité profile: a real field, not the browser's.
    cite_url, forms = public_forms
    page.goto(live_server.url + cite_url)
    short_field = page.locator("section.follow-cite input[type=email]").bounding_box()
    assert short_field["height"] >= 40, short_field
    for name, path in forms.items():
        page.goto(f"{live_server.url}{path}")
        title = page.title()
        heights = page.evaluate(
            """() => [...document.querySelectorAll('main form input[type=email]')]
                .map(input => input.getBoundingClientRect().height)"""
        )
        assert heights and min(heights) >= 40, (name, heights)  # not the browser's 20 px
        submit_empty(page)

        expect(page).to_have_title(re.compile("^Erreur\u00a0– "))
        assert page.title().removeprefix("Erreur\u00a0– ") == title, name
        summary = page.locator("#erreurs")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("heading")).to_contain_text("Le formulaire contient")
        links = summary.get_by_role("link")
        assert links.count() >= 1, name
        main_text = page.locator("main").inner_text()
        assert "Champ requis" not in main_text and "Ce champ est obligatoire" not in main_text
        for index in range(links.count()):
            target = links.nth(index).get_attribute("href")
            assert page.locator(target).count() == 1, (name, target)
        # The first link leads to its field, which takes the focus.
        first_target = links.first.get_attribute("href")
        links.first.click()
        expect(page.locator(first_target)).to_be_focused()
        # A checkbox's error sits below it, on its own line, not squeezed beside it.
        for box in page.locator("main .form-field--checkbox:has(.form-error)").all():
            box_top = box.locator("input").bounding_box()
            error = box.locator(".form-error").bounding_box()
            assert error["y"] >= box_top["y"] + box_top["height"], name
            assert error["x"] <= box_top["x"] + 1, name
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        assert_accessible(page)
    context.close()


def test_reloading_the_contact_thank_you_page_sends_nothing_again(live_server, site_home, page):
    contact_form(site_home)
    page.goto(f"{live_server.url}/contact/")
    page.get_by_label("Nom").first.fill("Claire Martin")
    page.get_by_label("Adresse électronique").fill("claire@example.org")
    page.get_by_label("Message").fill("Quand commencent les travaux ?")
    for select in page.locator("main form select").all():
        select.select_option(index=1)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=status]")).to_contain_text("Merci")
    assert page.url.endswith("/contact/?envoye=1")
    page.reload()
    expect(page.locator("main [role=status]")).to_contain_text("Merci")
    assert FormSubmission.objects.count() == 1
