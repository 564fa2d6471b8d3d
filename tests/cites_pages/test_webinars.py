"""Webinars: upcoming/replay switch by time, schema.org Event, .ics and the iCal feed."""

import datetime
import html as html_lib
import json
import re
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone

from cites_pages.models import WebinarIndexPage, WebinarPage
from tests.factories import WebinarPageFactory

from .base import ProgrammeSiteTestCase

PARIS = ZoneInfo("Europe/Paris")
PAST_URL = "/webinaires/accompagner-les-habitants/"


def json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


class TestWebinars(ProgrammeSiteTestCase):
    def future_webinar(self, **fields) -> WebinarPage:
        start = timezone.now() + datetime.timedelta(days=10)
        return WebinarPageFactory(
            parent=WebinarIndexPage.objects.get(),
            slug=fields.pop("slug", "prochain-webinaire"),
            title=fields.pop("title", "Les jardins partagés des cités"),
            start=start,
            end=start + datetime.timedelta(hours=2),
            registration_url="https://inscription.example.org/jardins",
            intro="Comment les habitants s'approprient les jardins.",
            **fields,
        )

    def test_a_past_webinar_is_a_replay(self):
        page = html_lib.unescape(self.html(PAST_URL))
        self.assertIn("Webinaire passé — replay à venir", page)  # not online yet
        self.assertIn("18 mars 2025, de 14h00", page)
        self.assertIn("Le replay sera mis en ligne prochainement.", page)
        self.assertNotIn("S’inscrire au webinaire", page)
        for theme in [
            "Informer les habitants",
            "Créer du lien entre voisins",
            "Mobiliser les ressources locales",
        ]:
            self.assertIn(theme, page)
        self.assertIn("Jardin partagé, cité du Terril", page)  # its case studies
        self.assertIn("Habitat du Levant", page)  # its partner landlords

    def test_the_page_switches_from_registration_to_replay_when_the_end_has_passed(self):
        webinar = self.future_webinar()
        page = self.html(webinar.url)
        self.assertIn("Webinaire à venir", page)
        self.assertIn('href="https://inscription.example.org/jardins"', page)
        # The same page once it is over (no republishing needed).
        WebinarPage.objects.filter(pk=webinar.pk).update(
            start=timezone.now() - datetime.timedelta(hours=3),
            end=timezone.now() - datetime.timedelta(minutes=1),
        )
        page = self.html(webinar.url)
        self.assertIn("Webinaire passé — replay à venir", page)
        self.assertNotIn("inscription.example.org", page)

    def test_schema_org_event(self):
        data = json_ld(self.html(PAST_URL))
        self.assertEqual(data["@type"], "Event")
        self.assertEqual(data["startDate"], "2025-03-18T14:00:00+01:00")
        self.assertEqual(data["endDate"], "2025-03-18T16:00:00+01:00")
        self.assertEqual(
            data["eventAttendanceMode"], "https://schema.org/OnlineEventAttendanceMode"
        )
        self.assertEqual(data["location"]["@type"], "VirtualLocation")
        self.assertTrue(data["url"].endswith(PAST_URL))
        self.assertNotIn("offers", data)  # over: no registration offered

    def test_json_ld_cannot_close_its_script_element(self):
        webinar = self.future_webinar(slug="injection", title="</script><script>alert(1)</script>")
        page = self.html(webinar.url)
        self.assertNotIn("<script>alert(1)", page)
        self.assertEqual(json_ld(page)["name"], "</script><script>alert(1)</script>")
        self.assertEqual(json_ld(page)["offers"]["url"], "https://inscription.example.org/jardins")

    def test_ics_download_is_a_valid_calendar_linking_back_to_the_page(self):
        response = self.client.get(PAST_URL + "ical/")
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn('filename="accompagner-les-habitants', response["Content-Disposition"])
        calendar = icalendar.Calendar.from_ical(response.content)
        events = calendar.walk("VEVENT")
        self.assertEqual(len(events), 1)
        event = events[0]
        self.assertEqual(
            str(event["SUMMARY"]),
            "Accompagner les habitants pendant les travaux",
        )
        self.assertEqual(event.decoded("DTSTART"), datetime.datetime(2025, 3, 18, 14, tzinfo=PARIS))
        self.assertEqual(event["DTSTART"].params["TZID"], "Europe/Paris")
        self.assertEqual(event.decoded("DTEND"), datetime.datetime(2025, 3, 18, 16, tzinfo=PARIS))
        self.assertTrue(str(event["URL"]).endswith(PAST_URL))
        self.assertIn(PAST_URL, str(event["DESCRIPTION"]))
        self.assertEqual(str(event["LOCATION"]), "En ligne")
        self.assertTrue(str(event["UID"]).startswith("webinaire-"))
        self.assertEqual([tz["TZID"] for tz in calendar.walk("VTIMEZONE")], ["Europe/Paris"])

    def test_ical_feed_holds_the_upcoming_webinars_only(self):
        self.future_webinar()
        response = self.client.get("/webinaires/agenda-ical/")
        calendar = icalendar.Calendar.from_ical(response.content)
        # The programme's own upcoming webinar is there too, not the past one.
        self.assertEqual(
            sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")),
            [
                "Les jardins partagés des cités",
                "Préparer les habitants aux travaux",
            ],
        )
        self.assertIn('href="/webinaires/agenda-ical/"', self.html("/webinaires/"))

    def test_index_separates_upcoming_and_replays(self):
        self.future_webinar()
        page = html_lib.unescape(self.html("/webinaires/"))
        upcoming, replays = page.split('id="replays-titre"')
        self.assertIn("Les jardins partagés des cités", upcoming)
        self.assertIn("Accompagner les habitants pendant les travaux", replays)

    def test_dates_are_shown_in_paris_time(self):
        # 00:30 in Paris on 1 July is still 30 June in UTC.
        start = datetime.datetime(2027, 7, 1, 0, 30, tzinfo=PARIS)
        webinar = WebinarPageFactory(
            parent=WebinarIndexPage.objects.get(),
            slug="nocturne",
            title="Webinaire nocturne",
            start=start,
            end=start + datetime.timedelta(hours=1),
        )
        page = self.html(webinar.url)
        self.assertIn("1er juillet 2027, de 00h30", page)
