"""« Le programme en chiffres », computed live from the cité profiles.

A cité's dwellings count as renovated, in works or programmed according to its works phases
(« tranches ») when it has some, else according to its overall status. Two queries, whatever the
number of cités."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from renouveau.visibility import private_q, public_live

from .models import CityPage, CityPhase, Status

PROGRAMME_TARGET = 23_000  # dwellings to renovate, 2017-2027
BUCKETS = {
    Status.DONE: "renovated",
    Status.WORKS: "in_works",
    Status.STUDIES: "programmed",
    Status.PROGRAMMED: "programmed",
}


@dataclass
class DwellingCounts:
    renovated: int = 0
    in_works: int = 0
    programmed: int = 0

    @property
    def total(self) -> int:
        return self.renovated + self.in_works + self.programmed

    def add(self, status: str, dwellings: int) -> None:
        bucket = BUCKETS.get(status, "programmed")
        setattr(self, bucket, getattr(self, bucket) + dwellings)


@dataclass
class EPCIFigures:
    name: str
    slug: str
    cities: int = 0
    dwellings: DwellingCounts = field(default_factory=DwellingCounts)


@dataclass
class StatusCount:
    value: str
    label: str
    count: int


@dataclass
class ProgrammeFigures:
    target: int
    cities: int
    by_status: list[StatusCount]
    dwellings: DwellingCounts
    by_epci: list[EPCIFigures]

    def percent_of_target(self, value: int) -> int:
        return round(100 * value / self.target) if self.target else 0

    @property
    def renovated_percent(self) -> int:
        return self.percent_of_target(self.dwellings.renovated)

    @property
    def in_works_percent(self) -> int:
        return self.percent_of_target(self.dwellings.in_works)

    @property
    def programmed_percent(self) -> int:
        return self.percent_of_target(self.dwellings.programmed)

    @property
    def engaged_percent(self) -> int:
        return self.percent_of_target(self.dwellings.total)


def programme_figures(target: int = PROGRAMME_TARGET, private: Q | None = None) -> ProgrammeFigures:
    """`private`: the private sections' condition when the caller already has it."""
    cities = public_live(CityPage.objects)
    cities = cities.exclude(private_q() if private is None else private)
    cities = list(
        cities.order_by().values_list("pk", "status", "dwellings", "epci__name", "epci__slug")
    )
    phases: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for page_id, status, dwellings in (
        CityPhase.objects.filter(page__live=True)
        .order_by()
        .values_list("page_id", "status", "dwellings")
    ):
        phases[page_id].append((status, dwellings))

    total = DwellingCounts()
    status_counts: dict[str, int] = defaultdict(int)
    per_epci: dict[str, EPCIFigures] = {}
    for pk, status, dwellings, epci_name, epci_slug in cities:
        status_counts[status] += 1
        epci = per_epci.setdefault(
            epci_slug or "", EPCIFigures(epci_name or "Sans intercommunalité", epci_slug or "")
        )
        epci.cities += 1
        for phase_status, phase_dwellings in phases.get(pk) or [(status, dwellings)]:
            total.add(phase_status, phase_dwellings or 0)  # unknown counts add nothing
            epci.dwellings.add(phase_status, phase_dwellings or 0)
    return ProgrammeFigures(
        target=target,
        cities=len(cities),
        by_status=[
            StatusCount(value, label, status_counts.get(value, 0))
            for value, label in Status.choices
        ],
        dwellings=total,
        by_epci=sorted(per_epci.values(), key=lambda e: (not e.slug, e.name)),
    )
