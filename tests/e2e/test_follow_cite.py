"""A visitor follows a cité from its profile, confirms through the mail SES captured, receives
one alert when a news item about it is published (none for another cité), then changes her
preferences from the link of that mail, in separate cookieless browsers."""

import re

import pytest
from playwright.sync_api import expect

from mailing.models import Campaign, PreferenceChange, Subscriber
from tests.e2e.axe import assert_accessible
from tests.e2e.sites import build_cites, news_about

pytestmark = pytest.mark.e2e

EMAIL = "residente.e2e@example.org"


def run_scheduled_job(name: str):
    """The job as the scheduler runs it (mailing/schedule.py), not a shortcut."""
    from renouveau.scheduler import discover_jobs

    [job] = [job for job in discover_jobs() if job.name == name]
    return job.func()


def test_follow_a_cite_receive_one_alert_and_change_preferences(
    live_server, site_home, ses, immediate_tasks, settings, browser
):
    from mailing.delivery import run_batch
    from renouveau.mail_layout import la_cite

    settings.SITE_URL = live_server.url
    settings.MAILING_MAX_SEND_RATE = 0
    cite, other = build_cites(site_home, count=2).cities

    visitor = browser.new_context(viewport={"width": 320, "height": 720})
    page = visitor.new_page()
    page.goto(f"{live_server.url}{cite.url}")
    follow = page.locator("section.follow-cite")
    expect(follow.get_by_role("heading", name="Suivre cette cité")).to_be_visible()
    follow.get_by_label("Adresse électronique").fill(EMAIL)
    follow.get_by_role("button", name="Suivre cette cité").click()
    expect(page.locator("h1")).to_have_text(f"Suivre la cité {cite.title}")
    expect(page.locator("main").get_by_label("Adresse électronique")).to_have_value(EMAIL)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    page.get_by_label(re.compile("J’accepte de recevoir par courriel les nouveautés")).check()
    page.locator("main").get_by_role("button", name="Suivre cette cité").click()
    expect(page.locator("h1")).to_have_text("Vérifiez votre messagerie")

    [mail] = ses.messages()
    assert mail["Subject"] == f"Confirmez le suivi de {la_cite(cite.title)}"
    link = re.search(
        r"https?://\S+/lettre/confirmation/\S+/", mail.get_body(("plain",)).get_content()
    )
    page.goto(link.group(0))
    page.get_by_role("button", name="Je confirme mon abonnement").click()
    expect(page.locator("h1")).to_have_text("Abonnement confirmé")
    visitor.close()
    subscriber = Subscriber.objects.get(email=EMAIL)
    assert subscriber.status == "confirmed" and list(subscriber.cites.all()) == [cite]

    # Two news items are published, one about her cité, one about another.
    ses.reset()
    ses.verify_sender("contact@renouveaubassinminier.fr")
    news_about(site_home, cite, "Les échafaudages arrivent")
    news_about(site_home, other, "Fête de quartier ailleurs")
    run_scheduled_job("mailing-cite-alerts")
    for campaign in Campaign.objects.filter(kind=Campaign.Kind.CITE_ALERT):
        while run_batch(campaign.pk, enqueue_next=False).claimed:
            pass
    mails = [m for m in ses.messages() if m["To"] == EMAIL]
    assert len(mails) == 1  # one alert, for her cité only
    [alert] = mails
    html = alert.get_body(("html",)).get_content()
    assert "Les échafaudages arrivent" in html
    assert "Fête de quartier ailleurs" not in html

    # From the alert's own link, in another cookieless browser: her preferences.
    manage = re.search(r'href="([^"]+)"[^>]*>Gérer mes abonnements ou me désabonner', html)
    reader = browser.new_context()
    page = reader.new_page()
    page.goto(manage.group(1))
    expect(page.locator("h1")).to_have_text("Se désabonner ou gérer vos abonnements")
    page.get_by_role("link", name=re.compile("Choisir ce que je reçois")).click()
    expect(page.locator("h1")).to_have_text("Mes abonnements")
    assert_accessible(page)
    expect(page.get_by_label(cite.title, exact=True)).to_be_checked()
    page.get_by_role("checkbox", name=re.compile("Recevoir la lettre d.information")).check()
    page.get_by_label(other.title, exact=True).check()
    page.get_by_label(cite.title, exact=True).uncheck()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_role("status")).to_contain_text("Vos choix sont enregistrés.")
    assert_accessible(page)
    reader.close()

    subscriber.refresh_from_db()
    assert subscriber.newsletter is True
    assert list(subscriber.cites.all()) == [other]
    change = PreferenceChange.objects.get(subscriber=subscriber)
    assert change.changes["cites"] == {"avant": [cite.title], "après": [other.title]}
