"""Personal data, as a visitor lives it (issue 24): following a cité only enrols in that cité
only (a webinar announcement sent afterwards does not reach her), and requests beyond the
per-address limit are each answered in words."""

import re

import pytest
from playwright.sync_api import expect

from mailing.models import Campaign, Subscriber
from tests.e2e.sites import build_cites

pytestmark = pytest.mark.e2e


def confirmation_link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/lettre/confirmation/\S+/", text).group(0)


def test_following_a_cite_only_brings_no_webinar_announcement(
    live_server, site_home, letter, ses, immediate_tasks, settings, browser
):
    from mailing.delivery import run_batch, start_campaign
    from mailing.delivery.campaigns import Segment, create_campaign
    from tests.mailing.conftest import make_subscribers

    settings.SITE_URL = live_server.url
    settings.MAILING_MAX_SEND_RATE = 0
    email = "suit-une-cite@example.org"
    [cite] = build_cites(site_home, count=1).cities

    visitor = browser.new_context()
    page = visitor.new_page()
    page.goto(f"{live_server.url}{cite.url}")
    follow = page.locator("section.follow-cite")
    follow.get_by_label("Adresse électronique").fill(email)
    follow.get_by_role("button", name="Suivre cette cité").click()
    expect(page).to_have_url(re.compile(r"/commencer/$"))  # the address is not in the URL
    expect(page.get_by_label(re.compile("annonces des webinaires"))).not_to_be_checked()
    expect(page.get_by_label(re.compile("Recevoir aussi la lettre"))).not_to_be_checked()
    page.get_by_label(re.compile("J’accepte de recevoir par courriel les nouveautés")).check()
    page.locator("main").get_by_role("button", name="Suivre cette cité").click()
    expect(page.locator("h1")).to_have_text("Vérifiez votre messagerie")
    [mail] = ses.messages()
    page.goto(confirmation_link(mail))
    page.get_by_role("button", name="Je confirme mon abonnement").click()
    expect(page.locator("h1")).to_have_text("Abonnement confirmé")
    received = page.locator("ul.received-lists li")
    expect(received).to_have_count(1)
    expect(received).to_contain_text(cite.title)
    expect(page.locator("main")).not_to_contain_text("prochain numéro")
    visitor.close()
    subscriber = Subscriber.objects.get(email=email)
    assert (subscriber.newsletter, subscriber.webinar_announcements) == (False, False)

    # The team sends a webinar announcement: someone who chose announcements gets it, not her.
    [wants] = make_subscribers(1, prefix="annonces", webinar_announcements=True)
    campaign = create_campaign(letter, Segment(webinar_announcement=True))
    start_campaign(campaign)
    while run_batch(campaign.pk, enqueue_next=False).claimed:
        pass
    sent_to = {m["To"] for m in ses.messages() if m["Subject"] == campaign.subject}
    assert wants.email in sent_to
    assert email not in sent_to
    assert Campaign.objects.get(pk=campaign.pk).recipient_count == 1


def test_four_requests_in_a_row_are_each_answered_in_words(
    live_server, site_home, ses, immediate_tasks, settings, page
):
    settings.SITE_URL = live_server.url
    settings.MAILING_SUBSCRIBE_RATE_PER_EMAIL = "2/h"
    email = "quatre-fois@example.org"
    answers = []
    for _ in range(4):
        page.goto(live_server.url + "/")
        footer = page.get_by_role("contentinfo")
        footer.get_by_label("Recevoir la lettre d’information (courriel)").fill(email)
        footer.get_by_role("button", name="S’abonner").click()
        expect(page).to_have_url(f"{live_server.url}/lettre/abonnement/commencer/")
        page.get_by_label(re.compile("J’accepte de recevoir par courriel la lettre")).check()
        page.locator("main").get_by_role("button", name="S’abonner").click()
        answers.append(page.locator("main .lead").inner_text())
    assert all(answers), answers
    assert answers[0].startswith("Merci") and answers[1].startswith("Merci")
    for limited in answers[2:]:
        assert re.search(
            r"Un message a déjà été envoyé à cette adresse il y a moins de 60\s+minutes\s*; "
            r"vérifiez vos courriers indésirables",
            limited.replace("\u2019", "'"),
        ), limited
    assert len([m for m in ses.messages() if m["To"] == email]) == 2
