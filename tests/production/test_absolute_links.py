"""Issue 11, item 2: every absolute link the site hands out names SITE_URL (the address
visitors use), never the Wagtail Site record's default `http://localhost/`."""

import re
from urllib.parse import urlsplit

from tests.production.visitors import request

PAGES = """
import json
from cites_pages.models import CitiesIndexPage, NewsIndexPage, WebinarIndexPage, WebinarPage
from newsletter.models import NewsletterIndexPage
def path(model):
    page = model.objects.live().order_by("pk").first()
    return page.get_url_parts()[2]
print(json.dumps({
    "cities": path(CitiesIndexPage), "news": path(NewsIndexPage),
    "webinars": path(WebinarIndexPage), "webinar": path(WebinarPage),
    "newsletter": path(NewsletterIndexPage),
}))
"""

ABSOLUTE = re.compile(r"https?://[^\s\"'<>\\]+")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "testserver", "example.com", "[::1]"}


def test_sitemap_feeds_exports_and_calendars_link_to_site_url(production):
    pages = production.shell(PAGES)
    resources = [
        "/sitemap.xml",
        "/robots.txt",
        pages["news"] + "rss/",
        pages["news"] + "atom/",
        pages["newsletter"] + "rss/",
        pages["cities"] + "export-csv/",
        pages["cities"] + "export-geojson/",  # the map's pop-ups link to each cité
        pages["webinars"] + "agenda-ical/",
        pages["webinar"] + "ical/",
    ]
    wrong = {}
    for path in resources:
        response = request(production.site_url + path)
        assert response.status == 200, f"{path} → {response.status}"
        body = re.sub(r"\r?\n[ \t]", "", response.text)  # unfold iCalendar lines
        urls = ABSOLUTE.findall(body)
        ours = [u for u in urls if u.startswith(production.site_url + "/")]
        local = [
            u
            for u in urls
            if urlsplit(u).hostname in LOCAL_HOSTS and not u.startswith(production.site_url + "/")
        ]
        # (the agenda may list no upcoming webinar at all)
        if local or (not ours and "agenda" not in path):
            wrong[path] = local[:5] or "no link to SITE_URL"
    assert not wrong, f"SITE_URL is {production.site_url}; wrong absolute links: {wrong}"
