"""Webinars: upcoming/replay switch by time, schema.org Event, .ics and the iCal feed."""

import datetime
import html as html_lib
import json
import re
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone

from cites_pages.models import WebinarIndexPage, WebinarPage
from renouveau.demo import child_page

from .base import ProgrammeTestCase

PARIS = ZoneInfo("Europe/Paris")
DEMO_URL = "/webinaires/accompagnement-des-habitants-pendant-les-renovations/"


def json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


class TestWebinars(ProgrammeTestCase):
    def future_webinar(self, **fields) -> WebinarPage:
        start = timezone.now() + datetime.timedelta(days=10)
        return child_page(
            WebinarIndexPage.objects.get(),
            WebinarPage,
            slug=fields.pop("slug", "prochain-webinaire"),
            title=fields.pop("title", "Les jardins partagés des cités"),
            start=start,
            end=start + datetime.timedelta(hours=2),
            registration_url="https://inscription.example.org/jardins",
            intro="Comment les habitants s'approprient les jardins.",
            **fields,
        )

    def test_the_22_june_2026_webinar_is_now_a_replay(self):
        page = html_lib.unescape(self.html(DEMO_URL))
        self.assertIn("Webinaire passé — replay à venir", page)  # not online yet
        self.assertIn("22 juin 2026, de 14h00", page)
        self.assertIn("Le replay sera mis en ligne prochainement.", page)
        self.assertNotIn("S’inscrire au webinaire", page)
        for theme in [
            "Accompagner le changement individuel",
            "Recréer un collectif à l'échelle de la cité",
            "Mobiliser des ressources adaptées à la cité",
        ]:
            self.assertIn(theme, page)
        self.assertIn("Jardin citoyen, cité 5/12 à Sallaumines", page)
        self.assertIn("Maisons & Cités", page)

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
        data = json_ld(self.html(DEMO_URL))
        self.assertEqual(data["@type"], "Event")
        self.assertEqual(data["startDate"], "2026-06-22T14:00:00+02:00")
        self.assertEqual(data["endDate"], "2026-06-22T16:00:00+02:00")
        self.assertEqual(
            data["eventAttendanceMode"], "https://schema.org/OnlineEventAttendanceMode"
        )
        self.assertEqual(data["location"]["@type"], "VirtualLocation")
        self.assertTrue(data["url"].endswith(DEMO_URL))
        self.assertNotIn("offers", data)  # over: no registration offered

    def test_json_ld_cannot_close_its_script_element(self):
        webinar = self.future_webinar(slug="injection", title="</script><script>alert(1)</script>")
        page = self.html(webinar.url)
        self.assertNotIn("<script>alert(1)", page)
        self.assertEqual(json_ld(page)["name"], "</script><script>alert(1)</script>")
        self.assertEqual(json_ld(page)["offers"]["url"], "https://inscription.example.org/jardins")

    def test_ics_download_is_a_valid_calendar_linking_back_to_the_page(self):
        response = self.client.get(DEMO_URL + "ical/")
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn('filename="accompagnement-des-habitants', response["Content-Disposition"])
        calendar = icalendar.Calendar.from_ical(response.content)
        events = calendar.walk("VEVENT")
        self.assertEqual(len(events), 1)
        event = events[0]
        self.assertEqual(
            str(event["SUMMARY"]),
            "L'accompagnement des habitants pendant les rénovations des cités minières ERBM",
        )
        self.assertEqual(event.decoded("DTSTART"), datetime.datetime(2026, 6, 22, 14, tzinfo=PARIS))
        self.assertEqual(event["DTSTART"].params["TZID"], "Europe/Paris")
        self.assertEqual(event.decoded("DTEND"), datetime.datetime(2026, 6, 22, 16, tzinfo=PARIS))
        self.assertTrue(str(event["URL"]).endswith(DEMO_URL))
        self.assertIn(DEMO_URL, str(event["DESCRIPTION"]))
        self.assertEqual(str(event["LOCATION"]), "En ligne")
        self.assertTrue(str(event["UID"]).startswith("webinaire-"))
        self.assertEqual([tz["TZID"] for tz in calendar.walk("VTIMEZONE")], ["Europe/Paris"])

    def test_ical_feed_holds_the_upcoming_webinars_only(self):
        self.future_webinar()
        response = self.client.get("/webinaires/agenda-ical/")
        calendar = icalendar.Calendar.from_ical(response.content)
        # The demo's own upcoming webinar (dates relative to today) is there too, not the past one.
        self.assertEqual(
            sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")),
            [
                "Les jardins partagés des cités",
                "Rénover en site occupé : préparer les habitants aux travaux",
            ],
        )
        self.assertIn('href="/webinaires/agenda-ical/"', self.html("/webinaires/"))

    def test_index_separates_upcoming_and_replays(self):
        self.future_webinar()
        page = html_lib.unescape(self.html("/webinaires/"))
        upcoming, replays = page.split('id="replays-titre"')
        self.assertIn("Les jardins partagés des cités", upcoming)
        self.assertIn("L’accompagnement des habitants pendant les rénovations", replays)

    def test_dates_are_shown_in_paris_time(self):
        # 00:30 in Paris on 1 July is still 30 June in UTC.
        start = datetime.datetime(2027, 7, 1, 0, 30, tzinfo=PARIS)
        webinar = child_page(
            WebinarIndexPage.objects.get(),
            WebinarPage,
            slug="nocturne",
            title="Webinaire nocturne",
            start=start,
            end=start + datetime.timedelta(hours=1),
        )
        page = self.html(webinar.url)
        self.assertIn("1er juillet 2027, de 00h30", page)
