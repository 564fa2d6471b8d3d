"""Demo content of the programme, built from the seeds (newsletter N°2 of July 2019 and the
slides of the 22 June 2026 webinar). Idempotent: snippets are found by their natural key and
pages by slug (`renouveau.demo.child_page`).

What the seeds do not say is kept out or marked: map positions are the communes' centres and
flagged « approximative »; the webinar's hours are not in the slides (14 h - 16 h is assumed);
the phase statuses of the cité Nouméa are illustrative."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from renouveau.demo import child_page, placeholder_image
from renouveau.models import HomePage

from .models import (
    EPCI,
    BudgetLine,
    CaseStudyIndexPage,
    CaseStudyPage,
    CitiesIndexPage,
    CityPage,
    CityPhase,
    Commune,
    FundingLine,
    Landlord,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    Organisation,
    ProgrammeFiguresPage,
    Status,
    Theme,
    WebinarIndexPage,
    WebinarPage,
)

PARIS = ZoneInfo("Europe/Paris")
D = datetime.date

EPCIS = [
    # (name, short name)
    ("Valenciennes Métropole", "CAVM"),
    ("Communauté d'agglomération de la Porte du Hainaut", "CAPH"),
    ("Communauté d'agglomération de Lens-Liévin", "CALL"),
    ("Communauté d'agglomération d'Hénin-Carvin", "CAHC"),
    ("Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane", "CABBALR"),
    ("Douaisis Agglo", "Douaisis Agglo"),
    ("Communauté de communes Cœur d'Ostrevent", "CCCO"),
]

COMMUNES = [
    # (name, INSEE code, EPCI short name, approximate centre (lat, lon))
    ("Condé-sur-l'Escaut", "59153", "CAVM", (50.4545, 3.5886)),
    ("Onnaing", "59447", "CAVM", (50.3870, 3.5980)),
    ("Vicq", "59613", "CAVM", (50.4092, 3.6058)),
    ("Anzin", "59014", "CAVM", (50.3722, 3.5050)),
    ("Vieux-Condé", "59616", "CAVM", (50.4603, 3.5692)),
    ("Oignies", "62637", "CAHC", (50.4690, 2.9930)),
    ("Noyelles-Godault", "62624", "CAHC", (50.4180, 2.9930)),
    ("Drocourt", "62274", "CAHC", (50.3890, 2.9250)),
    ("Rouvroy", "62724", "CAHC", (50.3942, 2.9044)),
    ("Sallaumines", "62771", "CALL", (50.4180, 2.8600)),
    ("Sains-en-Gohelle", "62737", "CALL", (50.4453, 2.6844)),
]

LANDLORDS = ["Maisons & Cités", "SIA Habitat", "Pas-de-Calais Habitat", "Partenord"]

ORGANISATIONS = [
    # (name, short name, kind)
    ("Mission Bassin Minier", "MBM", Organisation.Kind.AGENCY),
    ("Citéo", "", Organisation.Kind.ASSOCIATION),
    ("CD2E", "CD2E", Organisation.Kind.AGENCY),
    ("Agence d'urbanisme de l'Artois", "AULA", Organisation.Kind.AGENCY),
    ("Institut régional de la ville", "IREV", Organisation.Kind.AGENCY),
    (
        "École nationale supérieure d'architecture et de paysage de Lille",
        "ENSAP Lille",
        Organisation.Kind.SCHOOL,
    ),
    ("SERP", "", Organisation.Kind.COMPANY),
    ("Bonnet Paysage", "", Organisation.Kind.COMPANY),
    ("Art et Jardins Hauts-de-France", "Art et Jardins", Organisation.Kind.ASSOCIATION),
    ("Région Hauts-de-France", "", Organisation.Kind.PUBLIC),
]

THEMES = [
    (
        1,
        "Accompagner le changement individuel",
        "Une dimension émotionnelle importante dans le vécu du changement : informer, consulter, "
        "expliquer avant ; valoriser la mémoire et garder un point de contact pendant ; "
        "corriger et aider à la prise en main après.",
    ),
    (
        2,
        "Recréer un collectif à l'échelle de la cité",
        "Les rénovations impactent durablement la vie sociale des cités : diagnostic commun, "
        "café coin de rue, maison du projet, personnes-relais, fête de quartier, tiers-lieux.",
    ),
    (
        3,
        "Mobiliser des ressources adaptées à la cité",
        "Des ressources humaines, urbaines et financières existent dans chaque cité : outiller "
        "les habitants, co-construire, animer.",
    ),
]


def load_reference_data() -> dict:
    epcis = {}
    for name, short in EPCIS:
        epcis[short], _ = EPCI.objects.get_or_create(name=name, defaults={"short_name": short})
    communes = {}
    for name, insee, epci, _position in COMMUNES:
        communes[name], _ = Commune.objects.get_or_create(
            insee_code=insee,
            defaults={"name": name, "department": insee[:2], "epci": epcis[epci]},
        )
    landlords = {name: Landlord.objects.get_or_create(name=name)[0] for name in LANDLORDS}
    organisations = {}
    for name, short, kind in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name, defaults={"short_name": short, "kind": kind}
        )
        organisations[short or name] = organisation
    themes = {}
    for order, name, description in THEMES:
        themes[order], _ = Theme.objects.get_or_create(
            name=name, defaults={"sort_order": order, "description": description}
        )
    categories = {
        name: NewsCategory.objects.get_or_create(name=name)[0]
        for name in ("Gouvernance", "Participation des habitants")
    }
    return {
        "epcis": epcis,
        "communes": communes,
        "landlords": landlords,
        "organisations": organisations,
        "themes": themes,
        "categories": categories,
    }


def position(commune: str) -> dict:
    lat, lon = next(p for name, _i, _e, p in COMMUNES if name == commune)
    return {
        "latitude": Decimal(str(lat)),
        "longitude": Decimal(str(lon)),
        "location_is_approximate": True,
    }


def image(title: str, description: str, credit: str, tint: int = 0) -> dict:
    """A credited image block value (a placeholder picture, the seeds' credit)."""
    return {
        "image": placeholder_image(title, description=description, credit=credit, tint=tint),
        "alt_text": "",
        "caption": "",
        "credit": "",
    }


def event(date, kind, title, text="", *, precision="day", end=None, images=(), quotes=()):
    return (
        "event",
        {
            "date": date,
            "date_precision": precision,
            "end_date": end,
            "kind": kind,
            "title": title,
            "text": text,
            "images": list(images),
            "quotes": list(quotes),
        },
    )


def load_cities(index: CitiesIndexPage, ref: dict) -> dict[str, CityPage]:
    c, landlords = ref["communes"], ref["landlords"]
    conde = image(
        "Diagnostic partagé à la cité Saint-Pierre",
        "Des habitants de la cité Saint-Pierre réunis dans la rue, sous la pluie, pendant le "
        "diagnostic partagé.",
        "Crédit ville Condé sur Escaut",
        tint=0,
    )
    vicq = image(
        "Habitants de Cuvinot en visite",
        "Des habitants du quartier Cuvinot en visite dans une autre cité minière.",
        "Crédit ville de Vicq",
        tint=1,
    )
    drocourt_1 = image(
        "Atelier à la cité de la Parisienne",
        "Des habitants de la cité de la Parisienne autour d'une table d'atelier.",
        "Crédit ville Drocourt",
        tint=2,
    )
    drocourt_2 = image(
        "Atelier sur la place des Mines, Drocourt",
        "Des habitants échangent sur l'avenir de la place des Mines.",
        "Crédit ville Drocourt",
        tint=3,
    )
    noumea = image(
        "Maison du Projet, cité Nouméa",
        "La Maison du Projet de la cité Nouméa à Rouvroy, lieu d'accueil des habitants.",
        "Crédit SIA Habitat",
        tint=4,
    )
    garden = image(
        "Jardin citoyen de la cité 5/12",
        "Plan du parc paysager aménagé au cœur de la cité 5/12 de Sallaumines.",
        "Crédit Maisons & Cités",
        tint=5,
    )
    tepop = image(
        "Ateliers TePOP à la cité du 10",
        "Des jeunes de la cité du 10 et des étudiants en architecture autour d'un jeu de "
        "cartes sur l'aménagement de la cité.",
        "Crédit Mission Bassin Minier",
        tint=0,
    )
    visit_17_may = (
        "<p>Les villes d'Onnaing et Vicq, avec l'appui de Valenciennes Métropole, ont proposé "
        "au conseil citoyen et aux habitants du quartier Cuvinot d'aller à la rencontre "
        "d'autres cités minières du territoire. Deux cités ont été visitées le 17 mai 2019 : la "
        "cité du Mont de la Veine à Anzin (en cours de travaux) et la cité Taffin de "
        "Vieux-Condé (travaux terminés). Les habitants ont été reçus par des élus et des "
        "habitants investis dans la vie de quartier.</p>"
    )
    walks = (
        "<p>Partage d'idées « in situ » avec les habitants de la cité Declercq de Oignies et de "
        "la cité Crombez à Noyelles-Godault, suite aux entretiens individuels menés par le "
        "bureau d'études accompagnant la ville et l'intercommunalité.</p>"
    )
    cities_data = [
        dict(
            slug="cite-saint-pierre",
            title="Cité Saint-Pierre",
            communes=[c["Condé-sur-l'Escaut"]],
            status=Status.STUDIES,
            intro="À Condé-sur-l'Escaut, les habitants ont établi avec la ville un diagnostic "
            "partagé de leur cité, de ses difficultés et de ses nombreux atouts.",
            teaser_image=conde["image"],
            timeline=[
                event(
                    D(2019, 6, 12),
                    "diagnostic",
                    "Diagnostic partagé : même sous la pluie, on avance !",
                    "<p>Des difficultés de stationnement dans une rue trop étroite pour "
                    "permettre le ramassage des ordures ménagères, la présence de voitures "
                    "ventouses, des clôtures ou des extensions hétéroclites : les habitants de "
                    "la cité Saint-Pierre ont à la fois identifié les problèmes actuels du "
                    "quartier et ses nombreux atouts (city stade, espaces verts, proximité "
                    "directe de la médiathèque et d'une future école…).</p>",
                    images=[conde],
                    quotes=[
                        {
                            "text": "Malgré des remontées régulières, on ne voit pas tout. On a "
                            "besoin du ressenti et du vécu des habitants. Comprendre la vie du "
                            "quartier est essentiel pour faire ensemble un beau projet de "
                            "rénovation globale de la cité.",
                            "author": "Grégory Lelong",
                            "role": "Maire de Condé-sur-Escaut",
                        }
                    ],
                )
            ],
            **position("Condé-sur-l'Escaut"),
        ),
        dict(
            slug="cite-cuvinot",
            title="Cité Cuvinot",
            communes=[c["Onnaing"], c["Vicq"]],
            status=Status.STUDIES,
            intro="Le quartier Cuvinot, à cheval sur Onnaing et Vicq : son conseil citoyen est "
            "allé voir comment d'autres cités minières ont été rénovées.",
            teaser_image=vicq["image"],
            timeline=[
                event(
                    D(2019, 5, 17),
                    "visite",
                    "Échanges d'expériences : allons voir ailleurs…",
                    visit_17_may,
                    images=[vicq],
                )
            ],
            **position("Onnaing"),
        ),
        dict(
            slug="cite-du-mont-de-la-veine",
            title="Cité du Mont de la Veine",
            communes=[c["Anzin"]],
            status=Status.WORKS,
            intro="Une cité d'Anzin en cours de travaux, visitée par les habitants de Cuvinot.",
            timeline=[
                event(
                    D(2019, 5, 17),
                    "visite",
                    "Visite des habitants du quartier Cuvinot",
                    visit_17_may,
                )
            ],
            **position("Anzin"),
        ),
        dict(
            slug="cite-taffin",
            title="Cité Taffin",
            communes=[c["Vieux-Condé"]],
            status=Status.DONE,
            intro="Une cité de Vieux-Condé dont les travaux sont terminés.",
            timeline=[
                event(
                    D(2019, 5, 17),
                    "visite",
                    "Visite des habitants du quartier Cuvinot",
                    visit_17_may,
                )
            ],
            **position("Vieux-Condé"),
        ),
        dict(
            slug="cite-declercq",
            title="Cité Declercq",
            communes=[c["Oignies"]],
            status=Status.STUDIES,
            intro="À Oignies, les habitants partagent leurs idées sur place avec le bureau "
            "d'études de la ville et de l'intercommunalité.",
            timeline=[event(D(2019, 7, 3), "balade", "Balades urbaines", walks, end=D(2019, 7, 4))],
            **position("Oignies"),
        ),
        dict(
            slug="cite-crombez",
            title="Cité Crombez",
            communes=[c["Noyelles-Godault"]],
            status=Status.STUDIES,
            intro="À Noyelles-Godault, balades urbaines avec les habitants après des "
            "entretiens individuels.",
            timeline=[event(D(2019, 7, 3), "balade", "Balades urbaines", walks, end=D(2019, 7, 4))],
            **position("Noyelles-Godault"),
        ),
        dict(
            slug="cite-la-parisienne",
            title="Cité de la Parisienne",
            communes=[c["Drocourt"]],
            status=Status.STUDIES,
            intro="À Drocourt, quatre ateliers pour imaginer ensemble l'avenir de la cité.",
            teaser_image=drocourt_1["image"],
            timeline=[
                event(
                    D(2019, 6, 12),
                    "atelier",
                    "Co-construire des solutions…",
                    "<p>Quatre ateliers pour imaginer ensemble « l'avenir de la Place des "
                    "Mines », « les enjeux de déplacements et de stationnement », « les lieux "
                    "de rencontres et aires de jeux dans la cité », « les nombreux jardins et "
                    "voyettes… ». Ces échanges seront portés à la connaissance des élus de la "
                    "commune et de l'intercommunalité pour définir les axes de réflexion sur "
                    "les évolutions possibles du quartier dans le cadre de l'ERBM.</p>",
                    images=[drocourt_1, drocourt_2],
                )
            ],
            **position("Drocourt"),
        ),
        dict(
            slug="cite-noumea",
            title="Cité Nouméa",
            communes=[c["Rouvroy"]],
            landlord=landlords["SIA Habitat"],
            dwellings=765,
            status=Status.WORKS,
            intro="Une opération de réhabilitation d'envergure : 765 logements, avec une "
            "Maison du Projet et une médiation de proximité tout au long du chantier.",
            teaser_image=noumea["image"],
            phases=[
                CityPhase(label="Tranches 1 et 2", dwellings=331, status=Status.DONE),
                CityPhase(label="Tranche 3", dwellings=183, status=Status.WORKS),
                CityPhase(label="Tranche 4", dwellings=251, status=Status.PROGRAMMED),
            ],
            key_figures=[
                ("figure", {"value": "765", "label": "logements réhabilités"}),
                ("figure", {"value": "90", "label": "cafés habitants"}),
            ],
            timeline=[
                event(
                    D(2021, 1, 1),
                    "autre",
                    "Ouverture de la Maison du Projet",
                    "<p>Un lieu de proximité au cœur du quartier pour informer et rassurer "
                    "les habitants, recueillir leurs besoins et maintenir un lien permanent "
                    "avec les ménages.</p>",
                    precision="year",
                    images=[noumea],
                ),
                event(
                    D(2022, 1, 1),
                    "cafe",
                    "Une médiatrice Citéo présente chaque jour",
                    "<p>Depuis 2022, Delphine, médiatrice Citéo, assure une présence "
                    "quotidienne sur le quartier : accueil, accompagnement administratif, "
                    "veille sociale, médiation entre les habitants, le bailleur et les "
                    "entreprises, animation de la Maison du Projet et des cafés habitants.</p>",
                    precision="year",
                ),
            ],
            **position("Rouvroy"),
        ),
        dict(
            slug="cite-5-12",
            title="Cité 5/12",
            communes=[c["Sallaumines"]],
            landlord=landlords["Maisons & Cités"],
            status=Status.DONE,
            intro="Après un vaste programme de réhabilitation énergétique et structurelle, un "
            "jardin citoyen de 5 510 m² au cœur de la cité.",
            teaser_image=garden["image"],
            timeline=[
                event(
                    D(2022, 1, 1),
                    "cafe",
                    "Cafés-conversations",
                    "<p>Lors des « cafés-conversations » organisés par la commune de "
                    "Sallaumines, les habitants émettent le souhait d'avoir un espace paysager "
                    "commun.</p>",
                    precision="year",
                    end=D(2023, 12, 31),
                ),
                event(
                    D(2024, 1, 1),
                    "chantier",
                    "Maisons & Cités s'engage pour un jardin citoyen",
                    "<p>Le bailleur s'engage à aménager un parc paysager sur une friche de "
                    "5 510 m² au cœur de la cité.</p>",
                    precision="year",
                    images=[garden],
                ),
            ],
            body=[
                (
                    "video",
                    {
                        # Not a film of the cité (the seeds have none): the demo's example of
                        # a video shown only after the visitor's click.
                        "video": "https://vimeo.com/76979871",
                        "title": "Vidéo d'exemple : à remplacer par la visite de la cité 5/12",
                        "transcript": "Vidéo de démonstration, sans rapport avec la cité. "
                        "L'équipe du site la remplace par le film de la visite du jardin "
                        "citoyen.",
                    },
                )
            ],
            **position("Sallaumines"),
        ),
        dict(
            slug="cite-du-10",
            title="Cité du 10",
            communes=[c["Sains-en-Gohelle"]],
            status=Status.STUDIES,
            intro="Les jeunes de la cité du 10 de Béthune à Sains-en-Gohelle imaginent "
            "l'aménagement de leur cité avec des étudiants en architecture.",
            teaser_image=tepop["image"],
            timeline=[
                event(
                    D(2024, 1, 1),
                    "atelier",
                    "Ateliers TePOP (Territoires à énergie populaire)",
                    "<p>Les étudiants de l'École nationale supérieure d'architecture et de "
                    "paysage de Lille rencontrent les jeunes de Sains-en-Gohelle. Leurs "
                    "propositions ont été intégrées au projet de rénovation des espaces "
                    "publics ERBM.</p>",
                    precision="year",
                    images=[tepop],
                )
            ],
            **position("Sains-en-Gohelle"),
        ),
    ]
    cities = {}
    for data in cities_data:
        slug = data.pop("slug")
        data.setdefault("teaser_text", data["intro"])
        if "teaser_image" not in data:
            # The seeds have no photo of this cité: an illustration, said to be one.
            data["teaser_image"] = placeholder_image(
                f"Illustration : {data['title']}",
                description="Illustration : une rue de maisons de briques en bande d'une cité "
                "minière.",
                credit="Illustration générée pour la démonstration",
                tint=len(cities),
            )
        cities[slug] = child_page(index, CityPage, slug=slug, **data)
    return cities


STEERING_COMMITTEE_BODY = [
    (
        "paragraph",
        "<p>La programmation de la rénovation des 35 premières cités minières ERBM se précise. "
        "Les calendriers des travaux de réhabilitation des logements miniers ont été accélérés "
        "sur 8 d'entre elles grâce aux efforts conjugués des bailleurs et des collectivités.</p>"
        "<p>Concrètement, les premiers déménagements ont commencé en juin et le travail va se "
        "poursuivre à l'échelle des intercommunalités et des communes en s'appuyant sur un mode "
        "d'emploi collectivement construit et partagé, le Référentiel d'ambitions partagées, en "
        "impliquant de plus en plus d'habitants. La priorité pour les signataires (État, Région, "
        "Départements, EPCI) est <b>d'obtenir de réelles baisses de charges pour les habitants "
        "et des embauches dans les entreprises titulaires</b> (nouveaux emplois et emplois en "
        "insertion).</p>",
    ),
    (
        "key_figures",
        {
            "title": "",
            "figures": [
                {"value": "35", "label": "premières cités programmées"},
                {"value": "8", "label": "cités aux travaux accélérés"},
                {"value": "90", "label": "personnes à l'atelier du 17 mai sur le référentiel"},
            ],
        },
    ),
    (
        "paragraph",
        "<p>Ce comité a également mis en avant l'engagement des partenaires pour la réussite "
        "des jeunes du Bassin Minier avec le Micro-lycée qui ouvre à Liévin, ou encore des "
        "projets d'internats pour les jeunes les moins favorisés sur lesquels se concertent "
        "l'Éducation nationale, la Région et les deux Départements.</p>"
        "<p>Enfin, les partenaires publics ont donné leur accord pour travailler ensemble "
        "autour de l'accès à l'éco-mobilité et de la valorisation des potentiels du Bassin "
        "Minier en matière de production d'énergies vertes.</p>",
    ),
    ("heading", {"text": "Mode d'emploi de la rénovation intégrée", "level": "h2"}),
    ("heading", {"text": "À quoi sert un référentiel d'ambitions partagées ?", "level": "h3"}),
    (
        "paragraph",
        "<p>L'État et les élus ont défini une ambition forte pour que les rénovations des "
        "« cités ERBM » ne soient pas seulement des réhabilitations de logements. Elles doivent "
        "s'inscrire dans un projet de quartier, de ville, d'avenir pour les habitants de la "
        "cité d'aujourd'hui et ceux de demain. Pour que ça marche, il faut « traduire » "
        "techniquement ces ambitions politiques : en préconisations (l'étiquette énergétique "
        "attendue est du C ou BBC rénovation, et comment le vérifier) ou en conseils (comment "
        "suivre l'évolution des loyers ? comment communiquer et faire participer les "
        "habitants ? comment créer des opportunités d'insertion ? comment mettre en valeur la "
        "richesse patrimoniale des cités ?).</p>",
    ),
    ("heading", {"text": "Qui a écrit ce référentiel ?", "level": "h3"}),
    (
        "paragraph",
        "<p>C'est une co-écriture avec les signataires de l'Engagement et des partenaires "
        "(bailleurs, AULA, Mission Bassin Minier, CD2E, IREV…). 90 personnes ont participé le "
        "17 mai à un travail collectif de finalisation d'une première version enrichie par les "
        "bonnes pratiques des uns et des autres.</p>",
    ),
    ("heading", {"text": "Où trouver ce référentiel ?", "level": "h3"}),
    (
        "paragraph",
        "<p>Disponible sur simple demande à contact@renouveaubassinminier.fr.</p>",
    ),
]


def load_news(index: NewsIndexPage, ref: dict, cities: dict[str, CityPage]) -> None:
    categories = ref["categories"]
    child_page(
        index,
        NewsPage,
        slug="4e-comite-de-pilotage-20-juin-2019",
        title="4e comité de pilotage : la rénovation des cités minières, mais pas que",
        date=D(2019, 6, 20),
        lead="Le 20 juin 2019, le 4e comité de pilotage de l'ERBM a fait le point sur la "
        "programmation des 35 premières cités et fixé les priorités : baisse des charges pour "
        "les habitants et embauches dans les entreprises titulaires.",
        categories=[categories["Gouvernance"]],
        body=STEERING_COMMITTEE_BODY,
    )
    child_page(
        index,
        NewsPage,
        slug="des-habitants-mobilises",
        title="Des habitants mobilisés dans les cités",
        date=D(2019, 7, 1),
        lead="Diagnostic partagé à Condé-sur-l'Escaut, visites entre cités, balades urbaines à "
        "Oignies et Noyelles-Godault, ateliers à Drocourt : les habitants prennent part aux "
        "projets de rénovation.",
        categories=[categories["Participation des habitants"]],
        image=cities["cite-saint-pierre"].teaser_image,
        related_cities=[
            cities[slug]
            for slug in (
                "cite-saint-pierre",
                "cite-cuvinot",
                "cite-du-mont-de-la-veine",
                "cite-taffin",
                "cite-declercq",
                "cite-crombez",
                "cite-la-parisienne",
            )
        ],
        body=[
            (
                "paragraph",
                "<p>Le 12 juin, sous la pluie, les habitants de la cité Saint-Pierre à "
                "Condé-sur-l'Escaut ont établi un diagnostic partagé de leur quartier. Le 17 "
                "mai, le conseil citoyen du quartier Cuvinot (Onnaing et Vicq) a visité la "
                "cité du Mont de la Veine à Anzin et la cité Taffin de Vieux-Condé. Les 3 et 4 "
                "juillet, balades urbaines dans les cités Declercq (Oignies) et Crombez "
                "(Noyelles-Godault). Et le 12 juin, quatre ateliers à la cité de la Parisienne "
                "à Drocourt. Retrouvez chaque rencontre sur la fiche de la cité.</p>",
            )
        ],
    )


def load_case_studies(index: CaseStudyIndexPage, ref: dict, cities: dict) -> dict:
    themes, organisations, landlords = ref["themes"], ref["organisations"], ref["landlords"]
    case_studies = {}
    case_studies["citeo"] = child_page(
        index,
        CaseStudyPage,
        slug="accompagnement-citeo-cite-noumea-rouvroy",
        title="Accompagnement Citéo, cité Nouméa à Rouvroy",
        theme=themes[1],
        cities=[cities["cite-noumea"]],
        lead_organisations=[organisations["Citéo"]],
        landlords=[landlords["SIA Habitat"]],
        start_year=2021,
        intro="Au-delà des travaux sur 765 logements, un accompagnement des habitants pour "
        "faciliter l'appropriation des transformations et maintenir un dialogue permanent "
        "tout au long du chantier.",
        teaser_image=cities["cite-noumea"].teaser_image,
        context="<p>Une opération de réhabilitation d'envergure : 765 logements concernés "
        "(tranches 1 et 2 : 331 logements ; tranche 3 : 183 logements ; tranche 4 : 251 "
        "logements). La réhabilitation représentait bien plus qu'un chantier technique : elle "
        "impliquait aussi des évolutions importantes dans le quotidien des habitants.</p>",
        actions=[
            ("heading", {"text": "La Maison du Projet, cœur du dispositif", "level": "h3"}),
            (
                "paragraph",
                "<p>Créée en 2021, la Maison du Projet est un lieu de proximité au cœur du "
                "quartier. D'un simple espace d'information, elle est devenue un lieu "
                "ressource pour informer et rassurer les habitants, recueillir leurs besoins "
                "et préoccupations, maintenir un lien permanent avec les ménages et favoriser "
                "leur participation à la vie du quartier.</p>",
            ),
            ("heading", {"text": "Le rôle de Citéo", "level": "h3"}),
            (
                "paragraph",
                "<p>La mission confiée à Citéo reposait sur trois objectifs : accompagner les "
                "habitants tout au long des travaux, faciliter la compréhension et "
                "l'appropriation du projet, développer une dynamique collective au sein du "
                "quartier. Depuis 2022, Delphine, médiatrice Citéo, assure une présence "
                "quotidienne : accueil et information, accompagnement administratif, veille "
                "sociale, médiation entre les habitants, le bailleur et les entreprises, "
                "animation de la Maison du Projet.</p>",
            ),
        ],
        key_figures=[
            ("figure", {"value": "90", "label": "cafés habitants"}),
            ("figure", {"value": "765", "label": "kits écogestes distribués"}),
            ("figure", {"value": "4", "label": "années d'animations de proximité"}),
        ],
        lessons="<p>Sa présence régulière a permis d'instaurer une relation de confiance avec "
        "les habitants et d'assurer un traitement rapide des difficultés rencontrées durant les "
        "différentes phases de travaux. La médiation est devenue un véritable outil "
        "d'accompagnement des transitions sociales, environnementales et citoyennes.</p>",
    )
    case_studies["garden"] = child_page(
        index,
        CaseStudyPage,
        slug="jardin-citoyen-cite-5-12-sallaumines",
        title="Jardin citoyen, cité 5/12 à Sallaumines",
        theme=themes[2],
        cities=[cities["cite-5-12"]],
        landlords=[landlords["Maisons & Cités"]],
        lead_organisations=[organisations["Art et Jardins"]],
        start_year=2022,
        intro="L'aménagement d'un parc paysager sur une friche de 5 510 m² au cœur de la cité, "
        "à la demande des habitants, financé grâce à l'abattement de TFPB.",
        teaser_image=cities["cite-5-12"].teaser_image,
        context="<p>La cité du 5/12 de Sallaumines a bénéficié d'un vaste programme de "
        "réhabilitation énergétique et structurelle dans le cadre de l'Engagement pour le "
        "Renouveau du Bassin Minier. Entre 2022 et 2023, lors de « cafés-conversations » "
        "organisés par la commune, les habitants ont émis le souhait d'avoir un espace paysager "
        "commun. En 2024, Maisons &amp; Cités s'engage pour la réalisation de cet espace sur une "
        "friche de 5 510 m² située au cœur de la cité.</p>",
        actions=[
            ("heading", {"text": "Les objectifs du projet", "level": "h3"}),
            (
                "paragraph",
                "<ul><li>Aménager des lieux récréatifs et conviviaux avec un mobilier adapté et "
                "de réemploi ;</li><li>faciliter les échanges entre les habitants et leur "
                "appropriation des lieux au travers d'espaces partagés (vergers, carrés "
                "potagers…) ;</li><li>diversifier les plantations pour la qualité "
                "environnementale des lieux et une biodiversité croissante ;</li><li>valoriser "
                "le rythme parcellaire ;</li><li>améliorer les voiries et repenser leurs usages "
                "pour un accès aisé au site, en priorisant les piétons.</li></ul>",
            ),
            ("heading", {"text": "Une démarche de co-construction", "level": "h3"}),
            (
                "paragraph",
                "<ul><li>Prise en compte des demandes des habitants ;</li><li>présentation du "
                "projet en réunion publique ;</li><li>démarche de participation citoyenne et "
                "associative ;</li><li>communication régulière (visites de chantier…) ;</li>"
                "<li>inauguration des lieux et valorisation de la participation des "
                "habitants.</li></ul>",
            ),
        ],
        key_figures=[
            ("figure", {"value": "5 510 m²", "label": "de friche transformée en jardin"}),
            ("figure", {"value": "170 582 €", "label": "TTC de conception et de travaux"}),
        ],
        budget_lines=[
            BudgetLine(
                item="Conception du jardin citoyen", provider="SERP", amount=Decimal("24000")
            ),
            BudgetLine(
                item="Travaux paysagers", provider="Bonnet Paysage", amount=Decimal("106000")
            ),
            BudgetLine(
                item="Assistance à maîtrise d'ouvrage",
                provider="Art et Jardins",
                amount=Decimal("20000"),
            ),
            BudgetLine(
                item="Bornages et plans géomètres",
                provider="Maisons & Cités",
                amount=Decimal("8286"),
            ),
            BudgetLine(
                item="Épierrage et évacuation de plaques béton enterrées",
                provider="Maisons & Cités",
                amount=Decimal("12296"),
            ),
        ],
        funding_lines=[
            FundingLine(
                source=FundingLine.Source.ATFPB,
                funder="Maisons & Cités",
                amount=Decimal("150000"),
            ),
            FundingLine(
                source=FundingLine.Source.LANDLORD,
                funder="Maisons & Cités",
                amount=Decimal("20582"),
            ),
        ],
    )
    case_studies["tepop"] = child_page(
        index,
        CaseStudyPage,
        slug="tepop-cite-du-10-sains-en-gohelle",
        title="TePOP, Territoires à énergie populaire, à la cité du 10",
        theme=themes[3],
        cities=[cities["cite-du-10"]],
        lead_organisations=[organisations["MBM"], organisations["ENSAP Lille"]],
        start_year=2024,
        end_year=2024,
        intro="Les jeunes de la cité du 10 de Béthune à Sains-en-Gohelle imaginent "
        "l'aménagement de leur cité avec les étudiants de l'École nationale supérieure "
        "d'architecture et de paysage de Lille.",
        teaser_image=cities["cite-du-10"].teaser_image,
        context="<p>TePOP #2 : quand les étudiant·e·s en architecture de Lille rencontrent les "
        "jeunes de Sains-en-Gohelle, en 2024, avec la Mission Bassin Minier.</p>",
        lessons="<p>Les propositions faites par les jeunes ont été intégrées au projet de "
        "rénovation des espaces publics ERBM.</p>",
    )
    return case_studies


def load_webinar(index: WebinarIndexPage, ref: dict, cities: dict, case_studies: dict) -> None:
    organisations, landlords = ref["organisations"], ref["landlords"]
    webinar = child_page(
        index,
        WebinarPage,
        slug="accompagnement-des-habitants-pendant-les-renovations",
        title="L'accompagnement des habitants pendant les rénovations des cités minières ERBM",
        start=datetime.datetime(2026, 6, 22, 14, 0, tzinfo=PARIS),
        end=datetime.datetime(2026, 6, 22, 16, 0, tzinfo=PARIS),
        mode=WebinarPage.Mode.ONLINE,
        intro="Présentation du cahier technique « Accompagner les habitants au changement lors "
        "de la rénovation des cités minières » et de trois retours d'expérience.",
        themes=list(ref["themes"].values()),
        partners=[organisations["MBM"], organisations["Région Hauts-de-France"]],
        partner_landlords=[landlords["Maisons & Cités"], landlords["SIA Habitat"]],
        related_case_studies=list(case_studies.values()),
        related_cities=[cities["cite-noumea"], cities["cite-5-12"], cities["cite-du-10"]],
        description=[
            ("heading", {"text": "À quoi sert ce cahier technique ?", "level": "h2"}),
            (
                "paragraph",
                "<ul><li>Souligner l'intérêt d'accompagner les habitants à l'échelle "
                "individuelle et collective pendant la rénovation des cités ;</li><li>partager "
                "les bonnes pratiques recensées ;</li><li>lister les ressources disponibles "
                "pour agir.</li></ul>",
            ),
            ("heading", {"text": "Comment a-t-il été préparé ?", "level": "h2"}),
            (
                "paragraph",
                "<ul><li>Un besoin signalé par des chercheurs en cités minières ;</li><li>intégré "
                "à la feuille de route du groupe de travail Habitat de l'ERBM ;</li><li>des "
                "contributions lors d'un séminaire participatif en octobre 2025 ;</li><li>une "
                "rédaction et une relecture partenariales au premier semestre 2026.</li></ul>",
            ),
            ("heading", {"text": "Les trois enjeux abordés", "level": "h2"}),
            ("heading", {"text": "Accompagner le changement individuel", "level": "h3"}),
            (
                "paragraph",
                "<p>Une dimension émotionnelle importante dans le vécu du changement : des "
                "objets d'affection et des parcours de vie, un besoin d'information concrète et "
                "régulière, des finitions et une prise en main des logements et jardins à "
                "soigner. De bonnes pratiques : <b>avant</b>, consulter, expliquer, montrer, "
                "chercher le compromis ; <b>pendant</b>, valoriser la mémoire, offrir un point "
                "de contact, mettre à jour les informations, recueillir des témoignages ; "
                "<b>après</b>, corriger, aider à la prise en main, responsabiliser, accompagner "
                "les nouveaux usages.</p>",
            ),
            ("heading", {"text": "Recréer un collectif à l'échelle de la cité", "level": "h3"}),
            (
                "paragraph",
                "<p>Les rénovations impactent durablement la vie sociale des cités : "
                "renouvellement du voisinage, intégration des nouveaux arrivants, appropriation "
                "des jardins et espaces publics. Pour impliquer les habitants : <b>initier</b> "
                "(diagnostic commun, café coin de rue, inauguration, fête de quartier), "
                "<b>renforcer</b> (maison du projet, personnes-relais, animation régulière, "
                "résidences), <b>autonomiser</b> (tiers-lieux, association, gestion de communs, "
                "services de proximité).</p>",
            ),
            ("heading", {"text": "Mobiliser des ressources adaptées à la cité", "level": "h3"}),
            (
                "paragraph",
                "<p>Des ressources humaines (savoir-faire, histoires de vie, acteurs-clés), "
                "urbaines (lieux, bâti, nature) et financières existent dans chaque cité : "
                "ateliers TePOP, guides de l'ADEME, abattement de TFPB, contrat de ville, "
                "initiatives des bailleurs, fondations…</p>",
            ),
        ],
        agenda=[
            ("item", {"time": None, "title": "Le cahier technique : objectifs et préparation"}),
            ("item", {"time": None, "title": "Les trois enjeux abordés dans le cahier"}),
            (
                "item",
                {"time": None, "title": "Retour d'expérience : accompagnement Citéo, cité Nouméa"},
            ),
            ("item", {"time": None, "title": "Retour d'expérience : jardin citoyen, cité 5/12"}),
            ("item", {"time": None, "title": "Retour d'expérience : ateliers TePOP, cité du 10"}),
        ],
    )
    for case_study in case_studies.values():
        if case_study.related_webinar_id is None:
            case_study.related_webinar = webinar
            case_study.save_revision().publish()
    load_upcoming_webinar(index, ref, cities)


def load_upcoming_webinar(index: WebinarIndexPage, ref: dict, cities: dict) -> WebinarPage:
    """A webinar four weeks from the day the demo is loaded, so that its registration form
    can be seen at once; moved forward again when a later load finds it past. Illustrative:
    the seeds announce no date after 22 June 2026."""
    day = timezone.localdate() + datetime.timedelta(days=28)
    start = datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=PARIS)
    end = start + datetime.timedelta(hours=1, minutes=30)
    webinar = child_page(
        index,
        WebinarPage,
        slug="prochain-webinaire-renover-en-site-occupe",
        title="Rénover en site occupé : préparer les habitants aux travaux",
        start=start,
        end=end,
        mode=WebinarPage.Mode.ONLINE,
        intro="Webinaire de démonstration : comment les bailleurs et les communes préparent "
        "les habitants aux semaines de chantier dans leur logement (dates fixées au chargement "
        "du contenu de démonstration).",
        themes=list(ref["themes"].values())[:1],
        related_cities=[cities["cite-noumea"]],
        agenda=[
            ("item", {"time": None, "title": "Avant les travaux : informer, visiter, choisir"}),
            ("item", {"time": None, "title": "Pendant le chantier : un contact, un calendrier"}),
            ("item", {"time": None, "title": "Questions des participants"}),
        ],
    )
    if webinar.end < timezone.now():
        webinar.start, webinar.end = start, end
        webinar.save_revision().publish()
    return webinar


