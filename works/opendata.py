"""The observatory's figures as open data (CSV and JSON, licence Etalab 2.0): one row per cité
with a works tracker. The same `figures.observatory()` as the page, so the numbers agree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from renouveau.csv_export import csv_lines

from .figures import Observatory

LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

# Column → what it holds: the documentation printed on the observatory page and in the JSON.
COLUMNS = {
    "cite": "Nom de la cité",
    "identifiant": "Identifiant stable de la cité (celui de son adresse sur le site)",
    "communes": "Communes, séparées par des virgules",
    "intercommunalite": "Intercommunalité (EPCI)",
    "bailleur": "Bailleur social qui mène l'opération",
    "logements_a_renover": "Logements à rénover dans l'opération",
    "logements_livres": "Logements rénovés remis aux locataires (somme des livraisons mensuelles)",
    "dernier_mois_de_livraison": "Dernier mois où des logements ont été livrés (AAAA-MM)",
    "mise_a_jour": "Date et heure de la dernière mise à jour du suivi (ISO 8601)",
    "donnees_de_demonstration": "oui si le suivi est une donnée de démonstration",
}


def city_records(figures: Observatory) -> Iterator[dict[str, Any]]:
    for row in figures.by_city:
        yield {
            "cite": row.label,
            "identifiant": row.slug,
            "communes": row.communes,
            "intercommunalite": row.epci,
            "bailleur": row.landlord,
            "logements_a_renover": row.planned,
            "logements_livres": row.delivered,
            "dernier_mois_de_livraison": row.last_month.strftime("%Y-%m") if row.last_month else "",
            "mise_a_jour": row.updated.isoformat() if row.updated else "",
            "donnees_de_demonstration": "oui" if row.is_demo else "non",
        }


def as_csv(figures: Observatory) -> Iterator[str]:
    rows = ([record[column] for column in COLUMNS] for record in city_records(figures))
    return csv_lines([list(COLUMNS), *rows])


def as_json(figures: Observatory, page_url: str) -> dict[str, Any]:
    return {
        "titre": "Avancement de la rénovation des cités minières (ERBM)",
        "source": page_url,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "mise_a_jour": figures.updated.isoformat() if figures.updated else None,
        "objectif_logements": figures.target,
        "logements_livres": figures.delivered,
        "logements_a_renover": figures.planned,
        "colonnes": COLUMNS,
        "cites": list(city_records(figures)),
        "par_annee": {row.label: row.delivered for row in figures.by_year},
    }
