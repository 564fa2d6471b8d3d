"""Every figure of the works trackers, computed here and only here: the cité page's resident
summary, the observatory, the open data and the widget read these functions, so a delivery
recorded once shows the same number everywhere.

`observatory()` costs a fixed number of queries (operations, communes, deliveries, phases)
whatever the number of cités."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.formats import date_format

from cites_pages.models import CityPage, Commune
from renouveau import fragments
from renouveau.cache_tags import changes_at
from renouveau.french import plural_suffix
from renouveau.visibility import public_pages

from .models import MonthlyDelivery, Operation, Phase

T = TypeVar("T")

PROGRAMME_TARGET = 23_000  # dwellings to renovate under the ERBM (seeds: « 23 000 logements »)


def dated(build: Callable[[], T]) -> Callable[[], T]:
    """`build`, for figures that compare dates with today (phase states, « cette année »):
    what it builds is cached until the next midnight at most (cache_tags.changes_at)."""

    def build_until_midnight() -> T:
        tomorrow = timezone.localdate() + timedelta(days=1)
        changes_at(timezone.make_aware(datetime.combine(tomorrow, time.min)))
        return build()

    return build_until_midnight


def month_year(value: date) -> str:
    """« mars 2027 »."""
    return date_format(value, "F Y")


def dwellings_text(count: int) -> str:
    return f"{count} logement{plural_suffix(count)}"


# --- One cité: what happens now, next, when ---


def phase_state(phase: Phase, today: date) -> str:
    """« done », « current » or « upcoming », from the actual dates (the planned ones only
    announce)."""
    if phase.actual_end and phase.actual_end <= today:
        return "done"
    if phase.actual_start and phase.actual_start <= today:
        return "current"
    return "upcoming"


def _phase_sentence(phase: Phase) -> str:
    parts = [phase.label or phase.get_kind_display().lower()]
    if phase.dwellings:
        parts.append(dwellings_text(phase.dwellings))
    if phase.planned_end:
        ending = "livraison prévue" if phase.kind == Phase.Kind.WORKS else "fin prévue"
        parts.append(f"{ending} {month_year(phase.planned_end)}")
    return ", ".join(parts)


@dataclass
class ResidentSummary:
    now: list[str]  # « Travaux en cours : tranche 2, 48 logements, livraison prévue mars 2027 »
    next: str  # « Ensuite : espaces publics, à partir de septembre 2027 »
    planned: int
    delivered: int
    last_delivery: MonthlyDelivery | None
    phases: list[tuple[Phase, str]] = field(default_factory=list)  # (phase, state)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.delivered / self.planned)) if self.planned else 0


def resident_summary(operation: Operation, today: date) -> ResidentSummary:
    """Two queries (phases, deliveries), for the cité page and the widget."""
    phases = sorted(
        operation.phases.all(),
        key=lambda p: (p.actual_start or p.planned_start or date.max, p.sort_order or 0),
    )
    deliveries = sorted(operation.deliveries.all(), key=lambda d: d.month)
    states = [(phase, phase_state(phase, today)) for phase in phases]
    now = [
        f"{phase.get_kind_display()} en cours : {_phase_sentence(phase)}"
        for phase, state in states
        if state == "current"
    ]
    upcoming = [phase for phase, state in states if state == "upcoming"]
    if upcoming:
        first = upcoming[0]
        when = (
            f"à partir de {month_year(first.planned_start)}"
            if first.planned_start
            else "date à préciser"
        )
        next_text = f"Ensuite : {first.name.lower()}, {when}."
    elif phases and all(state == "done" for _, state in states):
        next_text = "Toutes les phases prévues sont terminées."
    else:
        next_text = ""
    return ResidentSummary(
        now=now,
        next=next_text,
        planned=operation.dwellings_planned,
        delivered=sum(d.dwellings for d in deliveries),
        last_delivery=deliveries[-1] if deliveries else None,
        phases=states,
    )


# --- The observatory: every cité with a tracker ---


@dataclass
class Row:
    label: str
    delivered: int = 0
    planned: int = 0
    updated: datetime | None = None
    slug: str = ""

    def add(self, delivered: int, planned: int, updated: datetime | None) -> None:
        self.delivered += delivered
        self.planned += planned
        if updated and (self.updated is None or updated > self.updated):
            self.updated = updated

    @property
    def percent(self) -> int:
        return round(100 * self.delivered / self.planned) if self.planned else 0


@dataclass
class CityRow(Row):
    url: str = ""
    communes: str = ""
    epci: str = ""
    landlord: str = ""
    last_month: date | None = None
    is_demo: bool = False


@dataclass
class Observatory:
    target: int
    delivered: int
    planned: int
    updated: datetime | None
    by_epci: list[Row]
    by_landlord: list[Row]
    by_city: list[CityRow]
    by_year: list[Row]
    by_label: list[Row]
    has_demo: bool

    @property
    def percent_of_target(self) -> int:
        return round(100 * self.delivered / self.target) if self.target else 0


# The columns the figures and the open data read (and `expire_at`, for how long they may be
# cached: renouveau.cache_tags): a CityPage row is wide (page fields, body
# and gallery streams), and at 500 cités loading them all cost most of the observatory's time.
TRACKED_COLUMNS = (
    "dwellings_planned", "is_demo", "updated_at",
    "city__title", "city__slug", "city__url_path", "city__expire_at", "city__epci",
    "city__epci__name", "city__epci__short_name", "city__epci__slug",
    "landlord__name", "landlord__slug",
)  # fmt: skip


def tracked_operations():
    """Operations of the cités anyone may see (published, public, not expired)."""
    return (
        Operation.objects.filter(city__in=public_pages(CityPage.objects.all()))
        .select_related("city", "city__epci", "landlord")
        .only(*TRACKED_COLUMNS)
        .prefetch_related(Prefetch("city__communes", Commune.objects.only("name")))
        .order_by("city__sort_title")
    )


def current_observatory(request=None) -> Observatory:
    """`observatory()`, kept for a content generation (renouveau.fragments): a saved tracker is
    a snippet save, which starts a new generation, so a delivery shows at once. The page, the
    open data files, the API and the widgets all read this one."""
    return fragments.cached("works-observatory", dated(observatory), request)


def observatory(today: date | None = None) -> Observatory:
    operations = list(tracked_operations())
    ids = [operation.pk for operation in operations]
    delivered: dict[int, int] = defaultdict(int)
    last_month: dict[int, date] = {}
    by_year: dict[int, Row] = {}
    for row in MonthlyDelivery.objects.filter(operation_id__in=ids).values(
        "operation_id", "month", "dwellings"
    ):
        operation_id, month = row["operation_id"], row["month"]
        delivered[operation_id] += row["dwellings"]
        last_month[operation_id] = max(month, last_month.get(operation_id, month))
        by_year.setdefault(month.year, Row(str(month.year))).delivered += row["dwellings"]

    by_epci: dict[str, Row] = {}
    by_landlord: dict[str, Row] = {}
    cities = []
    for operation in operations:
        city = operation.city
        done = delivered[operation.pk]
        epci = city.epci.display_name if city.epci else "Non renseignée"
        landlord = operation.landlord.name if operation.landlord else "Non renseigné"
        by_epci.setdefault(epci, Row(epci, slug=city.epci.slug if city.epci else "")).add(
            done, operation.dwellings_planned, operation.updated_at
        )
        by_landlord.setdefault(
            landlord, Row(landlord, slug=operation.landlord.slug if operation.landlord else "")
        ).add(done, operation.dwellings_planned, operation.updated_at)
        cities.append(
            CityRow(
                label=city.title,
                delivered=done,
                planned=operation.dwellings_planned,
                updated=operation.updated_at,
                slug=city.slug,
                url=city.url or "",
                communes=", ".join(commune.name for commune in city.communes.all()),
                epci=epci,
                landlord=landlord,
                last_month=last_month.get(operation.pk),
                is_demo=operation.is_demo,
            )
        )

    # Labels gained: the dwellings of finished works phases, by their DPE before → after.
    by_label: dict[str, Row] = {}
    labelled = (
        Phase.objects.filter(operation_id__in=ids, actual_end__isnull=False)
        .exclude(label_before="")
        .values("label_before", "label_after")
        .annotate(dwellings=Sum("dwellings"))
        .order_by("label_before", "label_after")
    )
    for row in labelled:
        label = f"{row['label_before']} → {row['label_after']}"
        by_label.setdefault(label, Row(label)).delivered += row["dwellings"] or 0

    updated = max((o.updated_at for o in operations), default=None)
    return Observatory(
        target=PROGRAMME_TARGET,
        delivered=sum(delivered.values()),
        planned=sum(o.dwellings_planned for o in operations),
        updated=updated,
        by_epci=sorted(by_epci.values(), key=lambda r: -r.delivered),
        by_landlord=sorted(by_landlord.values(), key=lambda r: -r.delivered),
        by_city=cities,
        by_year=[by_year[year] for year in sorted(by_year)],
        by_label=list(by_label.values()),
        has_demo=any(o.is_demo for o in operations),
    )
