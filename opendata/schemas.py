"""The shapes of the API's answers (pydantic, through django-ninja): the OpenAPI schema, its
documentation page and the contract tests are generated from these classes, so the schema
cannot drift from what the API sends. Field names are French, as in the CSV files."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


class Error(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")


class Paged(Schema):
    nombre: int = Field(description="Nombre total d’éléments de la collection.")
    page: int = Field(description="Numéro de cette page (à partir de 1).")
    pages: int = Field(description="Nombre de pages.")
    suivante: str | None = Field(description="Adresse de la page suivante\u00a0; null à la fin.")
    precedente: str | None = Field(description="Adresse de la page précédente\u00a0; null d’abord.")


class Commune(Schema):
    nom: str
    code_insee: str


class City(Schema):
    identifiant: str = Field(description="Identifiant stable (celui de l’adresse de sa fiche).")
    nom: str
    url: str = Field(description="Adresse de la fiche de la cité sur le site.")
    communes: list[Commune]
    intercommunalite: str | None
    bailleur: str | None
    logements: int | None = Field(description="Logements de la cité\u00a0; null si non renseigné.")
    etat: str = Field(description="État d’avancement affiché sur la fiche.")
    objectif_energetique: str | None
    patrimoine_mondial_unesco: bool
    latitude: float | None
    longitude: float | None
    position_approximative: bool
    suivi_des_travaux: str | None = Field(
        description="Adresse de l’opération de travaux de la cité dans l’API, null sans suivi."
    )


class CityPage(Paged):
    resultats: list[City]


PhaseKind = Literal[
    "etudes", "concertation", "diagnostic", "travaux", "livraisons", "espaces_publics"
]


class Phase(Schema):
    type: PhaseKind
    nom: str = Field(description="«\u00a0Travaux – tranche 2\u00a0», ou le type seul.")
    logements: int | None
    debut_prevu: date | None
    fin_prevue: date | None
    debut_reel: date | None
    fin_reelle: date | None
    etiquette_dpe_avant: str | None
    etiquette_dpe_apres: str | None
    etat: Literal["terminee", "en_cours", "a_venir"] = Field(
        description="D’après les dates réelles du jour de la réponse."
    )


class Delivery(Schema):
    mois: str = Field(pattern=r"^\d{4}-\d{2}$", description="AAAA-MM.")
    logements: int = Field(description="Logements rénovés remis aux locataires ce mois-là.")


class Operation(Schema):
    cite: str = Field(description="Identifiant de la cité.")
    cite_nom: str
    bailleur: str | None
    logements_a_renover: int
    logements_livres: int = Field(description="Somme des livraisons mensuelles.")
    donnees_de_demonstration: bool
    mise_a_jour: datetime
    phases: list[Phase]
    livraisons: list[Delivery]


class OperationPage(Paged):
    resultats: list[Operation]


class Group(Schema):
    libelle: str
    logements_livres: int
    logements_a_renover: int | None = Field(description="null quand la grandeur ne s’y prête pas.")


class Figures(Schema):
    objectif_logements: int
    logements_livres: int
    logements_a_renover: int = Field(description="Logements des opérations suivies.")
    pourcentage_de_l_objectif: int
    cites_suivies: int
    mise_a_jour: datetime | None
    donnees_de_demonstration: bool
    par_annee: list[Group]
    par_intercommunalite: list[Group]
    par_bailleur: list[Group]
    par_etiquette_gagnee: list[Group]
    licence: str
    licence_url: str


class News(Schema):
    titre: str
    url: str
    date: date
    chapo: str
    categories: list[str]
    cites: list[str] = Field(description="Identifiants des cités concernées.")


class NewsPage(Paged):
    resultats: list[News]


class Webinar(Schema):
    titre: str
    url: str
    debut: datetime
    fin: datetime
    format: str
    lieu: str | None
    chapo: str
    a_venir: bool
    inscription: str | None = Field(description="Lien d’inscription, tant qu’il n’a pas eu lieu.")


class WebinarPage(Paged):
    resultats: list[Webinar]
