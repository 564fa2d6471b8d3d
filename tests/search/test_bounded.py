"""Search whose cost is bounded by the page of results (issue #18): a capped total, ranking on
a bounded candidate pool, pagination that still reaches every match. The caps are lowered
here so that a dozen pages exceed them; on SQLite only the cap applies (search.pg is the
PostgreSQL query)."""

import pytest
from django.db import connection
from modelsearch.conf import get_app_config

from search import pg
from search.searching import SearchOutcome, run_search, searchable_pages
from search.text import clean_query
from tests.factories import StandardPageFactory
from tests.search.conftest import update_index
from tests.typography import as_typed

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_pages(home_page, reindex):
    """12 pages saying "terril" once in their body; one of them also in its title and intro."""
    pages = [
        StandardPageFactory(
            parent=home_page,
            slug=f"page-{i}",
            title=f"Page numéro {i}",
            intro="Une cité minière du Pas-de-Calais.",
            body=[("paragraph", f"<p>Le terril numéro {i} domine la cité.</p>")],
        )
        for i in range(11)
    ]
    best = StandardPageFactory(
        parent=home_page,
        slug="les-terrils",
        title="Les terrils",
        intro="Les terrils, terril par terril.",
        body=[("paragraph", "<p>Chaque terril de la cité.</p>")],
    )
    reindex()
    return [*pages, best]


def test_total_is_capped_with_a_french_message(client, many_pages, monkeypatch):
    monkeypatch.setattr(pg, "RESULTS_CAP", 5)
    response = client.get("/recherche/", {"q": "terril"})
    search = response.context["search"]
    assert search.total == 5 and search.more
    assert "Plus de 5 résultats pour « terril »" in as_typed(response.content.decode())
    # Under the cap the exact count is shown.
    monkeypatch.setattr(pg, "RESULTS_CAP", 1000)
    html = client.get("/recherche/", {"q": "terril"}).content.decode()
    assert "12 résultats pour « terril »" in as_typed(html)


def test_total_text_groups_thousands_the_french_way():
    assert SearchOutcome(query=clean_query("x"), total=1).total_text == "1 résultat"
    assert SearchOutcome(query=clean_query("x"), total=12).total_text == "12 résultats"
    more = SearchOutcome(query=clean_query("x"), total=1000, more=True)
    assert more.total_text == "plus de 1\u00a0000 résultats"


def test_pagination_reaches_every_match_once_up_to_the_cap(many_pages, monkeypatch):
    monkeypatch.setattr(pg, "TITLE_POOL", 2)
    monkeypatch.setattr(pg, "BODY_POOL", 3)
    seen = []
    for number in range(1, 5):
        outcome = run_search({"q": "terril", "page": str(number)}, per_page=3, record_hit=False)
        assert outcome.page_obj.number == number and outcome.total == 12
        seen += [result.page.pk for result in outcome.results]
    assert sorted(seen) == sorted(page.pk for page in many_pages)

    monkeypatch.setattr(pg, "RESULTS_CAP", 7)
    outcome = run_search({"q": "terril", "page": "3"}, per_page=3, record_hit=False)
    assert outcome.total == 7 and outcome.more
    assert outcome.page_obj.number == 3 and len(outcome.results) == 1  # the 7th, last listed
    beyond = run_search({"q": "terril", "page": "4"}, per_page=3, record_hit=False)
    assert beyond.page_obj.number == 3  # past the cap: the last page, with a message
    assert any("n'existe pas" in message for message in beyond.messages)


def test_best_match_comes_first_even_past_the_candidate_pools(many_pages, monkeypatch):
    monkeypatch.setattr(pg, "TITLE_POOL", 1)
    monkeypatch.setattr(pg, "BODY_POOL", 2)
    monkeypatch.setattr(pg, "RESULTS_CAP", 4)
    outcome = run_search({"q": "terrils"}, record_hit=False)
    assert outcome.results[0].page.title == "Les terrils"
    assert outcome.more and outcome.total == 4


