"""A visitor requests a document sent on request, opens the link from the mail and downloads the
file; the same link is refused once expired."""

import re
import time

import pytest
from django.core import signing
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.sites import ON_REQUEST_TITLE, build_library

pytestmark = pytest.mark.e2e

TITLE = ON_REQUEST_TITLE
SHOWN_TITLE = TITLE.replace("'", "’")  # as the site typesets it


@pytest.fixture
def library(site_home):
    """« Ressources » with a document on request and a public presentation."""
    return build_library(site_home)


def test_a_visitor_requests_and_downloads_a_document_on_request(
    live_server, library, page, ses, settings, monkeypatch, tmp_path
):
    settings.SITE_URL = live_server.url  # links in mails point at the test server
    page.goto(f"{live_server.url}/ressources/")
    assert_accessible(page)
    item = page.locator(".library-item", has=page.get_by_role("heading", name=SHOWN_TITLE))
    item.get_by_role("link", name="Demander ce document").click()

    expect(page.locator("h1")).to_contain_text(SHOWN_TITLE)
    newsletter = page.get_by_label("Je souhaite aussi recevoir la lettre")
    expect(newsletter).not_to_be_checked()
    # Submitting empty: French messages next to the fields.
    page.get_by_role("button", name="Recevoir le lien par e-mail").click()
    expect(page.get_by_role("alert")).to_contain_text("erreur")
    expect(page.locator("#id_email_error")).to_have_text("Indiquez votre adresse e\u2011mail.")
    expect(page).to_have_title(re.compile("^Erreur"))
    expect(page.locator("#erreurs")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Nom et prénom").fill("Jeanne Martin")
    page.get_by_label("Adresse e\u2011mail").fill("jeanne.martin@example.org")
    page.get_by_label("Vous êtes").select_option("habitant")
    page.get_by_label("Usage prévu du document").fill("Préparer la réunion du conseil citoyen")
    page.get_by_label("J’accepte que mes coordonnées").check()
    page.get_by_role("button", name="Recevoir le lien par e-mail").click()
    expect(page.locator("h1")).to_have_text("Demande enregistrée")
    assert_accessible(page)

    [mail] = ses.messages()
    assert mail["To"] == "jeanne.martin@example.org"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http\S+/ressources/telecharger/\S+/", text).group(0)
    assert link.startswith(live_server.url)

    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Télécharger")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger le document").click()
    saved = tmp_path / "referentiel.pdf"
    download_info.value.save_as(saved)
    document = library["on_request"]
    with document.open_file() as f:
        assert saved.read_bytes() == f.read()
    assert saved.read_bytes().startswith(b"%PDF-")

    # Eight days later, the same link is refused with a way to ask again.
    later = time.time() + 8 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = page.goto(link)
    assert response.status == 410
    expect(page.locator("h1")).to_have_text("Ce lien a expiré")
    expect(page.get_by_role("link", name="Demander à nouveau un document")).to_be_visible()
    assert_accessible(page)


def test_library_and_request_form_fit_a_phone(live_server, library, browser):
    referentiel = library["on_request"]
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in (
        "/ressources/",
        "/ressources/?type=presentation",
        f"/ressources/demande/{referentiel.pk}/",
        "/ressources/telecharger/lien-invalide/",
        referentiel.url,
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        assert_accessible(page)
    # The filters work without JavaScript: a plain GET form.
    page.goto(live_server.url + "/ressources/")
    page.get_by_label("Type de document").select_option("presentation")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"type=presentation"))
    expect(page.locator(".library-item")).to_have_count(1)
    context.close()
