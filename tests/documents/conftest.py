import pytest
from django.core.files.base import ContentFile


@pytest.fixture(autouse=True)
def clear_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()


PDF = b"%PDF-1.4\n% Renouveau test document\n%%EOF\n"


@pytest.fixture
def make_document(db):
    from documents.models import Availability, LibraryDocument

    def make(title="Référentiel d'ambitions partagées", *, on_request=False, content=PDF, **fields):
        document = LibraryDocument(
            title=title,
            availability=Availability.ON_REQUEST if on_request else Availability.PUBLIC,
            **fields,
        )
        document.file.save("document.pdf", ContentFile(content), save=False)
        document._set_document_file_metadata()
        document.save()
        return document

    return make


@pytest.fixture
def library(home_page):
    from documents.models import DocumentLibraryPage
    from renouveau.demo import child_page

    return child_page(home_page, DocumentLibraryPage, slug="ressources", title="Ressources")
