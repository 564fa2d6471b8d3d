"""Small sites the browser tests build with factories (tests/factories.py, tests/pages.py)
instead of the demo content. Each journey asks for what it shows, under names chosen here, so
editing the demo breaks none of them:

    home = fresh_home()                          # the home page a flushed database lost
    cites = build_cites(home, count=5)           # « Les cités » in the menu, two EPCIs
    issue = issue_with_every_block(home)         # tests/pages.py: N°2, one block of each kind
    build_library(home)                          # the library: two documents
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from cites_pages.models import CityPage, Status
from documents.models import Availability, DocumentKind, LibraryDocument
from renouveau.form_pages import FormField, FormPage
from tests.factories import (
    CitiesIndexPageFactory,
    CityPageFactory,
    CommuneFactory,
    DocumentLibraryPageFactory,
    EPCIFactory,
    LandlordFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    SiteImageFactory,
)
from tests.pages import site_home_page
from works.models import MonthlyDelivery, Operation, Phase, WorksNote

# The cités of `build_cites`, in title order; the first EPCI holds the first three.
CITE_TITLES = [
    "Cité des Acacias",
    "Cité des Bouleaux",
    "Cité des Charmes",
    "Cité des Érables",
    "Cité des Frênes",
    "Cité des Glycines",
]
EPCI_NAMES = ("Agglomération du Val de Sensée", "Communauté de communes des Terrils")
LANDLORD_NAMES = ("Habitat des Corons", "Logis du Bassin")
# What the first cité shows: a dated step of its timeline, with a credited photo and a quote.
EVENT_TITLE = "Balade urbaine : les habitants montrent leur cité"
PHOTO_CREDIT = "Crédit ville de Berle"
QUOTE_AUTHOR = "Jeanne Carpentier"


def fresh_home() -> Page:
    """The home page and default site, made again after a browser test's flush, with the
    caches (site root paths, rate limits, fragments) of the previous test emptied."""
    cache.clear()
    return site_home_page()


@dataclass
class Cites:
    index: Page
    cities: list[CityPage]
    epcis: list = field(default_factory=list)
    landlords: list = field(default_factory=list)

    def in_epci(self, epci) -> list[CityPage]:
        return [city for city in self.cities if city.epci_id == epci.pk]


def build_cites(home: Page, count: int = 5) -> Cites:
    """`count` published cités on the map under « Les cités » (in the menu): the first three
    in the first EPCI, the others in the second; the first one with a landlord of its own, a
    teaser photo, a timeline step (photo with its credit, a quote) and a video."""
    epcis = [EPCIFactory(name=name) for name in EPCI_NAMES]
    landlords = [LandlordFactory(name=name) for name in LANDLORD_NAMES]
    index = CitiesIndexPageFactory(parent=home, show_in_menus=True)
    photo = SiteImageFactory(
        title="Balade urbaine",
        description="Des habitants marchent ensemble dans une rue de la cité.",
        credit=PHOTO_CREDIT,
    )
    cities = []
    for number, title in enumerate(CITE_TITLES[:count]):
        first = number == 0
        epci = epcis[0] if number < 3 else epcis[1]
        commune = CommuneFactory(name=f"Commune {title.split()[-1]}", epci=epci)
        extra = {}
        if first:
            extra = {
                "teaser_image": photo,
                "timeline": [("event", _walk_event(photo))],
                "body": [
                    (
                        "video",
                        {
                            "video": "https://vimeo.com/76979871",
                            "title": "La balade urbaine en images",
                            "transcript": "Les habitants présentent leur cité.",
                        },
                    )
                ],
            }
        city = CityPageFactory(
            parent=index,
            title=title,
            intro=f"Les 120 logements miniers de la {commune.name}, rénovés avec leurs habitants.",
            communes=[commune],
            epci=epci,
            landlord=landlords[0] if first else landlords[1],
            status=Status.WORKS,
            latitude=Decimal("50.40000") + Decimal(number) / 100,
            longitude=Decimal("3.00000") + Decimal(number) / 100,
            **extra,
        )
        cities.append(CityPage.objects.get(pk=city.pk))
    return Cites(index=index, cities=cities, epcis=epcis, landlords=landlords)


def _walk_event(photo) -> dict:
    return {
        "date": datetime.date(2024, 5, 17),
        "date_precision": "day",
        "end_date": None,
        "kind": "balade",
        "title": EVENT_TITLE,
        "text": "<p>Les habitants ont relevé ce qui va et ce qui ne va pas.</p>",
        "images": [{"image": photo, "alt_text": "", "caption": "", "credit": ""}],
        "quotes": [
            {
                "text": "Les habitants voient ce que nous ne voyons pas.",
                "author": QUOTE_AUTHOR,
                "role": "Maire de Berle",
            }
        ],
    }


def index_for_search() -> None:
    """Bring the search index up to date: page saves only enqueue indexing tasks, which no
    worker runs during a browser test."""
    call_command("update_index", stdout=io.StringIO())


def news_index(home: Page) -> Page:
    return NewsIndexPageFactory(parent=home, show_in_menus=True)


def news_about(home: Page, city: CityPage, title: str, **fields) -> Page:
    return NewsPageFactory(parent=news_index(home), title=title, related_cities=[city], **fields)


# --- the document library -------------------------------------------------------------------

ON_REQUEST_TITLE = "Guide d'accompagnement de la rénovation des cités"
PUBLIC_TITLE = "Diaporama de la réunion publique"


def pdf_bytes(title: str) -> bytes:
    """A small, valid one-page PDF naming `title` (ASCII only)."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out + trailer.encode()


