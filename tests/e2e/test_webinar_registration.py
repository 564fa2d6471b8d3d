"""A visitor registers for a webinar on a phone, gets the confirmation with its .ics (SES as
moto captured it), cancels and registers again through the mail's links, then gets the
reminders (the scheduled job run with the clock moved) and, once published, the replay."""

import datetime
import re
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from webinar_registrations.models import Registration
from webinar_registrations.registrations import send_reminders, send_replays

pytestmark = pytest.mark.e2e

EMAIL = "nadia.webinaire@example.org"


@pytest.fixture
def webinar(transactional_db, home_page):
    from django.utils import timezone

    from tests.factories import WebinarIndexPageFactory, WebinarPageFactory

    start = (timezone.now() + datetime.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    return WebinarPageFactory(
        parent=WebinarIndexPageFactory(parent=home_page),
        title="Habiter une cité rénovée",
        start=start,
        end=start + datetime.timedelta(hours=2),
    )


def mails_to(ses, subject_start: str) -> list:
    return [
        m
        for m in ses.messages()
        if m["To"] == EMAIL and str(m["Subject"]).strip().startswith(subject_start)
    ]


def text_of(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def cancel_link(mail) -> str:
    return re.search(r"http\S+/webinaires/inscription/annuler/\S+/", text_of(mail)).group(0)


def fill_form(page, email: str) -> None:
    main = page.locator("main")
    main.get_by_label("Prénom et nom").fill("Nadia Benali")
    main.get_by_label("Adresse électronique").fill(email)
    main.get_by_label("Organisation (facultatif)").fill("Ville de Rouvroy")
    main.get_by_label("Vous êtes").select_option("elu")


def test_register_receive_the_ics_cancel_register_again_reminders_and_replay(
    live_server, webinar, ses, immediate_tasks, settings, browser
):
    from django.core.cache import cache

    cache.clear()  # rate-limit counters
    settings.SITE_URL = live_server.url  # links in mails point at this test server
    context = browser.new_context(viewport={"width": 320, "height": 720})
    page = context.new_page()

    page.goto(f"{live_server.url}{webinar.url}")
    page.get_by_role("link", name=re.compile("S[’']inscrire au webinaire")).click()
    expect(page.locator("h1")).to_have_text("S’inscrire au webinaire")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

    # A mistake first: the error summary gets the focus, in French.
    fill_form(page, "nadia@exemple")
    page.locator("main").get_by_role("button", name="M’inscrire").click()
    summary = page.locator("[role=alert]")
    expect(summary).to_contain_text("Saisissez une adresse électronique valide")
    expect(summary).to_be_focused()
    assert_accessible(page)

    page.locator("main").get_by_label("Adresse électronique").fill(EMAIL)
    page.locator("main").get_by_role("button", name="M’inscrire").click()
    expect(page.locator("h1")).to_have_text("Vérifiez votre messagerie")
    assert_accessible(page)

    [confirmation] = mails_to(ses, "Inscription confirmée")
    [attachment] = list(confirmation.iter_attachments())
    assert attachment.get_filename() == f"{webinar.slug}.ics"
    [event] = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert str(event["summary"]) == "Habiter une cité rénovée"
    assert event.decoded("dtstart") == webinar.start
    assert event.decoded("dtend") == webinar.end

    # The personal cancel link: a button first (opening the link changes nothing).
    page.goto(cancel_link(confirmation))
    expect(page.locator("h1")).to_have_text("Annuler mon inscription")
    assert_accessible(page)
    assert Registration.objects.get(email=EMAIL).status == "registered"
    page.get_by_role("button", name="J’annule mon inscription").click()
    expect(page.locator("h1")).to_have_text("Inscription annulée")
    assert Registration.objects.get(email=EMAIL).status == "cancelled"

    # She changes her mind: registering again is allowed, with a new cancel link.
    page.goto(f"{live_server.url}{webinar.url}")
    page.get_by_role("link", name=re.compile("S[’']inscrire au webinaire")).click()
    fill_form(page, EMAIL)
    page.locator("main").get_by_role("button", name="M’inscrire").click()
    expect(page.locator("h1")).to_have_text("Vérifiez votre messagerie")
    assert Registration.objects.get(email=EMAIL).status == "registered"
    first, second = mails_to(ses, "Inscription confirmée")
    assert cancel_link(second) != cancel_link(first)

    # The scheduler's job, with the clock moved to the day before, then to the hour before.
    send_reminders(now=webinar.start - datetime.timedelta(hours=23))
    send_reminders(now=webinar.start - datetime.timedelta(hours=23))  # a second run: no repeat
    [day] = mails_to(ses, "Rappel")
    assert "demain" in str(day["Subject"])
    assert cancel_link(day) == cancel_link(second)
    send_reminders(now=webinar.start - datetime.timedelta(minutes=50))
    assert len(mails_to(ses, "Rappel")) == 2
    assert "dans une heure" in str(mails_to(ses, "Rappel")[1]["Subject"])

    # After the webinar: nothing until the replay is published, then its link.
    after = webinar.end + datetime.timedelta(hours=2)
    assert send_replays(now=after) == 0
    webinar.replay = [
        {
            "type": "video",
            "value": {"video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Replay"},
        }
    ]
    webinar.save_revision().publish()
    assert send_replays(now=after) == 1
    [replay] = mails_to(ses, "Le replay est en ligne")
    link = re.search(rf"{re.escape(live_server.url)}/\S+", text_of(replay)).group(0)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Habiter une cité rénovée")
    context.close()


def test_staff_see_the_counts_mark_attendance_and_export(
    live_server, webinar, admin_login, ses, page
):
    from webinar_registrations import registrations

    registrations.set_capacity(webinar, capacity=1, open=True)
    for email in ("a@example.org", "b@example.org"):
        registrations.register(webinar, email=email, name=email[0].upper(), profile="bailleur")

    admin_login(page)
    page.goto(f"{live_server.url}/admin/pages/{webinar.pk}/edit/")
    # The webinar's edit page links to its registrants (in the header's « more » menu).
    page.locator("#w-slim-header-buttons [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("link", name="Inscrits", exact=True).click()
    expect(page.locator("#counts")).to_contain_text("Inscrits : 1 sur 1 places")
    expect(page.locator("#counts")).to_contain_text("Liste d'attente : 1")

    registered = Registration.objects.get(email="a@example.org")
    page.get_by_label("A présent").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.locator("#counts")).to_contain_text("Présents : 1")
    registered.refresh_from_db()
    assert registered.attended

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter les inscrits (CSV)").click()
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert body.splitlines()[0].startswith("nom;email;organisation;profil;statut")
    assert "a@example.org" in body and "b@example.org" in body
