"""Pages render the seeds' facts: what a visitor reads."""

import html as html_lib

from tests.typography import as_typed

from .base import ProgrammeTestCase


class TestCityPages(ProgrammeTestCase):
    def test_saint_pierre_shows_its_shared_diagnosis_with_photo_credit_and_quote(self):
        page = as_typed(self.html("/cites/cite-saint-pierre/"))
        self.assertIn("<h1>Cité Saint-Pierre</h1>", page)
        self.assertIn("Condé-sur-l'Escaut (59)", page)
        self.assertIn("Valenciennes Métropole", page)
        self.assertIn("Diagnostic partagé : même sous la pluie, on avance !", page)
        self.assertIn('datetime="2019-06-12">12 juin 2019</time>', page)
        self.assertIn("Crédit ville Condé sur Escaut", page)
        self.assertIn("Grégory Lelong", page)
        self.assertIn("Maire de Condé-sur-Escaut", page)
        self.assertIn("Position approximative", page)

    def test_noumea_lists_its_phases_with_the_total(self):
        page = html_lib.unescape(self.html("/cites/cite-noumea/"))
        self.assertIn("SIA Habitat", page)
        for label, dwellings in [("Tranches 1 et 2", 331), ("Tranche 3", 183), ("Tranche 4", 251)]:
            self.assertIn(f'<th scope="row">{label}</th><td>{dwellings}</td>', page)
        self.assertIn('<th scope="row">Total</th><td>765</td>', page)

    def test_cuvinot_spans_two_communes(self):
        page = html_lib.unescape(self.html("/cites/cite-cuvinot/"))
        self.assertIn("Onnaing (59), Vicq (59)", page)
        self.assertIn("Crédit ville de Vicq", page)

    def test_mentions_are_listed_on_the_profile_automatically(self):
        page = html_lib.unescape(self.html("/cites/cite-noumea/"))
        self.assertIn("Sur le site à propos de cette cité", page)
        self.assertIn("Accompagnement Citéo, cité Nouméa à Rouvroy", page)
        self.assertIn("L'accompagnement des habitants pendant les rénovations", page)
        taffin = html_lib.unescape(self.html("/cites/cite-taffin/"))
        self.assertIn("Des habitants mobilisés dans les cités", taffin)
        self.assertNotIn("Accompagnement Citéo", taffin)

    def test_an_unpublished_mention_disappears(self):
        from cites_pages.models import CaseStudyPage

        CaseStudyPage.objects.get(slug="accompagnement-citeo-cite-noumea-rouvroy").unpublish()
        page = html_lib.unescape(self.html("/cites/cite-noumea/"))
        self.assertNotIn("Accompagnement Citéo, cité Nouméa à Rouvroy", page)

    def test_pages_in_a_private_section_are_not_mentioned(self):
        from wagtail.models import PageViewRestriction

        from cites_pages.models import CaseStudyIndexPage

        PageViewRestriction.objects.create(
            page=CaseStudyIndexPage.objects.get(),
            restriction_type=PageViewRestriction.PASSWORD,
            password="secret",  # noqa: S106
        )
        page = html_lib.unescape(self.html("/cites/cite-noumea/"))
        self.assertNotIn("Accompagnement Citéo, cité Nouméa à Rouvroy", page)
        self.assertIn("L'accompagnement des habitants pendant les rénovations", page)
        webinar = html_lib.unescape(
            self.html("/webinaires/accompagnement-des-habitants-pendant-les-renovations/")
        )
        self.assertNotIn("Jardin citoyen, cité 5/12 à Sallaumines", webinar)
        self.assertIn('href="/cites/cite-5-12/"', webinar)


