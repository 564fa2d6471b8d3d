import io

import pytest
from django.core.management import call_command

from tests.factories import StandardPageFactory


def update_index() -> None:
    """Page saves only enqueue indexing tasks (run by `db_worker`); tests index at once."""
    call_command("update_index", stdout=io.StringIO())


@pytest.fixture
def reindex(db):
    return update_index


@pytest.fixture
def search_pages(home_page):
    """A few pages whose words exercise French accents and plurals."""
    pages = {
        "renovations": StandardPageFactory(
            parent=home_page,
            slug="renovations-sallaumines",
            title="Les rénovations de la cité des Provinces",
            teaser_text="Retour d'expérience à Sallaumines : un jardin citoyen.",
            intro="Les habitants ont conçu le jardin avec Maisons & Cités.",
            body=[
                (
                    "paragraph",
                    "<p>Après les <b>rénovations</b>, les habitants de la cité se retrouvent "
                    "au jardin citoyen de Sallaumines.</p>",
                )
            ],
        ),
        "cites": StandardPageFactory(
            parent=home_page,
            slug="cites-minieres",
            title="Cités minières du Nord",
            teaser_text="Les cités minières classées au patrimoine mondial.",
            body=[("paragraph", "<p>Un habitant sur cinq vit dans une cité.</p>")],
        ),
        "legal": StandardPageFactory(
            parent=home_page,
            slug="mentions",
            title="Mentions légales",
            body=[("paragraph", "<p>Éditeur du site.</p>")],
        ),
    }
    update_index()
    return pages
