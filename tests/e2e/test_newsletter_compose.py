"""Issue 14, items 2, 3 and 9 in the browser: an editor composes N°3 from scratch in the Wagtail
admin (the « date de parution » already today's), adds a cité through the page chooser, and tests
it before any publication; the test that reaches the mailbox has the letter's banner, the cité's
chapô, the preheader's spacer, and says that its links lead to draft previews."""

import datetime
import re
from email import message_from_bytes, policy
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from newsletter.models import FRENCH_MONTHS, NewsletterIssuePage
from tests.e2e.sites import build_cites, index_for_search
from tests.factories import NewsletterIndexPageFactory

pytestmark = pytest.mark.e2e


def test_a_new_issue_is_composed_and_tested_before_its_publication(
    live_server, site_home, admin_login, page, ses, browser, settings
):
    settings.SITE_URL = live_server.url  # the mail's links lead to this server
    index = NewsletterIndexPageFactory(parent=site_home)
    # Two cités whose titles share words: the chooser's search must find the right one.
    city, _ = build_cites(site_home, count=2).cities
    index_for_search()
    admin_login(page)
    page.goto(f"{live_server.url}/admin/pages/add/newsletter/newsletterissuepage/{index.pk}/")
    today = datetime.datetime.now(ZoneInfo("Europe/Paris")).date()
    expect(page.get_by_label("Date de parution")).to_have_value(today.isoformat())
    page.locator("#id_title").fill("Renouveau du Bassin Minier N°3")
    page.get_by_label("Numéro").fill("3")
    page.get_by_label("Texte d'aperçu").fill("Une cité à la une, avant publication.")
    # The slug follows the title by script, once the title field is left: set it, so that a
    # slow machine cannot save before (Wagtail would refuse an empty slug).
    page.locator("#id_slug").evaluate("e => { e.value = 'n3'; }")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    # Saved, the editor lands on the new page's edit view; refused, the form says why.
    try:
        page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=30_000)
    except PlaywrightTimeoutError:
        errors = page.locator(".messages, .error-message, [id$='-errors']").all_inner_texts()
        pytest.fail(f"the new issue was not saved: {errors}")
    issue = NewsletterIssuePage.objects.get(number=3)
    assert not issue.live

    # A cité chosen with Wagtail's page chooser (searched by its name in the modal) becomes a
    # teaser at the end of the draft.
    page.goto(f"{live_server.url}/admin/lettre/{issue.pk}/ajouter-des-pages/")
    page.locator("#id_page_1-chooser").get_by_role("button", name="Choisissez une page").click()
    modal = page.locator(".modal")
    modal.locator("#id_q").fill(city.title)
    # Exactly its title: a search may also find pages whose title contains it, in any order.
    modal.get_by_role("link", name=city.title, exact=True).first.click()
    expect(page.locator("#id_page_1")).to_have_value(str(city.pk))
    page.get_by_role("button", name=re.compile("Ajouter à la lettre")).click()
    expect(page.locator(".messages")).to_contain_text("1 page(s) ajoutée(s)")

    page.goto(f"{live_server.url}/admin/lettre/{issue.pk}/envoyer-un-test/")
    page.get_by_label("Adresses de test").fill("redaction@example.org")
    page.get_by_role("button", name="Envoyer le test").click()
    expect(page.locator(".messages")).to_contain_text("envoyé à redaction@example.org")

    [raw] = ses.raw_messages()
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"].strip() == "Renouveau du Bassin Minier N°3"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    # The preheader, then invisible characters so that phones do not run on into the body.
    hidden = unescape(re.search(r'<div style="display:none[^>]*>(.*?)</div>', html, re.S)[1])
    assert hidden.startswith("Une cité à la une, avant publication.")
    assert hidden.count("\u200c") >= 50

    # The mail as the editor opens it, on a phone, in a browser that is not logged in.
    reader = browser.new_context(viewport={"width": 375, "height": 800})
    mail = reader.new_page()
    mail.set_content(html)
    month = FRENCH_MONTHS[today.month - 1]
    expect(mail.get_by_text(f"{month.upper()} {today.year}. N°3")).to_be_visible()
    expect(mail.get_by_text(city.intro[:60])).to_be_visible()
    notice = mail.get_by_text("Envoi de test")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Renouveau du Bassin Minier N°3 (version en ligne)")
    assert mail.evaluate("document.documentElement.scrollWidth") <= 375
    # Its web version leads (through a counted link) to the draft's preview, which asks a
    # visitor who is not logged in to log in.
    mail.get_by_role("link", name="Lire cette lettre dans votre navigateur").click()
    mail.wait_for_url(re.compile(r"/admin/login/"))
    assert f"/admin/pages/{issue.pk}/view_draft/" in unescape(mail.url.replace("%2F", "/"))
    assert city.intro[:60] in text.replace("\n", " ")
    reader.close()
