"""A TestCase whose class shares a programme built with factories (tests/sites.py), once."""

from django.test import TestCase

from tests.pages import site_home_page
from tests.sites import build_programme


class ProgrammeSiteTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = site_home_page()
        cls.programme = build_programme(cls.home)

    def html(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response.content.decode()
