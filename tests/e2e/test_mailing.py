"""A visitor subscribes, confirms through the link in the mail SES captured, receives an issue
and unsubscribes in one click, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from mailing.models import Subscriber
from tests.e2e.axe import assert_accessible
from tests.factories import CommuneFactory

pytestmark = pytest.mark.e2e

EMAIL = "nadia.e2e@example.org"


def test_subscribe_confirm_receive_and_unsubscribe_in_one_click(
    live_server, letter, ses, immediate_tasks, settings, browser
):
    CommuneFactory(name="Berle")
    settings.SITE_URL = live_server.url  # links in mails point at this test server
    settings.MAILING_MAX_SEND_RATE = 0
    context = browser.new_context(viewport={"width": 320, "height": 720})
    page = context.new_page()

    page.goto(f"{live_server.url}/lettre/abonnement/")
    expect(page.locator("h1")).to_have_text("S’abonner à la lettre d’information")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

    # A mistake first: a clear French message, focus-reachable from the error summary.
    page.locator("main").get_by_label("Adresse électronique").fill("nadia@exemple")
    page.locator("main").get_by_role("button", name="S’abonner").click()
    expect(page.locator("[role=alert]")).to_contain_text("Cochez la case")
    assert_accessible(page)

    page.locator("main").get_by_label("Adresse électronique").fill("nadia.e2e@example.org")
    page.get_by_label("Vous êtes (facultatif)").select_option("habitant")
    page.get_by_label("Berle").check()
    page.get_by_label(re.compile("J’accepte de recevoir")).check()
    page.locator("main").get_by_role("button", name="S’abonner").click()
    expect(page.locator("h1")).to_have_text("Vérifiez votre messagerie")
    assert_accessible(page)

    [mail] = ses.messages()
    assert mail["To"] == "nadia.e2e@example.org"
    link = re.search(r"http\S+/lettre/confirmation/\S+/", mail.get_body(("plain",)).get_content())
    page.goto(link.group(0))
    expect(page.locator("h1")).to_have_text("Confirmer votre abonnement")
    assert Subscriber.objects.get(email=EMAIL).status == "pending"  # opening the link is not enough
    page.get_by_role("button", name="Je confirme mon abonnement").click()
    expect(page.locator("h1")).to_have_text("Abonnement confirmé")
    assert_accessible(page)
    assert Subscriber.objects.get(email=EMAIL).status == "confirmed"

    # The next issue reaches her, with her own one-click unsubscribe link.
    from mailing.delivery import Segment, create_campaign, run_batch, start_campaign

    ses.reset()
    ses.verify_sender("contact@renouveaubassinminier.fr")
    campaign = create_campaign(letter, Segment())
    start_campaign(campaign)
    run_batch(campaign.pk, enqueue_next=False)
    [issue_mail] = [m for m in ses.messages() if m["To"] == EMAIL]
    unsubscribe = issue_mail["List-Unsubscribe"].split(",")[0].strip(" <>")
    assert unsubscribe.startswith(live_server.url)
    html = issue_mail.get_body(("html",)).get_content()
    assert unsubscribe in html

    page.goto(unsubscribe)
    expect(page.locator("h1")).to_have_text("Se désabonner ou gérer vos abonnements")
    assert_accessible(page)
    assert Subscriber.objects.get(email=EMAIL).status == "confirmed"
    page.get_by_role("button", name="Me désabonner").click()
    expect(page.locator("h1")).to_have_text("Désabonnement enregistré")
    assert Subscriber.objects.get(email=EMAIL).status == "unsubscribed"
    context.close()


def test_the_archive_form_is_accessible_on_a_phone(live_server, letter, browser):
    context = browser.new_context(viewport={"width": 320, "height": 720})
    page = context.new_page()
    page.goto(f"{live_server.url}/lettre/")
    expect(page.get_by_role("heading", name="S’abonner à la lettre")).to_be_visible()
    expect(page.locator("main").get_by_label("Adresse électronique")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    # Keyboard: the field shows where the focus is.
    page.locator("main").get_by_label("Adresse électronique").focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    context.close()
