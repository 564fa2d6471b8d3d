"""The search form's choices (page types with a public page, communes, intercommunalités) are
the same for every search until something they show changes: kept in the fragment cache, as in
production (a real Redis), and refreshed at once by a new page type or a new commune."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.searching import run_search
from tests.factories import (
    CitiesIndexPageFactory,
    CityPageFactory,
    CommuneFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
)


def search() -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        outcome = run_search({"q": "cité"}, record_hit=False)
    return outcome, len(captured)


def test_the_choices_are_read_once_then_follow_the_content(db, redis_cache, home_page):
    CityPageFactory(parent=CitiesIndexPageFactory(parent=home_page), title="Cité des Genêts")
    news_index = NewsIndexPageFactory(parent=home_page)  # in the menu already: no news yet
    first, first_queries = search()
    again, again_queries = search()
    assert again_queries < first_queries  # types, communes, intercommunalités: kept
    assert [c.value for c in again.type_choices] == [c.value for c in first.type_choices]
    assert "cites_pages.newspage" not in {choice.value for choice in again.type_choices}

    NewsPageFactory(parent=news_index)  # the first news item: a new type to choose
    assert "cites_pages.newspage" in {choice.value for choice in search()[0].type_choices}

    CommuneFactory(name="Wallers-Arenberg", slug="wallers-arenberg")
    assert "wallers-arenberg" in {choice.slug for choice in search()[0].commune_choices}
