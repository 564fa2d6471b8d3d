"""What a cité shows through its foreign keys (intercommunalité, landlord) comes in one join
when the page is served (BasePage.shown_related), not one query each; a preview shows the
draft's choices, not the published row's. (A case study's theme, webinar and social image:
tests/performance/test_link_fragments.py.)"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cites_pages.models import CaseStudyPage, CityPage
from tests.cites_pages.base import ProgrammeSiteTestCase


def lookups_of(table: str, queries: list[dict]) -> list[str]:
    """Queries reading one row of `table` by its key (what a foreign key costs alone)."""
    return [q["sql"] for q in queries if q["sql"].split(" WHERE ")[0].endswith(f'FROM "{table}"')]


class TestShownRelated(ProgrammeSiteTestCase):
    def test_a_cite_reads_its_intercommunalite_and_landlord_in_one_join(self):
        page = CityPage.objects.filter(landlord__isnull=False, epci__isnull=False).first()
        with CaptureQueriesContext(connection) as captured:
            html = self.html(page.url)
        self.assertIn(page.landlord.name, html)
        for table in ("cites_pages_epci", "cites_pages_landlord"):
            self.assertEqual(lookups_of(table, captured.captured_queries), [], table)

    def test_a_preview_shows_the_theme_of_the_draft(self):
        page = CaseStudyPage.objects.get(pk=self.programme.case_studies["jardin"].pk)
        other = next(t for t in self.programme.themes if t.pk != page.theme_id)
        page.theme = other
        draft = page.save_revision().as_object()
        html = draft.make_preview_request().content.decode()
        self.assertIn(other.name.replace("'", "&#x27;"), html)