class TestNewsAndCaseStudies(ProgrammeTestCase):
    def test_steering_committee_news(self):
        page = as_typed(self.html("/actualites/4e-comite-de-pilotage-20-juin-2019/"))
        self.assertIn("20 juin 2019", page)
        self.assertIn(
            "35 premières cités", page.replace('</span> <span class="key-figures__label">', " ")
        )
        self.assertIn("Référentiel d'ambitions partagées", page)

    def test_news_lists_related_cities(self):
        page = html_lib.unescape(self.html("/actualites/des-habitants-mobilises/"))
        self.assertIn("Cités concernées", page)
        self.assertIn('href="/cites/cite-la-parisienne/"', page)

    def test_citizen_garden_budget_total_and_funding(self):
        page = html_lib.unescape(
            self.html("/retours-d-experience/jardin-citoyen-cite-5-12-sallaumines/")
        )
        for provider, amount in [
            ("SERP", "24\u202f000\u00a0€"),
            ("Bonnet Paysage", "106\u202f000\u00a0€"),
            ("Art et Jardins", "20\u202f000\u00a0€"),
        ]:
            self.assertIn(f'<td>{provider}</td><td class="num">{amount}</td>', page)
        self.assertIn("8\u202f286\u00a0€", page)
        self.assertIn("12\u202f296\u00a0€", page)
        self.assertIn('<td class="num">170\u202f582\u00a0€</td>', page)  # computed total
        self.assertIn(
            "Abattement de TFPB (Maisons & Cités)\u00a0: 150\u202f000\u00a0€, soit 88 %", page
        )
        self.assertNotIn("ne couvrent pas exactement", page)
        self.assertIn("5 510 m²", page)

    def test_citeo_key_figures(self):
        page = html_lib.unescape(
            self.html("/retours-d-experience/accompagnement-citeo-cite-noumea-rouvroy/")
        )
        for value, label in [
            ("90", "cafés habitants"),
            ("765", "kits écogestes distribués"),
            ("4", "années d'animations de proximité"),
        ]:
            self.assertIn(
                f'<span class="key-figures__value">{value}</span> '
                f'<span class="key-figures__label">{label}</span>',
                page,
            )

    def test_unbalanced_funding_is_said_on_the_page(self):
        from cites_pages.models import CaseStudyPage

        page = CaseStudyPage.objects.get(slug="jardin-citoyen-cite-5-12-sallaumines")
        line = page.funding_lines.get(source="bailleur")
        line.amount = 10_000
        line.save()
        html = html_lib.unescape(self.html(page.url))
        self.assertIn("écart de 10\u202f582\u00a0€", html)

    def test_tepop_with_mission_bassin_minier_and_ensap(self):
        page = html_lib.unescape(
            self.html("/retours-d-experience/tepop-cite-du-10-sains-en-gohelle/")
        )
        self.assertIn("Mission Bassin Minier", page)
        self.assertIn("École nationale supérieure d'architecture et de paysage de Lille", page)
        self.assertIn("Mobiliser des ressources adaptées à la cité", page)


class TestCaseStudyIndex(ProgrammeTestCase):
    def titles(self, url: str) -> list[str]:
        import re

        page = html_lib.unescape(self.html(url))
        return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', page)

    def test_filters_by_theme_city_and_organisation(self):
        self.assertEqual(len(self.titles("/retours-d-experience/")), 3)
        self.assertEqual(
            self.titles("/retours-d-experience/?theme=recreer-un-collectif-a-lechelle-de-la-cite"),
            ["Jardin citoyen, cité 5/12 à Sallaumines"],
        )
        self.assertEqual(
            self.titles("/retours-d-experience/?cite=cite-noumea"),
            ["Accompagnement Citéo, cité Nouméa à Rouvroy"],
        )
        self.assertEqual(
            self.titles("/retours-d-experience/?organisation=mission-bassin-minier"),
            ["TePOP, Territoires à énergie populaire, à la cité du 10"],
        )

    def test_unknown_values_give_the_whole_list(self):
        self.assertEqual(len(self.titles("/retours-d-experience/?theme=nope&cite=%00&page=x")), 3)
