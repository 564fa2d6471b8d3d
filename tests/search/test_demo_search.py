"""Search over the programme's demo content: every page type, communes and EPCI filters."""

import io

import pytest
from django.core.management import call_command

from search.searching import run_search

pytestmark = pytest.mark.django_db

CASE_STUDY = "Jardin citoyen, cité 5/12 à Sallaumines"


@pytest.fixture
def demo(db):
    call_command("load_demo_content", stdout=io.StringIO())


def found(params: dict) -> list[str]:
    return [result.page.title for result in run_search(params, record_hit=False).results]


def test_the_case_study_comes_first_for_renovation_sallaumines(demo):
    # The case study says "réhabilitation": a synonym of "rénovation" for the programme.
    assert found({"q": "rénovation Sallaumines"})[0] == CASE_STUDY


def test_filters_by_commune_and_epci(demo):
    from cites_pages.models import Commune

    sallaumines = Commune.objects.get(name="Sallaumines")
    onnaing = Commune.objects.get(name="Onnaing")
    # The case study is tied to the commune through its cité.
    in_sallaumines = found({"q": "jardin", "commune": sallaumines.slug})
    assert CASE_STUDY in in_sallaumines
    assert CASE_STUDY not in found({"q": "jardin", "commune": onnaing.slug})
    in_epci = found({"q": "jardin", "epci": sallaumines.epci.slug})
    assert set(in_sallaumines) <= set(in_epci)
    outcome = run_search({"q": "jardin", "commune": sallaumines.slug}, record_hit=False)
    assert outcome.selected_commune == sallaumines.slug
    assert any(choice.slug == onnaing.slug for choice in outcome.commune_choices)


def test_every_result_has_a_type_and_dated_pages_show_their_date(demo, client):
    outcome = run_search({"q": "habitants"}, record_hit=False, per_page=100)
    assert outcome.total >= 5
    types = {result.type_label for result in outcome.results}
    assert {"Cité", "Retour d’expérience"} <= types
    for result in outcome.results:
        if hasattr(result.page, "issue_date"):
            assert result.date == result.page.issue_date
    html = client.get("/recherche/", {"q": "habitants mobilisés"}).content.decode()
    assert "<time datetime=" in html


def test_any_word_fallback_when_no_page_has_them_all(demo):
    outcome = run_search({"q": "Sallaumines introuvablexyz"}, record_hit=False)
    assert CASE_STUDY in [result.page.title for result in outcome.results]
    assert any("au moins un" in message for message in outcome.messages)


def test_case_studies_and_cites_are_found_by_figures_and_landlords(demo):
    # "170 582 €" only appears among the case study's key figures.
    assert found({"q": "170 582"}) == [CASE_STUDY]
    # A cité page names its landlord only through the Landlord snippet.
    assert found({"q": "SIA Habitat", "type": "cites_pages.citypage"})
