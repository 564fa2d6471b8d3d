"""A programme built with factories, under neutral names: what the site's pages need to show
every kind of content (cités in two intercommunalités, one over two communes, one with works
phases; news; case studies with budgets; a past and an upcoming webinar; the figures page),
without the seeds' facts. Tests assert on the facts written here, so editing the demo content
breaks none of them.

    programme = build_programme(home)
    programme.cities["cite-du-chevalement"].url     # "/cites/cite-du-chevalement/"
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from wagtail.models import Page

from cites_pages.models import (
    BudgetLine,
    CaseStudyPage,
    CityPage,
    CityPhase,
    FundingLine,
    Status,
    WebinarPage,
)
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    CitiesIndexPageFactory,
    CityPageFactory,
    CommuneFactory,
    EPCIFactory,
    LandlordFactory,
    NewsCategoryFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    OrganisationFactory,
    ProgrammeFiguresPageFactory,
    SiteImageFactory,
    ThemeFactory,
    WebinarIndexPageFactory,
    WebinarPageFactory,
)

PARIS = ZoneInfo("Europe/Paris")

# The past webinar of the programme (a fixed date, long gone).
PAST_WEBINAR_START = datetime.datetime(2025, 3, 18, 14, 0, tzinfo=PARIS)


@dataclass
class Programme:
    home: Page
    epcis: dict = field(default_factory=dict)
    communes: dict = field(default_factory=dict)
    landlords: dict = field(default_factory=dict)
    organisations: dict = field(default_factory=dict)
    themes: list = field(default_factory=list)
    cities: dict = field(default_factory=dict)
    news: dict = field(default_factory=dict)
    case_studies: dict = field(default_factory=dict)
    webinars: dict = field(default_factory=dict)


def event(date, kind, title, text="", *, images=(), quotes=()):
    """A dated step of a cité's timeline (the `timeline` stream's « event » block)."""
    value = {
        "date": date,
        "date_precision": "day",
        "end_date": None,
        "kind": kind,
        "title": title,
        "text": text,
        "images": list(images),
        "quotes": list(quotes),
    }
    return ("event", value)


def credited(image) -> dict:
    return {"image": image, "alt_text": "", "caption": "", "credit": ""}


def _reference(programme: Programme) -> None:
    levant = EPCIFactory(name="Agglo du Levant", short_name="AL")
    couchant = EPCIFactory(name="Agglo du Couchant", short_name="AC")
    programme.epcis = {"levant": levant, "couchant": couchant}
    for name, insee, epci in [
        ("Aubry", "59010", levant),
        ("Berle", "59020", levant),
        ("Corvin", "59030", levant),
        ("Dorval", "62040", couchant),
        ("Estrée", "62050", couchant),
    ]:
        programme.communes[name] = CommuneFactory(
            name=name, insee_code=insee, department=insee[:2], epci=epci
        )
    for name in ["Habitat du Levant", "Logis du Couchant"]:
        programme.landlords[name] = LandlordFactory(name=name)
    for name in ["Association Relais", "Paysages et Jardins", "École d'architecture du Nord"]:
        programme.organisations[name] = OrganisationFactory(name=name)
    programme.organisations["Agence"] = OrganisationFactory(
        name="Agence régionale d'urbanisme", short_name="ARU"
    )
    programme.themes = [
        ThemeFactory(name=name, sort_order=order)
        for order, name in enumerate(
            [
                "Informer les habitants",
                "Créer du lien entre voisins",
                "Mobiliser les ressources locales",
            ],
            start=1,
        )
    ]


def _cities(programme: Programme, index: Page) -> None:
    c = programme.communes
    meeting = SiteImageFactory(
        title="Réunion dans la rue, cité des Tilleuls",
        description="Des habitants réunis dans la rue de la cité des Tilleuls.",
        credit="Crédit ville d'Aubry",
    )
    visit = SiteImageFactory(
        title="Visite, cité des Deux Rives",
        description="Des habitants des Deux Rives en visite.",
        credit="Crédit ville de Berle",
    )
    house = SiteImageFactory(
        title="Maison du projet, cité du Chevalement",
        description="La maison du projet de la cité du Chevalement.",
        credit="Crédit Logis du Couchant",
    )
    cities = [
        {
            "slug": "cite-des-tilleuls",
            "title": "Cité des Tilleuls",
            "communes": [c["Aubry"]],
            "status": Status.STUDIES,
            "teaser_image": meeting,
            "timeline": [
                event(
                    datetime.date(2023, 4, 5),
                    "diagnostic",
                    "Diagnostic en marchant : tout le monde dehors !",
                    "<p>Les habitants ont relevé ce qui va et ce qui ne va pas.</p>",
                    images=[credited(meeting)],
                    quotes=[
                        {
                            "text": "Les habitants voient ce que nous ne voyons pas.",
                            "author": "Jeanne Martin",
                            "role": "Maire d'Aubry",
                        }
                    ],
                )
            ],
        },
        {
            "slug": "cite-des-deux-rives",
            "title": "Cité des Deux Rives",
            "communes": [c["Aubry"], c["Berle"]],
            "status": Status.STUDIES,
            "teaser_image": visit,
            "timeline": [
                event(
                    datetime.date(2023, 5, 9),
                    "visite",
                    "Allons voir ailleurs",
                    images=[credited(visit)],
                )
            ],
        },
        {"slug": "cite-du-puits", "title": "Cité du Puits", "communes": [c["Corvin"]]},
        {"slug": "cite-des-acacias", "title": "Cité des Acacias", "communes": [c["Berle"]]},
        {
            "slug": "cite-du-chevalement",
            "title": "Cité du Chevalement",
            "communes": [c["Dorval"]],
            "landlord": programme.landlords["Logis du Couchant"],
            "dwellings": 600,
            "status": Status.WORKS,
            "teaser_image": house,
            "key_figures": [("figure", {"value": "600", "label": "logements réhabilités"})],
            "timeline": [
                event(
                    datetime.date(2022, 9, 1),
                    "autre",
                    "Ouverture de la maison du projet",
                    images=[credited(house)],
                )
            ],
        },
        {
            "slug": "cite-du-terril",
            "title": "Cité du Terril",
            "communes": [c["Estrée"]],
            "landlord": programme.landlords["Habitat du Levant"],
            "status": Status.DONE,
        },
        {"slug": "cite-de-la-fosse", "title": "Cité de la Fosse", "communes": [c["Estrée"]]},
        {"slug": "cite-des-mineurs", "title": "Cité des Mineurs", "communes": [c["Dorval"]]},
    ]
    statuses = {"cite-du-puits": Status.WORKS, "cite-des-acacias": Status.DONE}
    for number, data in enumerate(cities):
        data.setdefault("status", statuses.get(data["slug"], Status.STUDIES))
        data.setdefault("dwellings", None)
        data.setdefault("intro", f"Une cité minière de {data['communes'][0].name}.")
        city = CityPageFactory(
            parent=index,
            publish=False,  # published once, by the hook that sets its communes
            latitude=Decimal("50.40000") + Decimal(number) / 100,
            longitude=Decimal("3.00000") + Decimal(number) / 100,
            location_is_approximate=True,
            **data,
        )
        programme.cities[city.slug] = CityPage.objects.get(pk=city.pk)
    chevalement = programme.cities["cite-du-chevalement"]
    for label, dwellings, status in [
        ("Tranches 1 et 2", 250, Status.DONE),
        ("Tranche 3", 150, Status.WORKS),
        ("Tranche 4", 200, Status.PROGRAMMED),
    ]:
        CityPhase.objects.create(page=chevalement, label=label, dwellings=dwellings, status=status)


def _news(programme: Programme, index: Page) -> None:
    cities = programme.cities
    programme.news["comite"] = NewsPageFactory(
        parent=index,
        publish=False,
        slug="comite-de-pilotage",
        title="Comité de pilotage : le programme avance",
        date=datetime.date(2024, 3, 14),
        lead="Le comité de pilotage a fait le point sur les premières cités.",
        categories=[NewsCategoryFactory(name="Gouvernance")],
        related_cities=[cities["cite-du-chevalement"]],
        body=[
            ("paragraph", "<p>Le comité adopte le guide de la rénovation.</p>"),
            (
                "key_figures",
                {
                    "title": "",
                    "figures": [{"value": "12", "label": "premières cités programmées"}],
                },
            ),
        ],
    )
    programme.news["habitants"] = NewsPageFactory(
        parent=index,
        publish=False,
        slug="des-habitants-mobilises",
        title="Des habitants mobilisés",
        date=datetime.date(2024, 6, 3),
        lead="Diagnostics, visites et ateliers dans les cités du Levant.",
        categories=[NewsCategoryFactory(name="Participation des habitants")],
        image=cities["cite-des-tilleuls"].teaser_image,
        related_cities=[cities[s] for s in ["cite-des-tilleuls", "cite-des-deux-rives"]]
        + [cities[s] for s in ["cite-du-puits", "cite-des-acacias"]],
    )


def _case_studies(programme: Programme, index: Page) -> None:
    cities, themes, org = programme.cities, programme.themes, programme.organisations
    landlords = programme.landlords
    programme.case_studies["mediation"] = CaseStudyPageFactory(
        parent=index,
        publish=False,
        slug="mediation-cite-du-chevalement",
        title="Médiation de proximité, cité du Chevalement",
        theme=themes[0],
        cities=[cities["cite-du-chevalement"]],
        lead_organisations=[org["Association Relais"]],
        start_year=2022,
        key_figures=[
            ("figure", {"value": "40", "label": "cafés habitants"}),
            ("figure", {"value": "600", "label": "kits écogestes distribués"}),
            ("figure", {"value": "3", "label": "années d'animations de proximité"}),
        ],
    )
    garden = CaseStudyPageFactory(
        parent=index,
        publish=False,
        slug="jardin-partage-cite-du-terril",
        title="Jardin partagé, cité du Terril",
        theme=themes[1],
        cities=[cities["cite-du-terril"]],
        lead_organisations=[org["Paysages et Jardins"]],
        intro="Un jardin de 4 200 m² sur une friche, à la demande des habitants.",
        teaser_image=SiteImageFactory(
            title="Plan du jardin partagé",
            description="Le plan du jardin partagé de la cité du Terril.",
            credit="Crédit Habitat du Levant",
        ),
        key_figures=[("figure", {"value": "4 200 m²", "label": "de friche en jardin"})],
    )
    garden.landlords.set([landlords["Habitat du Levant"]])
    for item, provider, amount in [
        ("Conception", "Atelier Vert", 20_000),
        ("Travaux paysagers", "Jardins du Nord", 90_000),
        ("Assistance", "Paysages et Jardins", 15_000),
        ("Bornage", "Habitat du Levant", 5_250),
        ("Évacuation des gravats", "Habitat du Levant", 9_750),
    ]:
        BudgetLine.objects.create(page=garden, item=item, provider=provider, amount=amount)
    for source, amount in [
        (FundingLine.Source.ATFPB, 120_000),
        (FundingLine.Source.LANDLORD, 20_000),
    ]:
        FundingLine.objects.create(
            page=garden, source=source, funder="Habitat du Levant", amount=amount
        )
    garden.save_revision().publish()
    programme.case_studies["jardin"] = garden
    programme.case_studies["ateliers"] = CaseStudyPageFactory(
        parent=index,
        publish=False,
        slug="ateliers-cite-de-la-fosse",
        title="Ateliers de jeunes architectes, cité de la Fosse",
        theme=themes[2],
        cities=[cities["cite-de-la-fosse"]],
        lead_organisations=[org["Agence"], org["École d'architecture du Nord"]],
    )


def _webinars(programme: Programme, index: Page) -> None:
    cities, landlords = programme.cities, programme.landlords
    past = WebinarPageFactory(
        parent=index,
        publish=False,
        slug="accompagner-les-habitants",
        title="Accompagner les habitants pendant les travaux",
        start=PAST_WEBINAR_START,
        end=PAST_WEBINAR_START + datetime.timedelta(hours=2),
        mode=WebinarPage.Mode.ONLINE,
        intro="Trois retours d'expérience sur l'accompagnement des habitants.",
        related_cities=[cities[s] for s in ["cite-du-chevalement", "cite-du-terril"]]
        + [cities["cite-de-la-fosse"]],
    )
    past.themes.set(programme.themes)
    past.partner_landlords.set(landlords.values())
    past.related_case_studies.set(programme.case_studies.values())
    past.save_revision().publish()
    for case_study in programme.case_studies.values():
        case_study.related_webinar = past
        case_study.save_revision().publish()
    day = timezone.localdate() + datetime.timedelta(days=28)
    start = datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=PARIS)
    upcoming = WebinarPageFactory(
        parent=index,
        publish=False,
        slug="webinaire-a-venir",
        title="Préparer les habitants aux travaux",
        start=start,
        end=start + datetime.timedelta(hours=1, minutes=30),
        related_cities=[cities["cite-du-chevalement"]],
    )
    programme.webinars = {
        "past": WebinarPage.objects.get(pk=past.pk),
        "upcoming": WebinarPage.objects.get(pk=upcoming.pk),
    }


def build_programme(home: Page) -> Programme:
    """The programme's indexes (in the menu) with their pages, and the figures page."""
    programme = Programme(home=home)
    _reference(programme)
    _cities(programme, CitiesIndexPageFactory(parent=home, show_in_menus=True))
    _news(programme, NewsIndexPageFactory(parent=home, show_in_menus=True))
    _case_studies(programme, CaseStudyIndexPageFactory(parent=home, show_in_menus=True))
    _webinars(programme, WebinarIndexPageFactory(parent=home, show_in_menus=True))
    programme.case_studies = {
        key: CaseStudyPage.objects.get(pk=page.pk) for key, page in programme.case_studies.items()
    }
    ProgrammeFiguresPageFactory(parent=home)
    return programme
