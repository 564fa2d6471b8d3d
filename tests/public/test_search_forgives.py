"""Search that forgives: misspellings corrected (« Vouliez-vous dire … ? »), French word forms
found on SQLite too, clean excerpts, type filter in a visitor's words."""

import html

import pytest

from search.searching import run_search
from search.text import clean_text, light_stem
from tests.factories import NewsPageFactory, StandardPageFactory
from tests.search.conftest import update_index
from tests.sites import build_programme
from tests.typography import as_typed

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(home_page):
    """The programme (tests/sites.py), its news index described in words with « cité », and a
    page and a news item whose words the tests look for."""
    from cites_pages.models import NewsIndexPage

    build_programme(home_page)
    NewsIndexPage.objects.filter().update(intro="Les nouvelles des cités du programme.")
    StandardPageFactory(
        parent=home_page,
        title="Le programme",
        body=[
            (
                "paragraph",
                "<p>Des logements mieux isolés : la rénovation des cités avec leurs habitants.</p>",
            )
        ],
    )
    NewsPageFactory(
        parent=NewsIndexPage.objects.get(),
        title="Réunion publique à Lens",
        lead="Les habitants de la cité rencontrent les élus de Lens-Liévin.",
    )
    update_index()


def page_text(client, query: str) -> str:
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_misspelt_word_is_corrected_and_its_results_shown(site, client):
    text = page_text(client, "logemnts")
    assert "Aucun résultat pour «\u00a0logemnts\u00a0». Vouliez-vous dire «\u00a0" in text
    assert '<a href="/recherche/?q=logements">logements</a>\u00a0»\u00a0?' in text
    assert "résultats pour « logements »" in as_typed(text)
    assert "<mark>logements</mark>" in text

    # Accents come back as the site writes them; a known word is left alone.
    outcome = run_search({"q": "habitnts renovaton"}, record_hit=False)
    assert outcome.suggestion == "habitants rénovation"
    assert run_search({"q": "logements"}, record_hit=False).suggestion == ""
    # Nothing near: no suggestion rather than a wild guess.
    assert run_search({"q": "zzyzx"}, record_hit=False).suggestion == ""


def test_other_forms_of_a_word_are_found(site):
    # « des logements mieux isolés » is found by « isolation » (on SQLite, without a stemmer).
    outcome = run_search({"q": "isolation"}, record_hit=False)
    assert outcome.total >= 1
    assert "<mark>isolés</mark>" in str(outcome.results[0].excerpt_html)
    assert light_stem("isolation") == light_stem("isolés") == "isol"
    assert light_stem("logement") == "logement"


def test_excerpts_have_no_leftovers(site):
    outcome = run_search({"q": "Lens"}, record_hit=False)
    assert outcome.total >= 1
    for result in outcome.results:
        excerpt = str(result.excerpt_html)
        assert ", ," not in excerpt and ".," not in excerpt
        assert " -Liévin" not in excerpt
    assert clean_text("ERBM., , , Sains-en-Gohelle de Lens -Liévin") == (
        "ERBM. Sains-en-Gohelle de Lens-Liévin"
    )
    repeated = "Une cité de Vieux-Condé rénovée. Une cité de Vieux-Condé rénovée. Visite."
    assert clean_text(repeated) == "Une cité de Vieux-Condé rénovée. Visite."


def test_the_type_filter_speaks_like_a_visitor(site, client):
    text = page_text(client, "cité")
    assert ">Actualités</option>" in text
    assert ">Cités</option>" in text
    assert ">Listes des actualités</option>" in text
    assert "Index des" not in text
