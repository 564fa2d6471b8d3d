"""The DCAT-AP catalogue of the site's open data, in JSON-LD (the shape data.gouv.fr harvests):
each dataset with its title, description, publisher, dates, keywords, the Licence Ouverte 2.0
(Etalab) and its distributions (API collections, CSV, JSON, GeoJSON) with their media types; the
API itself as a dcat:DataService. The JSON-LD context is inline, so the document reads as RDF
without fetching anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse

from cites_pages.listing import programme_pages
from cites_pages.models import (
    CitiesIndexPage,
    CityPage,
    NewsIndexPage,
    NewsPage,
    WebinarIndexPage,
    WebinarPage,
)
from renouveau.visibility import public_pages
from works.figures import current_observatory
from works.opendata import LICENCE_URL

PUBLISHER = "Engagement pour le Renouveau du Bassin Minier (ERBM)"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
FRENCH = "http://publications.europa.eu/resource/authority/language/FRA"
FORMATS = {  # media type -> EU file-type authority code
    "application/json": "JSON",
    "text/csv": "CSV",
    "application/geo+json": "GEOJSON",
}

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:issued": {"@type": "xsd:dateTime"},
    "dct:modified": {"@type": "xsd:dateTime"},
    "dcat:keyword": {"@language": "fr"},
}


@dataclass
class Distribution:
    title: str
    url: str
    media_type: str
    via_api: bool = False


@dataclass
class Dataset:
    slug: str
    title: str
    description: str
    keywords: list[str]
    landing_page: str
    modified: datetime | None
    distributions: list[Distribution]


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": "fr"}


def _distribution(item: Distribution, service_id: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": item.url + "#distribution",
        "@type": "dcat:Distribution",
        "dct:title": _text(item.title),
        "dcat:accessURL": {"@id": item.url},
        "dcat:mediaType": {"@id": MEDIA_TYPES + item.media_type},
        "dct:format": {"@id": FILE_TYPES + FORMATS[item.media_type]},
        "dct:license": {"@id": LICENCE_URL},
    }
    if item.via_api:
        node["dcat:accessService"] = {"@id": service_id}
    else:
        node["dcat:downloadURL"] = {"@id": item.url}
    return node


def _dataset(item: Dataset, publisher: dict, contact: dict, service_id: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": item.landing_page + "#" + item.slug,
        "@type": "dcat:Dataset",
        "dct:identifier": item.slug,
        "dct:title": _text(item.title),
        "dct:description": _text(item.description),
        "dct:publisher": publisher,
        "dcat:contactPoint": contact,
        "dct:license": {"@id": LICENCE_URL},
        "dct:language": {"@id": FRENCH},
        "dcat:keyword": item.keywords,
        "dcat:landingPage": {"@id": item.landing_page},
        "dcat:distribution": [_distribution(d, service_id) for d in item.distributions],
    }
    if item.modified:
        node["dct:modified"] = item.modified.isoformat()
    return node


def _last_published(pages) -> datetime | None:
    return public_pages(pages).aggregate(last=Max("last_published_at"))["last"]


def datasets(request: HttpRequest) -> list[Dataset]:
    """What the site publishes as open data, each with where to get it."""

    def url(name: str, *args: str) -> str:
        return request.build_absolute_uri(reverse(name, args=args))

    observatory = request.build_absolute_uri(reverse("works:observatory"))
    indexes = programme_pages(request)

    def landing(model) -> str:
        index = indexes.get(model)
        return index.get_full_url(request) if index else request.build_absolute_uri("/")

    index = indexes.get(CitiesIndexPage)
    index_url = landing(CitiesIndexPage)
    city_files = (
        [
            Distribution("Cités (CSV)", index_url + "export-csv/", "text/csv"),
            Distribution("Cités (GeoJSON)", index_url + "export-geojson/", "application/geo+json"),
        ]
        if index
        else []
    )
    return [
        Dataset(
            "cites",
            "Cités minières du programme ERBM",
            "Les cités minières rénovées dans le cadre de l’Engagement pour le Renouveau du "
            "Bassin Minier\u00a0: communes, intercommunalité, bailleur, nombre de logements, "
            "état d’avancement, objectif énergétique, position.",
            ["cités minières", "logement social", "rénovation énergétique", "bassin minier"],
            index_url,
            _last_published(CityPage.objects.all()),
            [Distribution("Cités (API)", url("opendata-v1:cites"), "application/json", True),
             *city_files],
        ),
        Dataset(
            "avancement-travaux",
            "Avancement de la rénovation des cités minières",
            "Le suivi des travaux de chaque cité\u00a0: logements à rénover, logements livrés "
            "par mois, phases (études, concertation, travaux par tranche, livraisons, espaces "
            "publics) avec leurs dates prévues et réelles, étiquettes DPE avant et après.",
            ["rénovation énergétique", "travaux", "DPE", "logement social"],
            observatory,
            current_observatory(request).updated,
            [
                Distribution("Avancement par cité (CSV)", url("works:observatory_csv"), "text/csv"),
                Distribution(
                    "Avancement par cité (JSON)", url("works:observatory_json"), "application/json"
                ),
                Distribution(
                    "Opérations de travaux (API)",
                    url("opendata-v1:operations"),
                    "application/json",
                    True,
                ),
                Distribution(
                    "Chiffres de l’observatoire (API)",
                    url("opendata-v1:chiffres"),
                    "application/json",
                    True,
                ),
            ],
        ),
        Dataset(
            "actualites",
            "Actualités du Renouveau du Bassin Minier",
            "Les actualités publiées sur le site\u00a0: titre, date, chapô, catégories, cités "
            "concernées.",
            ["actualités", "bassin minier"],
            landing(NewsIndexPage),
            _last_published(NewsPage.objects.all()),
            [Distribution("Actualités (API)", url("opendata-v1:actualites"), "application/json",
                          True)],
        ),
        Dataset(
            "webinaires",
            "Webinaires du Renouveau du Bassin Minier",
            "Les webinaires à venir et passés\u00a0: titre, dates, format, lieu, inscription.",
            ["webinaires", "bassin minier"],
            landing(WebinarIndexPage),
            _last_published(WebinarPage.objects.all()),
            [Distribution("Webinaires (API)", url("opendata-v1:webinaires"), "application/json",
                          True)],
        ),
    ]  # fmt: skip


def catalogue(request: HttpRequest, contact_email: str) -> dict[str, Any]:
    home = request.build_absolute_uri("/")
    here = request.build_absolute_uri(reverse("opendata_catalogue"))
    api_root = request.build_absolute_uri(reverse("opendata_api_root"))
    service_id = api_root + "#service"
    publisher = {"@id": home + "#editeur", "@type": "foaf:Agent", "foaf:name": PUBLISHER}
    contact = {
        "@id": home + "#contact",
        "@type": "vcard:Organization",
        "vcard:fn": PUBLISHER,
        "vcard:hasEmail": {"@id": f"mailto:{contact_email}"},
    }
    items = datasets(request)
    dates = [item.modified for item in items if item.modified]
    service = {
        "@id": service_id,
        "@type": "dcat:DataService",
        "dct:title": _text("API des données ouvertes du Renouveau du Bassin Minier"),
        "dct:description": _text("API JSON en lecture seule, version 1, décrite en OpenAPI."),
        "dct:publisher": publisher,
        "dct:license": {"@id": LICENCE_URL},
        "dcat:endpointURL": {"@id": api_root},
        "dcat:endpointDescription": {
            "@id": request.build_absolute_uri(reverse("opendata-v1:openapi-json"))
        },
        "dcat:landingPage": {"@id": request.build_absolute_uri(reverse("opendata_documentation"))},
        "dcat:servesDataset": [
            {"@id": item.landing_page + "#" + item.slug}
            for item in items
            if any(d.via_api for d in item.distributions)
        ],
    }
    document = {
        "@context": CONTEXT,
        "@id": here,
        "@type": "dcat:Catalog",
        "dct:title": _text("Données ouvertes du Renouveau du Bassin Minier"),
        "dct:description": _text(
            "Les jeux de données publiés par le site du Renouveau du Bassin Minier, sous "
            "Licence Ouverte / Open Licence 2.0 (Etalab)."
        ),
        "dct:publisher": publisher,
        "dct:language": {"@id": FRENCH},
        "dct:license": {"@id": LICENCE_URL},
        "foaf:homepage": {"@id": home},
        "dcat:dataset": [_dataset(item, publisher, contact, service_id) for item in items],
        "dcat:service": [service],
    }
    if dates:
        document["dct:modified"] = max(dates).isoformat()
    return document
