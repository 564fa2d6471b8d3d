"""Validation in the admin, with clear French messages."""

from django.test import TestCase

from cites_pages.models import CaseStudyPage, CityPage, Commune, NewsPage, WebinarPage
from tests.factories import (
    CaseStudyIndexPageFactory,
    CitiesIndexPageFactory,
    CommuneFactory,
    WebinarIndexPageFactory,
)
from tests.pages import one_page_of_each_type, site_home_page

from .admin_forms import add_page, form_errors


class TestAdminValidation(TestCase):
    """On the three empty indexes and one commune the forms need (factories, no demo)."""

    @classmethod
    def setUpTestData(cls):
        home = site_home_page()
        cls.cities = CitiesIndexPageFactory(parent=home)
        cls.webinars = WebinarIndexPageFactory(parent=home)
        cls.case_studies = CaseStudyIndexPageFactory(parent=home)
        cls.rouvroy = CommuneFactory(name="Rouvroy", insee_code="62724", department="62")

    def setUp(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_superuser("redaction", "r@example.org", "x")
        self.client.force_login(user)

    def city(self, dwellings, phases, slug="cite-essai"):
        return add_page(
            self.client,
            self.cities,
            "citypage",
            {
                "title": "Cité d'essai",
                "slug": slug,
                "communes": str(self.rouvroy.pk),
                "dwellings": dwellings,
                "status": "etudes",
            },
            {"phases": phases},
        )

    def test_phases_must_add_up_to_the_cites_total(self):
        response = self.city(
            765,
            [
                {"label": "Tranche 1", "dwellings": 331, "status": "terminee"},
                {"label": "Tranche 2", "dwellings": 183, "status": "travaux"},
            ],
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            form_errors(response)["dwellings"],
            [
                "Les tranches totalisent 514 logements alors que la cité en compte 765 : "
                "corrigez le nombre de logements ou les tranches."
            ],
        )
        self.assertFalse(CityPage.objects.filter(slug="cite-essai").exists())

    def test_a_cite_whose_phases_add_up_is_published_with_the_communes_epci(self):
        response = self.city(
            514,
            [
                {"label": "Tranche 1", "dwellings": 331, "status": "terminee"},
                {"label": "Tranche 2", "dwellings": 183, "status": "travaux"},
            ],
        )
        self.assertEqual(
            response.status_code, 302, form_errors(response) if response.status_code == 200 else ""
        )
        city = CityPage.objects.get(slug="cite-essai")
        self.assertTrue(city.live)
        self.assertEqual(city.phases.count(), 2)
        self.assertEqual(city.epci, self.rouvroy.epci)  # follows the commune

    def test_dwellings_cannot_be_negative(self):
        response = self.city(-3, [])
        self.assertIn("dwellings", form_errors(response))
        response = self.city(
            10,
            [
                {"label": "T1", "dwellings": -10, "status": "etudes"},
                {"label": "T2", "dwellings": 20, "status": "etudes"},
            ],
        )
        self.assertIn("phases-0-dwellings", form_errors(response))

    def test_phase_end_must_follow_its_start(self):
        response = self.city(
            10,
            [
                {
                    "label": "T1",
                    "dwellings": 10,
                    "status": "travaux",
                    "start_date": "2025-06-01",
                    "end_date": "2024-06-01",
                }
            ],
        )
        self.assertEqual(
            form_errors(response)["phases-0-end_date"],
            ["La fin des travaux doit être postérieure à leur début."],
        )

    def test_webinar_end_must_follow_its_start(self):
        response = add_page(
            self.client,
            self.webinars,
            "webinarpage",
            {
                "title": "Webinaire d'essai",
                "start": "2027-03-10 14:00",
                "end": "2027-03-10 12:00",
                "mode": "online",
            },
        )
        self.assertEqual(
            form_errors(response)["end"], ["La fin du webinaire doit être postérieure à son début."]
        )
        self.assertFalse(WebinarPage.objects.filter(slug="essai").exists())

    def test_a_webinar_on_site_needs_a_venue(self):
        response = add_page(
            self.client,
            self.webinars,
            "webinarpage",
            {
                "title": "Rencontre",
                "start": "2027-03-10 14:00",
                "end": "2027-03-10 16:00",
                "mode": "venue",
            },
        )
        self.assertEqual(form_errors(response)["venue_name"], ["Indiquez le lieu de la rencontre."])

    def test_funding_must_match_the_budget(self):
        response = add_page(
            self.client,
            self.case_studies,
            "casestudypage",
            {"title": "Jardin d'essai"},
            {
                "budget_lines": [{"item": "Conception", "provider": "SERP", "amount": "24000"}],
                "funding_lines": [{"source": "atfpb", "funder": "", "amount": "20000"}],
            },
        )
        self.assertEqual(
            form_errors(response)["__all__"],
            [
                "Les financements totalisent 20\u202f000\u00a0€ mais le budget "
                "24\u202f000\u00a0€ : les deux montants doivent être égaux."
            ],
        )
        self.assertFalse(CaseStudyPage.objects.filter(slug="essai").exists())

    def test_case_study_years_in_order(self):
        response = add_page(
            self.client,
            self.case_studies,
            "casestudypage",
            {"title": "Essai", "start_year": "2024", "end_year": "2022"},
        )
        self.assertIn("end_year", form_errors(response))

    def test_commune_insee_code_checked_against_its_department(self):
        from django.core.exceptions import ValidationError

        commune = Commune(name="Lens", insee_code="59498", department="62")
        with self.assertRaises(ValidationError) as raised:
            commune.full_clean()
        self.assertEqual(
            raised.exception.message_dict["insee_code"],
            ["Le code INSEE ne correspond pas au département choisi."],
        )
        commune = Commune(name="Lens", insee_code="12345", department="62")
        with self.assertRaises(ValidationError) as raised:
            commune.full_clean()
        self.assertIn("commence par 59 ou 62", raised.exception.message_dict["insee_code"][0])


class TestAdminScreens(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pages = one_page_of_each_type(site_home_page())
        CommuneFactory(name="Rouvroy", insee_code="62724", department="62")

    def setUp(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_superuser("redaction", "r@example.org", "x")
        self.client.force_login(user)

    def test_edit_views_of_every_page_type_show_their_tabs(self):
        from django.urls import reverse

        expected_tabs = {
            CityPage: ["Cité", "Travaux", "Participation", "Photos"],
            WebinarPage: ["Webinaire", "Partenaires et liens", "Replay et documents"],
            CaseStudyPage: ["Retour d'expérience", "Budget"],
            NewsPage: ["Article", "Cités concernées"],
        }
        for page in self.pages:  # every page type, the indexes and the figures page too
            response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            self.assertEqual(response.status_code, 200, page)
            html = response.content.decode().replace("&#x27;", "'")
            for tab in expected_tabs.get(type(page), []):
                self.assertIn(tab, html)
        html = self.client.get(
            reverse("wagtailadmin_pages:edit", args=[CityPage.objects.get().pk])
        ).content.decode()
        self.assertIn("les tranches doivent totaliser ce nombre", html)  # French help text

    def test_reference_data_lists(self):
        from django.urls import reverse

        for model in ["commune", "epci", "landlord", "organisation", "theme", "newscategory"]:
            url = reverse(f"wagtailsnippets_cites_pages_{model}:list")
            self.assertEqual(self.client.get(url).status_code, 200, model)
        html = self.client.get(reverse("wagtailsnippets_cites_pages_commune:list")).content.decode()
        self.assertIn("62724", html)  # Rouvroy's INSEE code
