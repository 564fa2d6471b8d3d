"""Issue 32: what a case study shows of other objects (its theme, the webinar it was presented
at, its social image) does not cost a query each when the case study is served again after its
own publish; and what those objects become still reaches it: an unpublished webinar's link goes,
a new alternative text of the image is shown.

Page cache and fragments on, as in production (DependencyTestCase)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cites_pages.models import CaseStudyPage
from tests.performance.test_invalidation_by_dependency import DependencyTestCase


def reads_of(table: str, queries: list[str]) -> list[str]:
    """Queries reading `table` on its own or through a join."""
    return [sql for sql in queries if f'"{table}"' in sql.split(" WHERE ")[0]]


class TestACaseStudyAfterItsPublish(DependencyTestCase):
    def setUp(self):
        super().setUp()
        self.case_study = CaseStudyPage.objects.get(pk=self.programme.case_studies["jardin"].pk)
        self.webinar = self.case_study.related_webinar
        self.image = self.case_study.teaser_image
        self.url = self.case_study.url

    def publish_and_read(self) -> tuple[str, list[str]]:
        self.get(self.url)
        self.case_study.save_revision().publish()
        with CaptureQueriesContext(connection) as captured:
            response = self.get(self.url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        return response.content.decode(), [query["sql"] for query in captured]

    def test_its_theme_webinar_and_image_are_not_read_again(self):
        html, queries = self.publish_and_read()
        self.assertIn(self.case_study.theme.name.replace("'", "&#x27;"), html)
        self.assertIn(self.webinar.title, html)
        self.assertIn(self.webinar.url, html)
        self.assertIn(self.image.description, html)  # the social card's alternative text
        theme_lookups = [
            sql for sql in queries if sql.split(" WHERE ")[0].endswith('FROM "cites_pages_theme"')
        ]
        self.assertEqual(theme_lookups, [])  # joined to the page's own row
        self.assertEqual(reads_of("cites_pages_webinarpage", queries), [])
        self.assertEqual(reads_of("renouveau_siteimage", queries), [])

    def test_the_link_to_an_unpublished_webinar_goes_and_comes_back_with_it(self):
        self.assertIn(self.webinar.title, self.publish_and_read()[0])
        self.webinar.unpublish()
        html = self.get(self.url).content.decode()
        self.assertNotIn("Présenté lors du webinaire", html)
        self.webinar.save_revision().publish()
        self.assertIn(self.webinar.title, self.get(self.url).content.decode())

    def test_a_new_alternative_text_of_the_image_reaches_the_social_card(self):
        self.publish_and_read()
        self.image.description = "Le jardin vu depuis la rue des Mineurs."
        self.image.save()
        html = self.get(self.url).content.decode()
        self.assertIn('content="Le jardin vu depuis la rue des Mineurs."', html)