def load(home: HomePage) -> None:
    ref = load_reference_data()
    cities_index = child_page(
        home,
        CitiesIndexPage,
        slug="cites",
        title="Les cités",
        show_in_menus=True,
        intro="Les cités minières engagées dans le programme : où elles sont, où en est leur "
        "rénovation, comment leurs habitants y prennent part.",
        teaser_text="Toutes les cités du programme, sur une carte et en données ouvertes.",
    )
    cities = load_cities(cities_index, ref)
    news_index = child_page(
        home,
        NewsIndexPage,
        slug="actualites",
        title="Actualités",
        show_in_menus=True,
        intro="Les nouvelles du Renouveau du Bassin Minier.",
    )
    load_news(news_index, ref, cities)
    case_study_index = child_page(
        home,
        CaseStudyIndexPage,
        slug="retours-d-experience",
        title="Retours d'expérience",
        show_in_menus=True,
        intro="Ce que les acteurs des cités ont expérimenté pour accompagner les habitants.",
    )
    case_studies = load_case_studies(case_study_index, ref, cities)
    webinar_index = child_page(
        home,
        WebinarIndexPage,
        slug="webinaires",
        title="Webinaires",
        show_in_menus=True,
        intro="Les rencontres en ligne du programme, et leurs replays.",
    )
    load_webinar(webinar_index, ref, cities, case_studies)
    child_page(
        home,
        ProgrammeFiguresPage,
        slug="le-programme-en-chiffres",
        title="Le programme en chiffres",
        intro="Où en est la rénovation des 23 000 logements miniers visés par l'Engagement "
        "(2017-2027) ? Ces chiffres sont calculés à partir des fiches des cités.",
    )
