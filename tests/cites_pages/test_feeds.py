"""News: RSS and Atom feeds, year archive, category filter."""

import xml.etree.ElementTree as ET

from .base import ProgrammeTestCase

ATOM = "{http://www.w3.org/2005/Atom}"


class TestNewsFeeds(ProgrammeTestCase):
    def test_rss_lists_the_news_newest_first_with_absolute_links(self):
        response = self.client.get("/actualites/rss/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/rss+xml", response["Content-Type"])
        channel = ET.fromstring(response.content).find("channel")
        items = channel.findall("item")
        self.assertEqual(
            [item.findtext("title") for item in items],
            [
                "Des habitants mobilisés dans les cités",
                "4e comité de pilotage : la rénovation des cités minières, mais pas que",
            ],
        )
        self.assertEqual(channel.findtext("language"), "fr")
        self.assertTrue(items[1].findtext("link").startswith("http"))
        self.assertTrue(
            items[1].findtext("link").endswith("/actualites/4e-comite-de-pilotage-20-juin-2019/")
        )
        self.assertIn("20 Jun 2019", items[1].findtext("pubDate"))
        self.assertIn("35 premières cités", items[1].findtext("description"))

    def test_atom_feed(self):
        response = self.client.get("/actualites/atom/")
        self.assertIn("application/atom+xml", response["Content-Type"])
        feed = ET.fromstring(response.content)
        self.assertEqual(len(feed.findall(f"{ATOM}entry")), 2)

    def test_feeds_are_announced_on_the_index(self):
        page = self.html("/actualites/")
        self.assertIn('type="application/rss+xml"', page)
        self.assertIn('href="/actualites/rss/"', page)

    def test_unpublished_news_leave_the_feed(self):
        from cites_pages.models import NewsPage

        NewsPage.objects.get(slug="des-habitants-mobilises").unpublish()
        channel = ET.fromstring(self.client.get("/actualites/rss/").content).find("channel")
        self.assertEqual(len(channel.findall("item")), 1)


class TestNewsArchive(ProgrammeTestCase):
    def test_year_archive(self):
        page = self.html("/actualites/2019/")
        self.assertIn("<h1>Actualités : 2019</h1>", page)
        self.assertIn("2 actualités", page)
        self.assertIn('href="/actualites/2019/" aria-current="page"', page)

    def test_a_year_without_news_is_not_found(self):
        self.html("/actualites/2015/", status=404)

    def test_category_filter_and_unknown_category(self):
        page = self.html("/actualites/?categorie=gouvernance")
        self.assertIn("1 actualité dans la catégorie", page)
        self.assertIn("4e comité de pilotage", page)
        page = self.html("/actualites/?categorie=inconnue&page=zz")
        self.assertIn("2 actualités.", page)
