"""Issue 18: the cards of the cités and webinars indexes are rendered once per content
generation ({% generation_cache %} keyed on the page), so that a full page of results costs
little more than a few; every change that bumps the generation shows at once."""

import datetime

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from cites_pages.models import CityPage, WebinarIndexPage, WebinarPage
from renouveau.page_cache import invalidate_page_cache
from tests.factories import WebinarPageFactory

from .test_query_counts import FragmentsTestCase


class TestCityCards(FragmentsTestCase):
    def test_a_card_is_rendered_once_per_generation(self):
        self.assertIn(">Cité du Chevalement</a>", self.html("/cites/"))
        # Changed behind Wagtail's back (no signal, so the same generation): the card is kept.
        CityPage.objects.filter(slug="cite-du-chevalement").update(title="Cité renommée")
        self.assertIn(">Cité du Chevalement</a>", self.html("/cites/"))
        invalidate_page_cache()
        self.assertIn(">Cité renommée</a>", self.html("/cites/"))

    def test_a_cite_published_again_shows_its_new_card_at_once(self):
        self.html("/cites/")
        city = CityPage.objects.get(slug="cite-du-chevalement")
        city.title = "Cité renommée"
        city.dwellings = 321
        city.save_revision().publish()
        page = self.html("/cites/")
        self.assertIn(">Cité renommée</a>", page)
        self.assertIn("321 logements", page)


class TestCityList(FragmentsTestCase):
    """The list of a page of results is kept whole (per filters and page number): a cached
    list costs no query for its cités, whatever their number."""

    def test_each_filter_and_page_has_its_own_list_and_a_cached_one_loads_no_cite(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        everything = self.html("/cites/")
        one_epci = self.html("/cites/?epci=agglo-du-couchant")
        self.assertIn(">Cité du Chevalement</a>", everything)
        self.assertNotEqual(everything.count("city-card"), one_epci.count("city-card"))
        self.assertIn(">Cité du Chevalement</a>", self.html("/cites/?page=1"))
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.html("/cites/"), everything)
        rows = [q["sql"] for q in queries if "cites_pages_citypage" in q["sql"]]
        self.assertFalse([sql for sql in rows if "LIMIT" in sql], rows)  # no page of cités


class TestNewsAndCaseStudyLists(FragmentsTestCase):
    def test_a_news_item_published_since_is_listed_at_once(self):
        from cites_pages.models import NewsIndexPage, NewsPage

        self.html("/actualites/")
        news = NewsPage(title="Une actualité toute fraîche", slug="fraiche")
        NewsIndexPage.objects.get().add_child(instance=news)
        news.save_revision().publish()
        self.assertIn("Une actualité toute fraîche", self.html("/actualites/"))

    def test_each_filter_has_its_own_list(self):
        from cites_pages.models import CaseStudyPage

        studies = list(CaseStudyPage.objects.live().order_by("title"))
        everything = self.html("/retours-d-experience/")
        one_theme = self.html(f"/retours-d-experience/?theme={studies[0].theme.slug}")
        self.assertIn(studies[1].title, everything)
        self.assertIn(studies[0].title, one_theme)
        self.assertNotIn(studies[1].title, one_theme.split('class="results-count"')[1])
        self.assertEqual(self.html("/retours-d-experience/"), everything)


class TestProgrammeFigures(FragmentsTestCase):
    def test_the_totals_are_summed_once_per_generation_and_follow_a_publication(self):
        from cites_pages.figures import programme_figures
        from cites_pages.templatetags.cites_pages_tags import thousands

        def total_row() -> str:
            total = thousands(programme_figures().dwellings.total)
            return f'<td class="num">{total}</td></tr></tfoot>'

        before = total_row()
        self.assertIn(before, self.html("/le-programme-en-chiffres/"))
        from cites_pages.models import CityPhase

        city = CityPage.objects.filter(phases__dwellings__gt=0).first()
        phases = list(city.phases.all())
        CityPhase.objects.filter(pk=phases[0].pk).update(dwellings=phases[0].dwellings + 1000)
        self.assertIn(before, self.html("/le-programme-en-chiffres/"))  # same generation
        phases[0].dwellings += 1000
        city.phases = phases
        city.save_revision().publish()
        self.assertNotEqual(total_row(), before)
        self.assertIn(total_row(), self.html("/le-programme-en-chiffres/"))


class TestWebinarLists(FragmentsTestCase):
    def test_cached_lists_load_no_webinar_but_follow_the_ids_they_show(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        first = self.html("/webinaires/")
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.html("/webinaires/"), first)
        selects = [q["sql"].split(" FROM ")[0] for q in queries]
        self.assertFalse([s for s in selects if '"start"' in s], selects)  # only their ids
        # A webinar published since is in the list at once (a new id, a new key).
        WebinarPageFactory(
            parent=WebinarIndexPage.objects.get(),
            slug="nouveau",
            title="Un nouveau webinaire",
            start=timezone.now() + datetime.timedelta(days=3),
            end=timezone.now() + datetime.timedelta(days=3, hours=2),
        )
        self.assertIn("Un nouveau webinaire", self.html("/webinaires/"))


class TestWebinarCards(FragmentsTestCase):
    def test_a_webinar_that_ends_moves_to_the_replays_with_its_replay_card(self):
        now = timezone.now()
        webinar = WebinarPageFactory(
            parent=WebinarIndexPage.objects.get(),
            slug="en-cours",
            title="Un webinaire en cours",
            start=now - datetime.timedelta(hours=1),
            end=now + datetime.timedelta(hours=1),
        )
        upcoming, _replays = self.html("/webinaires/").split('id="replays-titre"')
        self.assertIn("Un webinaire en cours", upcoming)
        # Time passes: no publication, the same generation.
        WebinarPage.objects.filter(pk=webinar.pk).update(end=now - datetime.timedelta(minutes=1))
        upcoming, replays = self.html("/webinaires/").split('id="replays-titre"')
        self.assertNotIn("Un webinaire en cours", upcoming)
        card = replays.split("Un webinaire en cours", 1)[1].split("</article>", 1)[0]
        self.assertIn('<span class="tag">Replay à venir</span>', card)  # none online yet


class TestGenerationCacheKey(FragmentsTestCase):
    TEMPLATE = (
        '{% load site_tags %}{% generation_cache "test-card" key %}{{ value }}'
        "{% endgeneration_cache %}"
    )

    def render(self, request, key, value) -> str:
        return Template(self.TEMPLATE).render(
            Context({"request": request, "key": key, "value": value})
        )

    def test_one_rendering_per_key(self):
        request = RequestFactory().get("/")
        self.assertEqual(self.render(request, 1, "first"), "first")
        self.assertEqual(self.render(request, 1, "second"), "first")
        self.assertEqual(self.render(request, 2, "third"), "third")

    def test_no_key_or_a_preview_is_never_cached(self):
        request = RequestFactory().get("/")
        self.assertEqual(self.render(request, None, "first"), "first")
        self.assertEqual(self.render(request, None, "second"), "second")
        self.render(request, 1, "cached")
        request.is_preview = True
        self.assertEqual(self.render(request, 1, "draft"), "draft")
