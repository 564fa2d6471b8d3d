"""Joining a webinar: the join link and dial-in reach registrants (confirmation, reminders with
the link first, the `.ics`), and nobody else (page, public .ics and feed, search, waiting list)."""

import datetime

import icalendar
import pytest
from django.conf import settings

from webinar_registrations import registrations
from webinar_registrations.models import Registration, RegistrationSettings

pytestmark = pytest.mark.django_db

JOIN = "https://visio.example.org/rejoindre/rbm-8842-secret"
DIAL_IN = "+33 1 70 00 00 00, code 884201"


@pytest.fixture
def joinable(make_webinar):
    title = "Isoler les cités : retours de chantier"
    return make_webinar(title=title, join_url=JOIN, dial_in=DIAL_IN)


def text_of(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def html_of(mail) -> str:
    return mail.get_body(("html",)).get_content()


def ics_parts(mail):
    return [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]


def register(client, webinar, email):
    data = {"name": "Nadia Benali", "email": email, "profile": "elu", "website": ""}
    response = client.post(f"/webinaires/{webinar.pk}/inscription/", data)
    assert response.status_code in (200, 302)


def test_the_join_link_is_never_public(client, joinable):
    page = client.get(joinable.url).content.decode()
    public_ics = client.get(joinable.url + "ical/").content.decode()
    feed = client.get(joinable.get_parent().url + "agenda-ical/").content.decode()
    for public in (page, public_ics, feed):
        assert "rbm-8842-secret" not in public.replace("\r\n ", "")
        assert "884201" not in public
    indexed = {field.field_name for field in type(joinable).get_search_fields()}
    assert "intro" in indexed and not {"join_url", "dial_in"} & indexed
    assert "Isoler les cités" in page and "BEGIN:VEVENT" in public_ics and "BEGIN:VEVENT" in feed


def test_the_confirmation_gives_the_join_link_dial_in_and_a_joinable_ics(
    client, ses, immediate_tasks, joinable
):
    register(client, joinable, "nadia@example.org")
    [mail] = ses.messages()
    assert mail["Auto-Submitted"] == "auto-generated"
    text, html = text_of(mail), html_of(mail)
    assert JOIN in text and DIAL_IN in text
    assert f'href="{JOIN}"' in html and "Rejoindre le webinaire" in html
    [part] = ics_parts(mail)
    assert part.get_param("method") == "PUBLISH"
    event = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    assert str(event["URL"]) == JOIN and str(event["LOCATION"]) == JOIN
    assert "884201" in str(event["DESCRIPTION"])


def test_the_waiting_list_gets_no_way_in(client, ses, immediate_tasks, joinable):
    RegistrationSettings.objects.create(webinar=joinable, capacity=0)
    register(client, joinable, "attente@example.org")
    [mail] = ses.messages()
    assert Registration.objects.get().status == Registration.Status.WAITING
    assert JOIN not in text_of(mail) + html_of(mail) and "884201" not in text_of(mail)


def test_reminders_lead_with_the_join_link(ses, joinable):
    registrations.register(joinable, email="nadia@example.org", name="Nadia", profile="elu")
    page_link = f'href="{settings.SITE_URL}{joinable.url}"'
    hour = datetime.timedelta(hours=1)
    registrations.send_reminders(now=joinable.start - 23 * hour)
    registrations.send_reminders(now=joinable.start - hour / 2)
    reminders = [m for m in ses.messages() if "Rappel" in str(m["Subject"])]
    day, soon = sorted(reminders, key=lambda m: "demain" not in str(m["Subject"]))
    for mail in (day, soon):
        text, html = text_of(mail), html_of(mail)
        # The link comes before the date, the programme and the cancel link.
        assert text.index(JOIN) < text.index("Date") < text.index("/webinaires/inscription/")
        assert html.index(f'href="{JOIN}"') < html.index(page_link)
    assert ics_parts(day) and not ics_parts(soon)


def test_the_public_page_is_unchanged_without_join_link(client, make_webinar):
    webinar = make_webinar(title="Sans lien")
    assert webinar.join_url == "" and client.get(webinar.url).status_code == 200
