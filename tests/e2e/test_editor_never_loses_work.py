"""Issue 23 in a real browser: an editor uploads an image without alt text (the upload window
marks it optional) in a newsletter issue and in a cité page. Saving used to answer 500 and lose
blocks; now the French error shows on the field, every block is still there, the editor fixes
it, saves, previews, and (for the issue) sends a test that reaches the mailbox (moto SES)."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest
from PIL import Image as PILImage
from playwright.sync_api import Page, expect

from cites_pages.models import CityPage
from newsletter.models import NewsletterIssuePage
from tests.e2e.sites import build_cites

pytestmark = pytest.mark.e2e

NO_ALT = "Saisissez un texte alternatif : l’image n’a pas de description"
ALT = "Des habitants devant une façade rénovée."


def blocks_of(page: Page, field: str):
    return page.locator(f"[data-contentpath='{field}'] [data-streamfield-child]")


def add_uploaded_image(page: Page, field: str, path, title: str) -> None:
    """Add an « Image » block at the end of `field` and upload a new image into it, leaving
    its description and credit empty."""
    stream = page.locator(f"[data-contentpath='{field}']")
    stream.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name="Image", exact=True).first.click()
    new_block = blocks_of(page, field).last
    new_block.get_by_role("button", name=re.compile("Choisir une image")).click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Transférer").click()
    modal.locator("#id_image-chooser-upload-title").fill(title)
    modal.locator("#id_image-chooser-upload-file").set_input_files(str(path))
    modal.locator("form button[type=submit]").last.click()
    expect(modal).to_be_hidden(timeout=20_000)


def save_draft(page: Page) -> None:
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state("load")


def refused_then_fixed(page: Page, field: str, image_path, title: str) -> None:
    count = blocks_of(page, field).count()
    add_uploaded_image(page, field, image_path, title)
    save_draft(page)
    # Refused in French on the field, nothing lost: every block is still there.
    expect(page.get_by_text(NO_ALT).first).to_be_visible(timeout=20_000)
    expect(blocks_of(page, field)).to_have_count(count + 1)
    new_block = blocks_of(page, field).last
    new_block.get_by_label("Texte alternatif").fill(ALT)
    new_block.get_by_label("Crédit").fill("Ville de Vicq")
    save_draft(page)
    expect(page.locator(".messages")).to_contain_text("a été mise à jour", timeout=20_000)
    expect(blocks_of(page, field)).to_have_count(count + 1)


@pytest.fixture
def photos(tmp_path):
    """Two new photos (the same file twice would be offered as a duplicate)."""
    paths = []
    for n, colour in enumerate(("#7a9a3b", "#9a3b7a")):
        paths.append(tmp_path / f"facade-{n}.png")
        PILImage.new("RGB", (800, 500), colour).save(paths[-1])
    return paths


def test_an_image_without_alt_text_loses_nothing_in_an_issue_and_a_cite(
    live_server, letter, site_home, admin_login, page, ses, settings, photos
):
    build_cites(site_home, count=1)  # the first has a timeline, a video and a photo
    settings.SITE_URL = live_server.url
    page.set_default_timeout(20_000)
    admin_login(page)

    issue = letter
    page.goto(f"{live_server.url}/admin/pages/{issue.pk}/edit/")
    refused_then_fixed(page, "body", photos[0], "Façade de la cité")
    saved = NewsletterIssuePage.objects.get(pk=issue.pk).get_latest_revision().as_object()
    assert len(saved.body) == len(issue.body) + 1
    assert saved.body[-1].value["alt_text"] == ALT

    # The preview shows it with its alt text; the test reaches the mailbox with it.
    page.goto(f"{live_server.url}/admin/pages/{issue.pk}/view_draft/")
    expect(page.locator(f"img[alt='{ALT}']").first).to_be_attached()
    page.goto(f"{live_server.url}/admin/lettre/{issue.pk}/envoyer-un-test/")
    page.get_by_label("Adresses de test").fill("redaction@example.org")
    page.get_by_role("button", name="Envoyer le test").click()
    expect(page.locator(".messages")).to_contain_text("envoyé à redaction@example.org")
    [raw] = ses.raw_messages()
    html = message_from_bytes(raw, policy=policy.default).get_body(("html",)).get_content()
    assert "façade rénovée" in html

    cite = CityPage.objects.live().order_by("title").first()
    page.goto(f"{live_server.url}/admin/pages/{cite.pk}/edit/")
    refused_then_fixed(page, "body", photos[1], "Façade de la cité, bis")
    saved = CityPage.objects.get(pk=cite.pk).get_latest_revision().as_object()
    assert len(saved.body) == len(cite.body) + 1
    page.goto(f"{live_server.url}/admin/pages/{cite.pk}/view_draft/")
    expect(page.locator(f"img[alt='{ALT}']").first).to_be_attached()
