"""The registry of cités: listing query, public filters and open-data exports (CSV, GeoJSON).

Plain functions, used by the cités index page and its export routes, so that the list on screen
and the files downloaded always apply the same filters."""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.http import urlencode
from wagtail.models import Page

from renouveau.visibility import private_q, public_live

from .models import EPCI, CityPage, Commune, Landlord, Status


def live_cities(index: Page | None = None) -> QuerySet[CityPage]:
    """Published, public cités (under `index` when given), with what a listing shows."""
    cities = public_live(CityPage.objects).exclude(private_q())
    if index is not None:
        cities = cities.descendant_of(index)
    return (
        cities.defer_streamfields()
        .select_related("epci", "landlord", "teaser_image")
        .prefetch_related("communes", "teaser_image__renditions")
        .order_by("sort_title", "title")
    )


@dataclass
class FilterOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class CityFilters:
    """The filters chosen by a visitor; unknown values are dropped rather than refused."""

    epci: EPCI | None = None
    commune: Commune | None = None
    landlord: Landlord | None = None
    status: str = ""
    options: dict[str, list[FilterOption]] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.epci or self.commune or self.landlord or self.status)

    def params(self) -> dict[str, str]:
        values = {
            "epci": self.epci.slug if self.epci else "",
            "commune": self.commune.slug if self.commune else "",
            "bailleur": self.landlord.slug if self.landlord else "",
            "statut": self.status,
        }
        return {key: value for key, value in values.items() if value}

    def querystring(self) -> str:
        """`?epci=…&statut=…` (empty when no filter is active)."""
        params = self.params()
        return f"?{urlencode(params)}" if params else ""

    def apply(self, cities: QuerySet[CityPage]) -> QuerySet[CityPage]:
        if self.epci:
            cities = cities.filter(epci=self.epci)
        if self.commune:
            cities = cities.filter(communes=self.commune)
        if self.landlord:
            cities = cities.filter(landlord=self.landlord)
        if self.status:
            cities = cities.filter(status=self.status)
        return cities


def _pick(options: list[Any], slug: str) -> Any:
    return next((option for option in options if option.slug == slug), None) if slug else None


@dataclass
class FilterCounts:
    """Each filter's options with their number of cités (the same for every visitor: cached
    per content generation by the index page)."""

    epcis: list[EPCI]
    communes: list[Commune]
    landlords: list[Landlord]
    statuses: dict[str, int]


def filter_counts(cities: QuerySet[CityPage]) -> FilterCounts:
    """Four queries whatever the number of cités: one per filter's list of options."""
    base = cities.order_by().values("pk")
    epcis = list(
        EPCI.objects.annotate(n=Count("cities", filter=Q(cities__in=base)))
        .filter(n__gt=0)
        .order_by("name")
    )
    communes = list(
        Commune.objects.annotate(n=Count("cities", filter=Q(cities__in=base)))
        .filter(n__gt=0)
        .order_by("name")
    )
    landlords = list(
        Landlord.objects.annotate(n=Count("cities", filter=Q(cities__in=base)))
        .filter(n__gt=0)
        .order_by("name")
    )
    status_counts = dict(
        cities.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return FilterCounts(epcis, communes, landlords, status_counts)


def parse_filters(
    params: QueryDict | dict[str, str],
    cities: QuerySet[CityPage],
    counts: FilterCounts | None = None,
) -> CityFilters:
    """Read the filters of a GET form; each option comes with the number of cités it has
    (`counts`, or four queries to count them)."""
    counts = counts if counts is not None else filter_counts(cities)
    epcis, communes, landlords = counts.epcis, counts.communes, counts.landlords
    status_counts = counts.statuses

    def get(name: str) -> str:
        value = params.get(name, "")
        return value.strip()[:100] if isinstance(value, str) else ""

    status = get("statut")
    filters = CityFilters(
        epci=_pick(epcis, get("epci")),
        commune=_pick(communes, get("commune")),
        landlord=_pick(landlords, get("bailleur")),
        status=status if status in Status.values else "",
    )
    filters.options = {
        "epci": [FilterOption(e.slug, e.name, e.n, e == filters.epci) for e in epcis],
        "commune": [FilterOption(c.slug, c.name, c.n, c == filters.commune) for c in communes],
        "bailleur": [
            FilterOption(lo.slug, lo.name, lo.n, lo == filters.landlord) for lo in landlords
        ],
        "statut": [
            FilterOption(value, label, status_counts.get(value, 0), value == filters.status)
            for value, label in Status.choices
        ],
    }
    return filters


# --- Open data ---------------------------------------------------------------------------------

CSV_COLUMNS = [
    "nom",
    "adresse_web",
    "communes",
    "codes_insee",
    "intercommunalite",
    "bailleur",
    "logements",
    "etat",
    "objectif_energetique",
    "patrimoine_mondial_unesco",
    "latitude",
    "longitude",
    "position_approximative",
]


def city_record(
    city: CityPage, request: HttpRequest | None = None, index_url: str = ""
) -> dict[str, Any]:
    """One cité as open data (the same fields in CSV and GeoJSON). `index_url`, the full URL of
    the cités' index, spares working out each child's URL from the tree."""
    communes = list(city.communes.all())
    return {
        "nom": city.title,
        "adresse_web": f"{index_url}{city.slug}/" if index_url else city.get_full_url(request),
        "communes": " / ".join(c.name for c in communes),
        "codes_insee": " ".join(c.insee_code for c in communes),
        "intercommunalite": city.epci.name if city.epci else "",
        "bailleur": city.landlord.name if city.landlord else "",
        "logements": city.dwellings,
        "etat": city.get_status_display(),
        "objectif_energetique": city.get_energy_target_display() if city.energy_target else "",
        "patrimoine_mondial_unesco": city.unesco_listed,
        "latitude": float(city.latitude) if city.latitude is not None else None,
        "longitude": float(city.longitude) if city.longitude is not None else None,
        "position_approximative": city.location_is_approximate,
    }


def cities_csv(
    cities: QuerySet[CityPage], request: HttpRequest | None = None, index_url: str = ""
) -> str:
    """CSV (comma-separated, UTF-8 with BOM for spreadsheet software, booleans as oui/non)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for city in cities:
        record = city_record(city, request, index_url)
        for key, value in record.items():
            if isinstance(value, bool):
                record[key] = "oui" if value else "non"
            elif value is None:
                record[key] = ""
            elif isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
                record[key] = "'" + value  # no formula injection in spreadsheets
        writer.writerow(record)
    return buffer.getvalue()


def cities_geojson(
    cities: QuerySet[CityPage], request: HttpRequest | None = None, index_url: str = ""
) -> dict:
    """A GeoJSON FeatureCollection of the cités that have a position (RFC 7946: lon, lat)."""
    features = []
    for city in cities:
        if city.latitude is None or city.longitude is None:
            continue
        record = city_record(city, request, index_url)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [record.pop("longitude"), record.pop("latitude")],
                },
                "properties": record,
            }
        )
    return {"type": "FeatureCollection", "features": features}
