"""Pages render what editors entered (the programme of tests/sites.py): what a visitor reads."""

import html as html_lib
import re

from tests.typography import as_typed

from .base import ProgrammeSiteTestCase


class TestCityPages(ProgrammeSiteTestCase):
    def test_a_cite_shows_its_diagnosis_with_photo_credit_and_quote(self):
        page = as_typed(self.html("/cites/cite-des-tilleuls/"))
        self.assertIn("<h1>Cité des Tilleuls</h1>", page)
        self.assertIn("Aubry (59)", page)
        self.assertIn("Agglo du Levant", page)
        self.assertIn("Diagnostic en marchant : tout le monde dehors !", page)
        self.assertIn('datetime="2023-04-05">5 avril 2023</time>', page)
        self.assertIn("Crédit ville d'Aubry", page)
        self.assertIn("Jeanne Martin", page)
        self.assertIn("Maire d'Aubry", page)
        self.assertIn("Position approximative", page)

    def test_a_cite_lists_its_phases_with_the_total(self):
        page = html_lib.unescape(self.html("/cites/cite-du-chevalement/"))
        self.assertIn("Logis du Couchant", page)
        for label, dwellings in [("Tranches 1 et 2", 250), ("Tranche 3", 150), ("Tranche 4", 200)]:
            self.assertIn(f'<th scope="row">{label}</th><td>{dwellings}</td>', page)
        self.assertIn('<th scope="row">Total</th><td>600</td>', page)

    def test_a_cite_spans_two_communes(self):
        page = as_typed(self.html("/cites/cite-des-deux-rives/"))
        self.assertIn("Aubry (59), Berle (59)", page)
        self.assertIn("Crédit ville de Berle", page)

    def test_mentions_are_listed_on_the_profile_automatically(self):
        page = as_typed(self.html("/cites/cite-du-chevalement/"))
        self.assertIn("Sur le site à propos de cette cité", page)
        self.assertIn("Médiation de proximité, cité du Chevalement", page)
        self.assertIn("Accompagner les habitants pendant les travaux", page)
        other = as_typed(self.html("/cites/cite-des-acacias/"))
        self.assertIn("Des habitants mobilisés", other)
        self.assertNotIn("Médiation de proximité", other)

    def test_an_unpublished_mention_disappears(self):
        self.programme.case_studies["mediation"].unpublish()
        page = as_typed(self.html("/cites/cite-du-chevalement/"))
        self.assertNotIn("Médiation de proximité, cité du Chevalement", page)

    def test_pages_in_a_private_section_are_not_mentioned(self):
        from wagtail.models import PageViewRestriction

        from cites_pages.models import CaseStudyIndexPage

        PageViewRestriction.objects.create(
            page=CaseStudyIndexPage.objects.get(),
            restriction_type=PageViewRestriction.PASSWORD,
            password="secret",  # noqa: S106
        )
        page = as_typed(self.html("/cites/cite-du-chevalement/"))
        self.assertNotIn("Médiation de proximité, cité du Chevalement", page)
        self.assertIn("Accompagner les habitants pendant les travaux", page)
        webinar = as_typed(self.html("/webinaires/accompagner-les-habitants/"))
        self.assertNotIn("Jardin partagé, cité du Terril", webinar)
        self.assertIn('href="/cites/cite-du-terril/"', webinar)


GARDEN = "/retours-d-experience/jardin-partage-cite-du-terril/"


class TestNewsAndCaseStudies(ProgrammeSiteTestCase):
    def test_news_with_key_figures(self):
        page = as_typed(self.html("/actualites/comite-de-pilotage/"))
        self.assertIn("14 mars 2024", page)
        self.assertIn(
            "12 premières cités", page.replace('</span> <span class="key-figures__label">', " ")
        )
        self.assertIn("Le comité adopte le guide de la rénovation.", page)

    def test_news_lists_related_cities(self):
        page = html_lib.unescape(self.html("/actualites/des-habitants-mobilises/"))
        self.assertIn("Cités concernées", page)
        self.assertIn('href="/cites/cite-des-deux-rives/"', page)

    def test_budget_total_and_funding(self):
        page = html_lib.unescape(self.html(GARDEN))
        for provider, amount in [
            ("Atelier Vert", "20\u202f000\u00a0€"),
            ("Jardins du Nord", "90\u202f000\u00a0€"),
            ("Paysages et Jardins", "15\u202f000\u00a0€"),
        ]:
            self.assertIn(f'<td>{provider}</td><td class="num">{amount}</td>', page)
        self.assertIn("5\u202f250\u00a0€", page)
        self.assertIn("9\u202f750\u00a0€", page)
        self.assertIn('<td class="num">140\u202f000\u00a0€</td>', page)  # computed total
        self.assertIn(
            "Abattement de TFPB (Habitat du Levant)\u00a0: 120\u202f000\u00a0€, soit 86 %", page
        )
        self.assertNotIn("ne couvrent pas exactement", page)
        self.assertIn("4 200 m²", page)

    def test_case_study_key_figures(self):
        page = html_lib.unescape(self.html("/retours-d-experience/mediation-cite-du-chevalement/"))
        for value, label in [
            ("40", "cafés habitants"),
            ("600", "kits écogestes distribués"),
            ("3", "années d'animations de proximité"),
        ]:
            self.assertIn(
                f'<span class="key-figures__value">{value}</span> '
                f'<span class="key-figures__label">{label}</span>',
                as_typed(page),
            )

    def test_unbalanced_funding_is_said_on_the_page(self):
        page = self.programme.case_studies["jardin"]
        line = page.funding_lines.get(source="bailleur")
        line.amount = 10_000
        line.save()
        html = html_lib.unescape(self.html(page.url))
        self.assertIn("écart de 10\u202f000\u00a0€", html)

    def test_lead_organisations_and_theme(self):
        page = as_typed(self.html("/retours-d-experience/ateliers-cite-de-la-fosse/"))
        self.assertIn("Agence régionale d'urbanisme", page)
        self.assertIn("École d'architecture du Nord", page)
        self.assertIn("Mobiliser les ressources locales", page)


class TestCaseStudyIndex(ProgrammeSiteTestCase):
    def titles(self, url: str) -> list[str]:
        page = as_typed(self.html(url))
        return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', page)

    def test_filters_by_theme_city_and_organisation(self):
        self.assertEqual(len(self.titles("/retours-d-experience/")), 3)
        self.assertEqual(
            self.titles("/retours-d-experience/?theme=creer-du-lien-entre-voisins"),
            ["Jardin partagé, cité du Terril"],
        )
        self.assertEqual(
            self.titles("/retours-d-experience/?cite=cite-du-chevalement"),
            ["Médiation de proximité, cité du Chevalement"],
        )
        self.assertEqual(
            self.titles("/retours-d-experience/?organisation=agence-regionale-durbanisme"),
            ["Ateliers de jeunes architectes, cité de la Fosse"],
        )

    def test_unknown_values_give_the_whole_list(self):
        self.assertEqual(len(self.titles("/retours-d-experience/?theme=nope&cite=%00&page=x")), 3)
