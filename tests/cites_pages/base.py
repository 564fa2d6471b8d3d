"""A TestCase whose class shares the demo content built from the seeds (loaded once)."""

from django.test import TestCase

from cites_pages import demo
from renouveau.demo import ensure_home_page


class ProgrammeTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        demo.load(cls.home)

    def html(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response.content.decode()
