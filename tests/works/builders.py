"""Cités with works trackers (operation, phases, monthly deliveries, a note), built with the
factories for the works and open data tests instead of the demo trackers: editing the demo
breaks none of them.

    tracked = tracked_cites(home_page)  # the `tracked` fixture of tests/works/conftest.py
    client.get(tracked.under_way.url)  # /cites/cite-des-acacias/: 427 of 765 delivered

The figures the tests assert, all built below:

| cité | landlord | planned | delivered | finished works phases |
| --- | --- | --- | --- | --- |
| under_way (Cité des Acacias, flagged demo data) | Bailleur des Acacias | 765 | 427 | 331 E → C |
| finished (Cité des Bouleaux) | Bailleur des Bouleaux | 240 | 240 | 240 F → C |
| starting (Cité des Charmes) | none | 120 | 48 | none |
| untracked (Cité des Dahlias) | none | no tracker | | |

Deliveries by year: 2020 and 2021 (the Bouleaux), 2022, 2023 and 2025 (the Acacias), 2026 (the
Charmes); in all 715 of 1,125 dwellings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Page

from cites_pages.models import CityPage
from tests.factories import (
    CitiesIndexPageFactory,
    CityPageFactory,
    CommuneFactory,
    LandlordFactory,
)
from works.models import MonthlyDelivery, Operation, Phase, WorksNote

K = Phase.Kind


def months(start: date, count: int, dwellings: int = 16) -> list[MonthlyDelivery]:
    """`dwellings` handed over each month for `count` months from `start`."""
    deliveries = []
    for n in range(count):
        year, month = divmod(start.month - 1 + n, 12)
        deliveries.append(
            MonthlyDelivery(month=date(start.year + year, month + 1, 1), dwellings=dwellings)
        )
    return deliveries


def track(city: CityPage, planned: int, *, phases=(), deliveries=(), notes=(), is_demo=False):
    """The cité's works tracker, saved as the admin saves it (its landlord is the cité's)."""
    operation = Operation(city=city, dwellings_planned=planned, is_demo=is_demo)
    operation.phases = list(phases)
    operation.deliveries = list(deliveries)
    operation.notes = list(notes)
    operation.save()
    return operation


def tracked_city(index: Page, title: str, *, delivered: list[tuple[date, int]], planned=100):
    """A cité with one finished works phase (F → C) and these (month, dwellings) deliveries: the
    many cités of the query-count tests."""
    city = CityPageFactory(parent=index, title=title)
    operation = track(
        city,
        planned,
        phases=[Phase(kind=K.WORKS, label="Tranche 1", dwellings=planned,
                      actual_start=date(2024, 1, 1), actual_end=date(2025, 1, 1),
                      label_before="F", label_after="C")],
        deliveries=[MonthlyDelivery(month=m, dwellings=n) for m, n in delivered],
    )  # fmt: skip
    return city, operation


@dataclass
class TrackedCites:
    under_way: CityPage
    finished: CityPage
    starting: CityPage
    untracked: CityPage


def _city(index: Page, title: str, slug: str, position: int, landlord=None) -> CityPage:
    city = CityPageFactory(
        parent=index,
        title=title,
        slug=slug,
        landlord=landlord,
        latitude=Decimal("50.40000") + position * Decimal("0.01"),
        longitude=Decimal("3.40000") + position * Decimal("0.05"),
        communes=[CommuneFactory()],  # each in an EPCI of its own
    )
    return CityPage.objects.get(pk=city.pk)


def tracked_cites(home: Page) -> TrackedCites:
    """Four cités under /cites/, three of them with a works tracker (the table above)."""
    index = CitiesIndexPageFactory(parent=home)
    acacias = LandlordFactory(name="Bailleur des Acacias")
    bouleaux = LandlordFactory(name="Bailleur des Bouleaux")
    under_way = _city(index, "Cité des Acacias", "cite-des-acacias", 0, acacias)
    track(
        under_way,
        765,
        is_demo=True,
        phases=[
            Phase(kind=K.CONSULTATION, label="Maison du Projet", actual_start=date(2021, 3, 1)),
            Phase(kind=K.WORKS, label="Tranches 1 et 2", dwellings=331,
                  planned_start=date(2021, 6, 1), planned_end=date(2023, 6, 30),
                  actual_start=date(2021, 9, 1), actual_end=date(2023, 9, 30),
                  label_before="E", label_after="C"),
            Phase(kind=K.WORKS, label="Tranche 3", dwellings=183,
                  planned_start=date(2024, 1, 1), planned_end=date(2027, 3, 31),
                  actual_start=date(2024, 3, 1), label_before="F", label_after="C"),
            Phase(kind=K.WORKS, label="Tranche 4", dwellings=251,
                  planned_start=date(2027, 4, 1), planned_end=date(2029, 6, 30)),
        ],
        deliveries=[
            *months(date(2022, 3, 1), 18),  # 288
            MonthlyDelivery(month=date(2023, 9, 1), dwellings=43),  # tranches 1 and 2: 331
            *months(date(2025, 1, 1), 6),  # tranche 3 under way: 427
        ],
        notes=[
            WorksNote(date=date(2026, 11, 17), title="Tranche 3 : reprise des toitures",
                      text="Les couvreurs interviennent jusqu'à la fin du mois.",
                      announced_at=timezone.now()),
        ],
    )  # fmt: skip
    finished = _city(index, "Cité des Bouleaux", "cite-des-bouleaux", 1, bouleaux)
    track(
        finished,
        240,
        phases=[
            Phase(kind=K.WORKS, label="Réhabilitation", dwellings=240,
                  actual_start=date(2019, 4, 1), actual_end=date(2022, 2, 28),
                  label_before="F", label_after="C"),
        ],
        deliveries=months(date(2020, 5, 1), 15),  # 240
    )  # fmt: skip
    starting = _city(index, "Cité des Charmes", "cite-des-charmes", 2)
    track(
        starting,
        120,
        phases=[
            Phase(kind=K.WORKS, label="Tranche 1", dwellings=72, planned_end=date(2026, 12, 31),
                  actual_start=date(2025, 2, 1), label_before="E", label_after="C"),
        ],
        deliveries=months(date(2026, 6, 1), 3),  # 48
    )  # fmt: skip
    untracked = _city(index, "Cité des Dahlias", "cite-des-dahlias", 3)
    return TrackedCites(under_way, finished, starting, untracked)
