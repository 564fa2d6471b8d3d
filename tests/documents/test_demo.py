"""The documents demo content: real PDFs, idempotent, and a library page that renders."""

import pytest

from documents import demo
from documents.models import Availability, DocumentLibraryPage, LibraryDocument

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_and_renders(client, home_page):
    demo.load(home_page)
    demo.load(home_page)
    assert DocumentLibraryPage.objects.count() == 1
    documents = {d.title: d for d in LibraryDocument.objects.all()}
    assert len(documents) == 3
    referentiel = documents[
        "Référentiel d'ambitions partagées de rénovation des cités minières ERBM"
    ]
    assert referentiel.availability == Availability.ON_REQUEST
    assert "17 mai 2019" in referentiel.description and "90 personnes" in referentiel.description
    for document in documents.values():
        with document.open_file() as f:
            assert f.read(5) == b"%PDF-"
        assert document.file_size > 500 and document.file_hash
    cahier = documents[
        "Accompagner les habitants au changement lors de la rénovation des cités minières"
    ]
    assert cahier.is_public and cahier.theme.name == "Accompagner le changement individuel"

    html = client.get("/ressources/").content.decode()
    assert "3 documents" in html
    assert "Demander ce document" in html and "Télécharger" in html
    assert client.get(f"/ressources/demande/{referentiel.pk}/").status_code == 200


def test_full_demo_links_the_webinar_slides_to_the_webinar_and_cite_noumea(client):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    slides = LibraryDocument.objects.get(kind="presentation")
    related = {page.slug for page in slides.related_pages.all()}
    assert "cite-noumea" in related and len(related) == 2  # the cité and the webinar
    html = client.get("/ressources/", {"cite": "cite-noumea"}).content.decode()
    assert slides.title.split(" :")[0] in html
    assert "Cahier technique</span>" not in html