def test_two_words_rank_the_page_with_both_in_its_title_first(home_page, reindex):
    for i in range(6):
        StandardPageFactory(
            parent=home_page,
            slug=f"jardin-{i}",
            title=f"Compte rendu {i}",
            body=[("paragraph", "<p>Un jardin partagé, un chantier citoyen.</p>")],
        )
    StandardPageFactory(parent=home_page, slug="jardin-citoyen", title="Le jardin citoyen")
    reindex()
    outcome = run_search({"q": "jardin citoyen"}, record_hit=False)
    assert outcome.total == 7
    assert outcome.results[0].page.title == "Le jardin citoyen"


def test_tsquery_text_quotes_every_word():
    assert pg.tsquery_text(["cite", "renovation"], "and") == (
        "'cite' & ('renovation' | 'rehabilitation')"
    )
    assert pg.tsquery_text(["l'x", "a\\b"], "or") == "'l''x' | 'a\\\\b'"


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="search.pg is the PostgreSQL query"
)


@postgres_only
def test_a_word_the_stemmer_drops_does_not_stop_the_other_words_matching(search_pages):
    """Each term matches the title or the body on its own (search.pg._match_sql); a French
    stop word PostgreSQL drops ("sont") leaves the other terms, as in the whole query."""
    alone = run_search({"q": "habitants"}, record_hit=False)
    with_stop_word = run_search({"q": "habitants sont"}, record_hit=False)
    assert with_stop_word.messages == []  # every word found, no "any of the words" fallback
    assert [r.page.pk for r in with_stop_word.results] == [r.page.pk for r in alone.results]
    assert len(alone.results) == 2
    # A word in the title and another in the body: the page has them all.
    both = run_search({"q": "provinces jardin"}, record_hit=False)
    assert both.messages == [] and [r.page.slug for r in both.results] == [
        "renovations-sallaumines"
    ]


@postgres_only
def test_a_query_of_words_the_stemmer_drops_finds_nothing(search_pages):
    found = pg.ranked_ids(searchable_pages(), ["nous", "sont"], "and", 0, 10)
    assert (found.total, found.ids) == (0, [])
    found = pg.ranked_ids(searchable_pages(), ["nous", "sont"], "or", 0, 10)
    assert (found.total, found.ids) == (0, [])


@postgres_only
def test_index_vectors_are_kept_in_the_row(db):
    """Migration 0005: the title and body vectors stay in the entry's row (storage MAIN), so
    that matching 1,001 entries reads no TOAST chunks."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid ="
            " 'wagtailsearch_indexentry'::regclass AND attname IN ('title', 'body', 'body_text')"
        )
        assert dict(cursor.fetchall()) == {"title": "m", "body": "m", "body_text": "x"}


def _three_pages_out_of_table_order(home_page, title: str) -> list:
    """Three pages saying "terril" alike; updates then move the first page's index entry and
    the first two pages' rows after the others (PostgreSQL may read either table first)."""
    pages = [
        StandardPageFactory(
            parent=home_page,
            slug=f"terril-{letter}",
            title=f"{title} {letter}",
            body=[("paragraph", "<p>Le terril domine la cité.</p>")],
        )
        for letter in "abc"
    ]
    update_index()
    oldest = get_app_config().get_model("IndexEntry").objects.get(object_id=str(pages[0].pk))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wagtailsearch_indexentry SET body = body WHERE id = %s", [oldest.pk])
        for page in pages[:2]:
            cursor.execute("UPDATE wagtailcore_page SET title = title WHERE id = %s", [page.pk])
    return pages


@postgres_only
def test_the_first_matches_are_those_of_the_oldest_entries_not_of_the_table_order(home_page):
    """Past the cap, the matches listed are the entries' first by id, wherever an update put
    their rows in the table (search.pg orders by id so as to keep its pages in shared_buffers)."""
    first, second, third = _three_pages_out_of_table_order(home_page, "Page")
    # Cap 1: the first two matches are ranked (same score: the newer page first), one listed.
    found = pg.ranked_ids(searchable_pages(), ["terril"], "and", 0, 10, cap=1)
    assert found.more and found.ids == [second.pk]
