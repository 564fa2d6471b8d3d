"""The search page and the autocomplete endpoint, on whichever database the run uses."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from renouveau.models import StandardPage
from search.searching import run_search, suggestions
from tests.factories import StandardPageFactory
from tests.typography import as_typed

pytestmark = pytest.mark.django_db


HOME = "Renouveau du Bassin Minier"
HOUR = datetime.timedelta(hours=1)


def titles(response) -> list[str]:
    return [result.page.title for result in response.context["search"].results]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The home page names the landlord "Maisons & Cités".
        ("cite", {"Les rénovations de la cité des Provinces", "Cités minières du Nord", HOME}),
        ("cités", {"Les rénovations de la cité des Provinces", "Cités minières du Nord", HOME}),
        ("renovation", {"Les rénovations de la cité des Provinces", HOME}),
        ("RÉNOVATIONS", {"Les rénovations de la cité des Provinces", HOME}),
        ("habitant", {"Les rénovations de la cité des Provinces", "Cités minières du Nord"}),
        ("habitants", {"Les rénovations de la cité des Provinces", "Cités minières du Nord"}),
        ("rénovation Sallaumines", {"Les rénovations de la cité des Provinces"}),
        ("jardin citoyen", {"Les rénovations de la cité des Provinces"}),
        ("legales", {"Mentions légales"}),
    ],
)
def test_french_accents_and_plurals_are_optional(client, search_pages, query, expected):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    assert set(titles(response)) == expected


def test_results_show_type_excerpt_and_highlights(client, search_pages):
    response = client.get("/recherche/", {"q": "jardin Sallaumines"})
    html = response.content.decode()
    assert "1 résultat pour « jardin Sallaumines »" in as_typed(html)
    assert '<span class="tag">Page de contenu</span>' in html
    assert "<mark>Sallaumines</mark>" in html and "<mark>jardin</mark>" in html
    assert 'href="/renovations-sallaumines/"' in html


def test_unknown_words_say_so(client, search_pages):
    html = client.get("/recherche/", {"q": "zzyzx"}).content.decode()
    assert "Aucun résultat pour « zzyzx »" in as_typed(html)


def test_draft_and_private_pages_are_not_found(client, home_page, search_pages, reindex):
    draft = StandardPage(title="Brouillon Sallaumines", slug="brouillon", live=False)
    home_page.add_child(instance=draft)
    private = StandardPageFactory(parent=home_page, slug="prive", title="Privé Sallaumines")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    reindex()
    response = client.get("/recherche/", {"q": "Sallaumines"})
    assert titles(response) == ["Les rénovations de la cité des Provinces"]


def test_expired_pages_are_not_found_before_the_scheduler_unpublishes_them(
    client, home_page, search_pages, reindex
):
    now = timezone.now()
    StandardPageFactory(
        parent=home_page, slug="expiree", title="Expirée Sallaumines", expire_at=now - HOUR
    )
    StandardPageFactory(
        parent=home_page, slug="bientot", title="Bientôt expirée Sallaumines", expire_at=now + HOUR
    )
    reindex()
    response = client.get("/recherche/", {"q": "Sallaumines"})
    assert set(titles(response)) == {
        "Bientôt expirée Sallaumines",
        "Les rénovations de la cité des Provinces",
    }
    assert response.context["search"].total == 2


def test_filter_by_content_type(client, search_pages):
    response = client.get("/recherche/", {"q": "cite", "type": "renouveau.standardpage"})
    assert len(titles(response)) == 2
    assert response.context["search"].selected_type == "renouveau.standardpage"
    html = response.content.decode()
    assert '<option value="renouveau.standardpage" selected>Pages de contenu</option>' in html
    response = client.get("/recherche/", {"q": "cite", "type": "renouveau.homepage"})
    assert titles(response) == [HOME]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"type": "nimportequoi"}, "Le type de contenu demandé n'existe pas"),
        ({"type": "auth.user"}, "Le type de contenu demandé n'existe pas"),
        ({"commune": "atlantide"}, "commune demandée est inconnue"),
        ({"epci": "<b>x</b>"}, "intercommunalité demandée est inconnue"),
        # PostgreSQL refuses a NUL byte in a query's text: it never reaches the database.
        ({"commune": "cite\x00"}, "commune demandée est inconnue"),
        ({"epci": "\x00"}, "intercommunalité demandée est inconnue"),
    ],
)
def test_unknown_filters_are_ignored_with_a_message(client, search_pages, params, message):
    response = client.get("/recherche/", {"q": "citoyen", **params})
    assert response.status_code == 200
    html = response.content.decode()
    assert any(message in text for text in response.context["search"].messages)
    assert escape(message) in html
    assert titles(response) == ["Les rénovations de la cité des Provinces"]  # unfiltered
    assert "<b>x</b>" not in html


@pytest.mark.parametrize(
    "q",
    [
        "",
        "a",
        "é",
        "x" * 2000,
        "cité " * 400,
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "' OR 1=1; DROP TABLE wagtailcore_page; --",
        '"unbalanced AND (OR NOT *',
        "NEAR(a b) cite* ^rénovation -habitant +x:y",
        "cité\x00rénovation",
        "\u202ecité\u200f",
        "🏚️🏗️ cité",
        "c\u0327\u0301\u0308ite\u0300\u0300\u0300",
        "100% 50_50 \\ \\\\ ''",
        "%00 %s {} []",
    ],
)
def test_bad_input_gets_a_helpful_200_page(client, search_pages, q):
    response = client.get("/recherche/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "\x00" not in html
    search = response.context["search"]
    if not search.query.searchable:
        assert search.messages  # the visitor is told why nothing was searched


@pytest.mark.parametrize(
    "page_number", ["abc", "-1", "0", "99999", "9" * 30, "1e5", "9" * 5000, "", "２"]
)
def test_bad_page_numbers_fall_back_to_a_real_page(client, home_page, reindex, page_number):
    for i in range(12):
        StandardPageFactory(parent=home_page, slug=f"cite-{i}", title=f"Cité numéro {i}")
    reindex()
    response = client.get("/recherche/", {"q": "numero", "page": page_number})
    assert response.status_code == 200
    search = response.context["search"]
    assert search.total == 12 and len(search.results) in (10, 2)
    assert escape("La page de résultats demandée n'existe pas") in response.content.decode()


def test_pagination_keeps_query_and_filters(client, home_page, reindex):
    for i in range(25):
        StandardPageFactory(parent=home_page, slug=f"cite-{i}", title=f"Cité numéro {i}")
    reindex()
    response = client.get(
        "/recherche/", {"q": "numéro", "type": "renouveau.standardpage", "page": "2"}
    )
    search = response.context["search"]
    assert search.page_obj.number == 2 and len(search.results) == 10
    html = response.content.decode()
    assert "?q=num%C3%A9ro&amp;type=renouveau.standardpage&amp;page=3" in html
    assert "page 2 sur 3" in html


def test_listing_queries_do_not_grow_with_results(home_page, reindex):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            run_search({"q": "exemple"}, record_hit=False)
        return len(queries)

    StandardPageFactory(parent=home_page, slug="exemple-a", title="Exemple A")
    reindex()
    count_queries()  # warms Django's content-type and site caches
    few = count_queries()
    for i in range(15):
        StandardPageFactory(parent=home_page, slug=f"exemple-{i}", title=f"Exemple {i}")
    reindex()
    assert count_queries() == few


def test_searches_are_recorded_for_the_popular_queries_report(client, search_pages):
    client.get("/recherche/", {"q": "Rénovation"})
    client.get("/recherche/", {"q": "rénovation", "page": "2"})  # same search, next page
    client.get("/recherche/", {"q": "a"})  # not searched: not recorded
    assert Query.get("rénovation").hits == 1
    assert list(Query.get_most_popular().values_list("query_string", flat=True)) == ["rénovation"]
    assert not Query.objects.filter(query_string="a").exists()


def test_promoted_results_come_first_with_or_without_accents(client, search_pages, home_page):
    legal = search_pages["legal"]
    SearchPromotion.objects.create(
        query=Query.get("rénovation"), page=legal, description="Tout sur le programme."
    )
    SearchPromotion.objects.create(
        query=Query.get("renovation"),
        external_link_url="https://example.org/erbm",
        external_link_text="Le site de l'État",
    )
    response = client.get("/recherche/", {"q": "Rénovation"})
    promotions = response.context["search"].promotions
    assert [p.title for p in promotions] == ["Mentions légales", "Le site de l'État"]
    html = response.content.decode()
    assert html.index("Nous vous recommandons") < html.index("Les <mark>rénovations</mark>")
    assert "Tout sur le programme." in html
    # A promoted page that is unpublished is not shown.
    legal.unpublish()
    response = client.get("/recherche/", {"q": "rénovation"})
    assert [p.title for p in response.context["search"].promotions] == ["Le site de l'État"]


def test_autocomplete_suggests_titles_as_the_visitor_types(client, search_pages):
    response = client.get("/recherche/suggestions/", {"q": "rénov"})
    assert response.status_code == 200
    assert response.json() == {
        "suggestions": [
            {
                "title": "Les rénovations de la cité des Provinces",
                "url": "/renovations-sallaumines/",
            }
        ]
    }
    assert [s["title"] for s in suggestions("renov")] == [
        "Les rénovations de la cité des Provinces"
    ]
    assert {s["title"] for s in suggestions("cit")} == {
        "Les rénovations de la cité des Provinces",
        "Cités minières du Nord",
    }
    for bad in ["", "a", "<script>", "\x00\x00", "x" * 2000]:
        assert client.get("/recherche/suggestions/", {"q": bad}).status_code == 200


def test_search_page_works_without_javascript_and_links_its_script(client, search_pages):
    html = client.get("/recherche/", {"q": "cité"}).content.decode()
    assert '<form class="search-form" role="search" action="/recherche/" method="get">' in html
    assert '<label for="search-q">' in html
    assert 'value="cité"' in html
    assert "/static/search/autocomplete.js" in html
    assert "<script>" not in html and "style=" not in html  # strict CSP: no inline code


def test_popular_queries_show_in_the_admin_report(client, admin_client, search_pages):
    from django.urls import reverse

    for _ in range(3):
        client.get("/recherche/", {"q": "jardin citoyen"})
    client.get("/recherche/", {"q": "cité"})
    html = admin_client.get(reverse("wagtailsearchpromotions:search_terms")).content.decode()
    # Most searched first, with their hit counts.
    row = r"<td[^>]*>\s*{}\s*</td>\s*<td[^>]*>\s*{}\s*</td>"
    first = re.search(row.format("jardin citoyen", 3), html)
    second = re.search(row.format("cité", 1), html)
    assert first and second and first.start() < second.start()