def library_document(title: str, kind: str, availability: str, **fields) -> LibraryDocument:
    """A document of the library with a real PDF file, as Wagtail's upload form leaves it."""
    document = LibraryDocument(title=title, kind=kind, availability=availability, **fields)
    document.file.save(f"{kind}.pdf", ContentFile(pdf_bytes(title)), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def build_library(home: Page) -> dict[str, LibraryDocument]:
    """« Ressources » (in the menu) with one document on request and one public presentation."""
    DocumentLibraryPageFactory(parent=home, show_in_menus=True)
    return {
        "on_request": library_document(
            ON_REQUEST_TITLE,
            DocumentKind.REFERENTIEL,
            Availability.ON_REQUEST,
            date=datetime.date(2024, 5, 17),
            description="Le guide de la rénovation des cités, envoyé sur demande.",
        ),
        "public": library_document(
            PUBLIC_TITLE,
            DocumentKind.PRESENTATION,
            Availability.PUBLIC,
            date=datetime.date(2025, 6, 22),
            description="Les diapositives de la réunion publique.",
        ),
    }


# --- the site's own pages -------------------------------------------------------------------

CONTACT_SUBJECTS = "Question sur le programme\nQuestion sur une cité\nAccessibilité du site"


def contact_form(home: Page) -> FormPage:
    """« Nous contacter » at /contact/: name, address, a subject to choose, a message."""
    page = FormPage(
        title="Nous contacter",
        slug="contact",
        submit_label="Envoyer le message",
        thank_you_text="<p>Merci, votre message a bien été envoyé.</p>",
    )
    page.form_fields = [
        FormField(label="Nom", field_type="singleline", required=True),
        FormField(label="Adresse électronique", field_type="email", required=True),
        FormField(label="Objet", field_type="dropdown", required=True, choices=CONTACT_SUBJECTS),
        FormField(label="Message", field_type="multiline", required=True),
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


# --- the works tracker ----------------------------------------------------------------------


def build_works(home: Page) -> Cites:
    """Two cités with a works operation each. The first (its landlord the first of
    `build_cites`): tranche 1 done (180 dwellings), tranche 2 under way (120, to end in March
    2027), 200 dwellings delivered, one works note; the second: 100 delivered. 300 in all."""
    cites = build_cites(home, count=2)
    first, second = cites.cities
    day = datetime.date
    operation = Operation(city=first, landlord=cites.landlords[0], dwellings_planned=300)
    operation.phases = [
        Phase(
            kind=Phase.Kind.WORKS,
            label="Tranche 1",
            dwellings=180,
            planned_start=day(2022, 1, 1),
            planned_end=day(2023, 12, 31),
            actual_start=day(2022, 2, 1),
            actual_end=day(2024, 3, 31),
        ),
        Phase(
            kind=Phase.Kind.WORKS,
            label="Tranche 2",
            dwellings=120,
            planned_start=day(2025, 1, 1),
            planned_end=day(2027, 3, 31),
            actual_start=day(2025, 2, 1),
        ),
    ]
    operation.deliveries = [
        MonthlyDelivery(month=day(2023, m, 1), dwellings=20) for m in range(1, 11)
    ]
    operation.notes = [
        WorksNote(
            date=day(2026, 11, 17),
            title="Tranche 2 : reprise des toitures",
            text="Les couvreurs interviennent jusqu'à la fin du mois.",
            announced_at=timezone.now(),  # announced already: alerts nobody
        )
    ]
    operation.save()
    other = Operation(city=second, landlord=cites.landlords[1], dwellings_planned=100)
    other.deliveries = [MonthlyDelivery(month=day(2024, 5, 1), dwellings=100)]
    other.save()
    return cites
