"""Issue 32: the communes of a segment's form (« Lettre : abonnés › Segments ») get a filter box
with JavaScript: typing (accents and case aside) shows the matching communes, says how many in
a live region, keeps the ticks of the hidden ones and submits them; without JavaScript the list
is shown whole, as before."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.factories import CommuneFactory

pytestmark = pytest.mark.e2e

NAMES = [
    "Avion",
    "Billy-Montigny",
    "Évin-Malmaison",
    "Hénin-Beaumont",
    "Lens",
    "Liévin",
    "Loos-en-Gohelle",
    "Méricourt",
    "Noyelles-Godault",
    "Oignies",
    "Rouvroy",
    "Sallaumines",
]


@pytest.fixture
def communes(transactional_db):
    return {
        name: CommuneFactory(name=name, insee_code=f"62{index:03d}", department="62")
        for index, name in enumerate(NAMES)
    }


def boxes(page):
    return page.locator("#id_communes input[type=checkbox]")


def test_an_editor_filters_the_communes_and_keeps_what_she_ticked(
    live_server, communes, editor, admin_login, page, csp_errors
):
    from mailing.models import SavedSegment

    admin_login(page)
    page.goto(f"{live_server.url}/admin/mailing/segments/create/")
    search = page.get_by_label("Filtrer les communes")
    status = page.locator("#id_communes_filter_status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("12\u00a0communes affichées.")
    page.get_by_role("checkbox", name="Avion").check()

    # Case and accents aside; the ticked commune hidden by the filter stays ticked.
    search.fill("EVIN")
    expect(boxes(page).locator("visible=true")).to_have_count(2)  # Évin-Malmaison, Liévin
    expect(page.get_by_role("checkbox", name="Avion")).to_be_hidden()
    expect(status).to_have_text(
        "2\u00a0communes affichées (1\u00a0cochée masquée, toujours retenue)."
    )
    search.fill("henin beaumont")
    expect(status).to_have_text(
        "1\u00a0commune affichée (1\u00a0cochée masquée, toujours retenue)."
    )
    # Keyboard: Enter does not save (the form's first button is « Compter », which the count's
    # script answers in place); Tab leads to the one commune shown, Space ticks it.
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/mailing/segments/create/$"))
    expect(search).to_have_value("henin beaumont")  # not posted and reloaded
    search.press("Tab")
    expect(page.get_by_role("checkbox", name="Hénin-Beaumont")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Hénin-Beaumont")).to_be_checked()
    search.fill("zzz")
    expect(status).to_have_text(
        "Aucune commune ne correspond (2\u00a0cochées masquées, toujours retenues)."
    )
    search.fill("")
    expect(boxes(page).locator("visible=true")).to_have_count(len(NAMES))
    expect(page.get_by_role("checkbox", name="Avion")).to_be_checked()
    search.fill("mont")  # Billy-Montigny, Hénin-Beaumont: Avion hidden again when saving
    assert_accessible(page)

    page.get_by_role("textbox", name=re.compile("Nom du segment")).fill("Avion et Hénin")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("Avion et Hénin")
    segment = SavedSegment.objects.get(name="Avion et Hénin")
    assert {c.name for c in segment.communes.all()} == {"Avion", "Hénin-Beaumont"}
    assert csp_errors == []


def test_without_javascript_the_list_is_whole(
    live_server, communes, editor, admin_login, page, browser
):
    admin_login(page)  # the session, then a browser without JavaScript that carries it
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    context.add_cookies(page.context.cookies())
    bare = context.new_page()
    bare.goto(f"{live_server.url}/admin/mailing/segments/create/")
    expect(boxes(bare)).to_have_count(len(NAMES))
    expect(boxes(bare).locator("visible=true")).to_have_count(len(NAMES))
    expect(bare.get_by_label("Filtrer les communes")).to_have_count(0)
    context.close()
