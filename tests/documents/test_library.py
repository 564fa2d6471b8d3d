"""The public library page: listing, filters, downloads, and the privacy of on-request files."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import DocumentKind
from tests.factories import CityPageFactory

pytestmark = pytest.mark.django_db


def test_listing_shows_downloads_and_request_links(client, library, make_document):
    public = make_document("Cahier technique", kind=DocumentKind.CAHIER_TECHNIQUE)
    on_request = make_document("Référentiel", on_request=True, kind=DocumentKind.REFERENTIEL)
    response = client.get("/ressources/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{public.url}"' in html
    assert f"PDF, {public.file_size}" in html  # file type and size
    assert f'href="/ressources/demande/{on_request.pk}/"' in html
    assert "Demander ce document" in html
    assert on_request.url not in html  # no direct link to an on-request file


def test_filters_by_kind_and_theme(client, library, make_document):
    from cites_pages.models import Theme

    theme = Theme.objects.create(name="Accompagner le changement individuel")
    make_document("Cahier technique", kind=DocumentKind.CAHIER_TECHNIQUE, theme=theme)
    make_document("Diaporama", kind=DocumentKind.PRESENTATION)
    html = client.get("/ressources/", {"type": "presentation"}).content.decode()
    assert "Diaporama" in html and "Cahier technique</h2>" not in html
    html = client.get("/ressources/", {"theme": theme.slug}).content.decode()
    assert "Cahier technique</h2>" in html and "Diaporama" not in html
    assert f'<option value="{theme.slug}" selected>' in html


def test_filter_by_cite(client, library, make_document, home_page):
    cite = CityPageFactory(parent=home_page, slug="cite-taffin", title="Cité Taffin")
    linked = make_document("Compte rendu de visite", kind=DocumentKind.COMPTE_RENDU)
    linked.related_pages.add(cite)
    make_document("Autre document")
    html = client.get("/ressources/", {"cite": "cite-taffin"}).content.decode()
    assert "Compte rendu de visite" in html and "Autre document" not in html
    assert 'href="/cite-taffin/"' in html  # related cité linked from the document


@pytest.mark.parametrize(
    "query",
    [
        {"type": "nimporte"},
        {"theme": "<script>"},
        {"cite": "x" * 500},
        {"page": "abc"},
        {"page": "999"},
        {"page": "-1"},
    ],
)
def test_bad_filter_values_give_the_unfiltered_list(client, library, make_document, query):
    make_document("Cahier technique")
    make_document("Diaporama")
    response = client.get("/ressources/", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cahier technique" in html and "Diaporama" in html


def test_listing_queries_do_not_grow_with_the_number_of_documents(client, library, make_document):
    from cites_pages.models import Theme

    theme = Theme.objects.create(name="Thème")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/ressources/").status_code == 200
        return len(queries)

    for i in range(3):
        make_document(f"Document {i}", theme=theme).related_pages.add(library)
    count_queries()  # warm the per-process caches (site root paths…)
    few = count_queries()
    for i in range(3, 20):
        make_document(f"Document {i}", theme=theme, on_request=i % 2 == 0).related_pages.add(
            library
        )
    assert count_queries() == few


def test_wagtail_document_url_serves_public_files_only(client, make_document, library):
    public = make_document("Public")
    private = make_document("Sur demande", on_request=True)
    response = client.get(public.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response = client.get(private.url)
    assert response.status_code == 403
    assert "disponible sur demande" in response.content.decode()
    assert f"/ressources/demande/{private.pk}/" in response.content.decode()


def test_cached_library_page_shows_a_new_document(client, library, make_document, settings):
    settings.PAGE_CACHE_SECONDS = 600
    make_document("Premier document")
    assert "Premier document" in client.get("/ressources/").content.decode()
    make_document("Nouveau compte rendu")
    assert "Nouveau compte rendu" in client.get("/ressources/").content.decode()
