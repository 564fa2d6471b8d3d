"""Newsletter in the browser: a visitor reads the archive; an editor previews N°2 (one block of
each kind, tests/pages.py) as an e-mail and sends a test that arrives at (moto's) SES."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.factories import SiteImageFactory
from tests.pages import block_mark

pytestmark = pytest.mark.e2e


def test_a_visitor_reads_the_archive_and_an_issue_on_a_phone(live_server, letter, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + "/lettre/")
    expect(page.locator("h1")).to_have_text("La lettre")
    page.get_by_role("link", name="N°2 — Juillet 2019").click()
    expect(page.locator("h1")).to_have_text("Renouveau du Bassin Minier N°2 — Juillet 2019")
    expect(page.get_by_text(f"Credit{block_mark('image')}")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    page.get_by_role("link", name="Voir la version e-mail de cette lettre").click()
    expect(page.get_by_text("JUILLET 2019. N°2")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "fr"
    context.close()


def test_an_editor_previews_the_email_and_sends_a_test(live_server, letter, admin_login, page, ses):
    issue = letter
    # Three photos more than its one image block: all of them must give way to their alt text.
    photos = [SiteImageFactory(description=f"Photo n° {n} de la cité") for n in range(3)]
    issue.body = [(b.block_type, b.value) for b in issue.body] + [
        ("image", {"image": photo, "alt_text": "", "caption": "", "credit": ""}) for photo in photos
    ]
    issue.save_revision().publish()
    admin_login(page)
    page.goto(f"{live_server.url}/admin/pages/{issue.pk}/edit/")
    expect(page.get_by_text("Aucun problème détecté")).to_be_attached()

    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("#w-preview-iframe")
    # Switch modes once the first (web) preview has loaded, or the switch may be lost.
    expect(
        preview.get_by_role("link", name="Voir la version e-mail de cette lettre")
    ).to_be_visible(timeout=20_000)
    # Messages of every frame (the preview's and the mail's) reach the page's console.
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.locator("#id_preview_mode").select_option("email")
    # The e-mail mode frames the mail in a sandboxed frame of its own; only the e-mail has an
    # unsubscribe link (the web mode shows the masthead too). The preview reloads asynchronously.
    mail = preview.frame_locator("iframe.light-on")
    unsubscribe = mail.get_by_role("link", name="Se désabonner")
    expect(unsubscribe).to_be_visible(timeout=20_000)
    expect(mail.get_by_text("Lire cette lettre dans votre navigateur")).to_be_visible()
    expect(mail.get_by_text("JUILLET 2019. N°2")).to_be_visible()
    # The mail's inline styles apply: white links on the dark footer, the banner's dark band.
    expect(unsubscribe).to_have_css("color", "rgb(255, 255, 255)")  # retried: frames reload
    banner = mail.get_by_text("JUILLET 2019. N°2")
    band = "e => getComputedStyle(e.closest('[style*=background]')).backgroundColor"
    assert banner.evaluate(band) == "rgb(35, 49, 63)"
    # The width switches, in Wagtail's desktop size: a phone's 375 px, then the mail's 600 px.
    page.locator('input[name="preview-size"][value="desktop"]').check(force=True)
    frame = preview.locator("iframe[sandbox]:visible")
    preview.get_by_text("375 px").click()
    expect(frame).to_have_css("width", "375px")
    preview.get_by_text("600 px").click()
    expect(frame).to_have_css("width", "600px")
    # Dark mode, as a mail client in dark mode shows it: the mail's dark rules apply (the page
    # around the mail turns dark, the footer's links soften).
    color = "e => getComputedStyle(e).color"
    page_colour = "e => getComputedStyle(e.querySelector('.bg-page')).backgroundColor"
    light_link = unsubscribe.evaluate(color)
    assert mail.locator("body").evaluate(page_colour) == "rgb(241, 237, 230)"
    preview.get_by_text("Sombre").click()
    expect(frame).to_have_attribute("title", re.compile(r"\(sombre, images affichées\)"))
    dark = preview.frame_locator("iframe.dark-on")
    assert dark.get_by_role("link", name="Se désabonner").evaluate(color) != light_link
    assert dark.locator("body").evaluate(page_colour) != "rgb(241, 237, 230)"
    # Images blocked: their alt text in their place, nothing loaded.
    preview.get_by_text("Bloquées").click()
    expect(frame).to_have_attribute("title", re.compile(r"\(sombre, images bloquées\)"))
    blocked = preview.frame_locator("iframe.dark-off")
    images = blocked.locator("img")
    assert images.count() > 3
    assert images.evaluate_all("imgs => imgs.filter(i => i.currentSrc).length") == 0
    assert images.evaluate_all("imgs => imgs.filter(i => !i.alt).length") == 0
    preview.get_by_text("Clair").click()
    preview.get_by_text("Affichées").click()
    expect(frame).to_have_attribute("title", re.compile(r"\(clair, images affichées\)"))
    assert violations == []

    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    # The action is both in this menu and in the page header's menu: take the visible one.
    page.locator("a:visible", has_text="Envoyer un test").first.click()
    expect(page.locator("h1")).to_contain_text("Envoyer un test")
    page.get_by_label("Adresses de test").fill("redaction@example.org, elu@example.org")
    page.get_by_role("button", name="Envoyer le test").click()
    expect(page.locator(".messages")).to_contain_text(
        "envoyé à redaction@example.org, elu@example.org"
    )

    messages = ses.messages()
    assert sorted(m["To"] for m in messages) == ["elu@example.org", "redaction@example.org"]
    message = messages[0]
    # The subscribers' mail (item 3 of issue 14): their subject, the one-click headers.
    assert message["Subject"].strip() == "Renouveau du Bassin Minier N°2 — Juillet 2019"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "JUILLET 2019. N°2" in message.get_body(("html",)).get_content()
    assert block_mark("quote") in message.get_body(("plain",)).get_content()
