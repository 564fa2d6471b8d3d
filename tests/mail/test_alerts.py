"""The cité alert as a reader gets it (issue 29, item 5): no hidden text, buttons readable in
dark mode, each publication once (a webinar naming two followed cités), the subject's count
right, the text part wrapped."""

import re

import pytest
from django.utils import timezone

from mailing.delivery.alert_mail import render_alert
from mailing.models import CiteUpdate
from tests.factories import CitiesIndexPageFactory, CityPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def updates(home_page):
    index = CitiesIndexPageFactory(parent=home_page)
    lemay = CityPageFactory(parent=index, title="Cité Lemay")
    pinson = CityPageFactory(parent=index, title="Cité du Pinson")
    now = timezone.now()

    def update(cite, source, title, kind="Actualité"):
        return CiteUpdate.objects.create(
            cite=cite,
            source=source,
            kind=kind,
            title=title,
            url=f"https://renouveau.example/{source.replace(':', '-')}/",
            summary="Les habitants sont invités à une réunion d'information sur le chantier "
            "de rénovation énergétique des logements de la cité, avec le bailleur et la ville. "
            * 2,
            published_at=now,
        )

    return [
        update(lemay, "page:1", "Les travaux commencent"),
        update(pinson, "page:2", "Réunion publique au Pinson"),
        # The same webinar names both cités: one publication.
        update(lemay, "page:3", "Webinaire : isoler les cités", kind="Webinaire"),
        update(pinson, "page:3", "Webinaire : isoler les cités", kind="Webinaire"),
    ]


def test_each_publication_once_and_the_subject_counts_publications(updates):
    subject, html, text = render_alert(updates)
    assert subject == "Nouveautés de Cité du Pinson et Cité Lemay (3 publications)"
    assert html.count('href="https://renouveau.example/page-3/"') == 1
    assert text.count("https://renouveau.example/page-3/") == 1
    assert "concerne aussi" in html


def test_no_hidden_text_and_buttons_readable_in_dark_mode(updates):
    _, html, _ = render_alert(updates)
    assert "position:absolute" not in html and "-9999px" not in html
    # A rust button outside `.cta` takes the dark mode's light-rust link colour: 3.8:1.
    for match in re.finditer(r'bgcolor="#a8361a"', html):
        assert 'class="cta' in html[max(0, match.start() - 600) : match.start()]


def test_the_text_part_is_wrapped(updates):
    _, _, text = render_alert(updates)
    long_lines = [line for line in text.splitlines() if len(line) > 72 and "://" not in line]
    assert long_lines == []
    assert "réunion d’information" in text  # typeset
