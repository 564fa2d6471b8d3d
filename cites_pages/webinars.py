"""Webinars as calendar data: `.ics` per webinar, iCal feed of upcoming ones, schema.org Event."""

import json
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from renouveau.visibility import private_q, public_live

from .models import WebinarPage

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//Renouveau du Bassin Minier//Webinaires//FR"


def _live(private: Q | None) -> QuerySet[WebinarPage]:
    webinars = public_live(WebinarPage.objects)
    webinars = webinars.defer_streamfields()
    return webinars.exclude(private_q() if private is None else private)


def upcoming_webinars(index: Page | None = None, private: Q | None = None) -> QuerySet[WebinarPage]:
    webinars = _live(private).filter(end__gt=timezone.now())
    if index is not None:
        webinars = webinars.descendant_of(index)
    return webinars.select_related("teaser_image").order_by("start")


def past_webinars(index: Page | None = None, private: Q | None = None) -> QuerySet[WebinarPage]:
    webinars = _live(private).filter(end__lte=timezone.now())
    if index is not None:
        webinars = webinars.descendant_of(index)
    return webinars.select_related("teaser_image").order_by("-start")


# A higher app (webinar_registrations) says which webinars are full through this hook: a
# function taking webinar ids and returning the set of those with no seat left.
FULL_HOOK = "webinar_full_ids"


def full_webinar_ids(ids: Iterable[int]) -> set[int]:
    ids = list(ids)
    full: set[int] = set()
    for hook in hooks.get_hooks(FULL_HOOK) if ids else ():
        full |= set(hook(ids))
    return full


def webinar_state(webinar: WebinarPage, *, full: bool | None = None) -> str:
    """The badge of a webinar in lists and on its page: « À venir » or « Complet » until it
    ends, then « Replay » once the replay is online, « Replay à venir » before."""
    if webinar.is_upcoming:
        if full is None:
            full = webinar.pk in full_webinar_ids([webinar.pk])
        return "Complet" if full else "À venir"
    return "Replay" if webinar.replay else "Replay à venir"


def _uid(webinar: WebinarPage) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"webinaire-{webinar.pk}@{host}"


def location_text(webinar: WebinarPage) -> str:
    venue = ", ".join(part for part in (webinar.venue_name, webinar.venue_address) if part)
    if webinar.mode == WebinarPage.Mode.ONLINE:
        return "En ligne"
    if webinar.mode == WebinarPage.Mode.HYBRID:
        return f"{venue} et en ligne"
    return venue


def registrant_access(webinar: WebinarPage) -> list[str]:
    """How a registrant joins, as lines (« Rejoindre : … », « Par téléphone : … »); [] when the
    page has neither. Only for registrants' mails and their .ics, never the public page."""
    lines = []
    if webinar.join_url:
        lines.append(f"Rejoindre le webinaire\u00a0: {webinar.join_url}")
    if webinar.dial_in:
        lines.append(f"Par téléphone\u00a0: {webinar.dial_in}")
    return lines


def webinar_event(
    webinar: WebinarPage, request: HttpRequest | None = None, *, registrant: bool = False
) -> icalendar.Event:
    """The event; `registrant`: the copy mailed to a registrant, whose URL and LOCATION are the
    join link (calendars show them as « Rejoindre »), and whose description has the dial-in."""
    url = webinar.get_full_url(request)
    join = webinar.join_url if registrant else ""
    event = icalendar.Event()
    event.add("uid", _uid(webinar))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(webinar.start, PARIS))
    event.add("dtend", timezone.localtime(webinar.end, PARIS))
    event.add("summary", webinar.title)
    access = "\n".join(registrant_access(webinar)) if registrant else ""
    description = "\n\n".join(part for part in (webinar.get_teaser_text(), access, url) if part)
    event.add("description", description)
    event.add("url", join or url)
    location = location_text(webinar)
    if join:
        location = join if webinar.mode == WebinarPage.Mode.ONLINE else f"{location}\u00a0: {join}"
    event.add("location", location)
    if webinar.last_published_at:
        event.add("last-modified", webinar.last_published_at)
    return event


def calendar(
    webinars: Iterable[WebinarPage],
    request: HttpRequest | None = None,
    *,
    name: str = "",
    registrant: bool = False,
) -> bytes:
    """An iCalendar (RFC 5545) file holding these webinars, with the Europe/Paris VTIMEZONE;
    `registrant`: with the join link (see `webinar_event`), for a registrant's mail only."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    for webinar in webinars:
        cal.add_component(webinar_event(webinar, request, registrant=registrant))
    cal.add_missing_timezones()
    return cal.to_ical()


def _iso(value: datetime) -> str:
    return timezone.localtime(value, PARIS).isoformat()


# JSON inside <script> must not be able to close the element: escape <, > and & as json_script does.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def event_json_ld(webinar: WebinarPage, request: HttpRequest | None = None) -> str:
    """schema.org Event markup for the webinar page (JSON-LD, escaped for a <script> element)."""
    url = webinar.get_full_url(request)
    upcoming = webinar.is_upcoming
    online = {
        "@type": "VirtualLocation",
        "url": (webinar.registration_url if upcoming else "") or url,
    }
    place = {
        "@type": "Place",
        "name": webinar.venue_name,
        "address": webinar.venue_address or webinar.venue_name,
    }
    location: object
    if webinar.mode == WebinarPage.Mode.ONLINE:
        location = online
        attendance = "https://schema.org/OnlineEventAttendanceMode"
    elif webinar.mode == WebinarPage.Mode.VENUE:
        location = place
        attendance = "https://schema.org/OfflineEventAttendanceMode"
    else:
        location = [place, online]
        attendance = "https://schema.org/MixedEventAttendanceMode"
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": webinar.title,
        "description": webinar.get_teaser_text(),
        "startDate": _iso(webinar.start),
        "endDate": _iso(webinar.end),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": attendance,
        "location": location,
        "url": url,
        "inLanguage": "fr",
        "organizer": {
            "@type": "Organization",
            "name": "Renouveau du Bassin Minier",
            "url": settings.SITE_URL,
        },
    }
    performers = [
        {"@type": "Person", "name": speaker.value["name"]}
        for speaker in webinar.speakers
        if speaker.block_type == "speaker"
    ]
    if performers:
        data["performer"] = performers
    if webinar.registration_url and upcoming:
        data["offers"] = {
            "@type": "Offer",
            "url": webinar.registration_url,
            "price": "0",
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock",
        }
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
