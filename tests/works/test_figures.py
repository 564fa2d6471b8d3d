"""The works figures, computed in works/figures.py: the resident summary's sentences, the
observatory's totals and groupings, and a number of queries that does not grow with the cités."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CitiesIndexPageFactory, CityPageFactory
from tests.works.builders import tracked_city
from works.figures import observatory, resident_summary
from works.models import MonthlyDelivery, Operation, Phase

pytestmark = pytest.mark.django_db


def test_the_summary_says_what_happens_now_next_and_when(home_page):
    index = CitiesIndexPageFactory(parent=home_page)
    city = CityPageFactory(parent=index, title="Cité des Acacias")
    operation = Operation(city=city, dwellings_planned=765)
    operation.phases = [
        Phase(kind="travaux", label="Tranches 1 et 2", dwellings=331,
              actual_start=date(2021, 9, 1), actual_end=date(2023, 9, 30)),
        Phase(kind="travaux", label="tranche 2", dwellings=48, planned_end=date(2027, 3, 31),
              actual_start=date(2026, 1, 5)),
        Phase(kind="espaces_publics", planned_start=date(2027, 9, 1)),
    ]  # fmt: skip
    operation.deliveries = [
        MonthlyDelivery(month=date(2026, 10, 1), dwellings=16),
        MonthlyDelivery(month=date(2026, 11, 1), dwellings=16),
    ]
    operation.save()

    summary = resident_summary(operation, today=date(2026, 12, 7))
    assert summary.now == ["Travaux en cours : tranche 2, 48 logements, livraison prévue mars 2027"]
    assert summary.next == "Ensuite : espaces publics, à partir de septembre 2027."
    assert (summary.delivered, summary.planned, summary.percent) == (32, 765, 4)
    assert summary.last_delivery.month == date(2026, 11, 1)
    assert [state for _, state in summary.phases] == ["done", "current", "upcoming"]

    # Before the works start, nothing is « en cours ».
    before = resident_summary(operation, today=date(2021, 1, 1))
    assert before.now == []
    assert before.next.startswith("Ensuite : travaux – tranches 1 et 2")


def test_observatory_groups_by_epci_landlord_city_year_and_label(tracked):
    figures = observatory()
    # The Acacias 331 + 6 × 16, the Bouleaux 15 × 16, the Charmes 3 × 16 (builders.py).
    assert figures.delivered == 427 + 240 + 48
    assert figures.planned == 765 + 240 + 120
    assert figures.target == 23_000
    assert figures.percent_of_target == 3
    assert {row.label: row.delivered for row in figures.by_landlord} == {
        "Bailleur des Acacias": 427,
        "Bailleur des Bouleaux": 240,
        "Non renseigné": 48,
    }
    assert sorted(row.delivered for row in figures.by_epci) == [48, 240, 427]  # one EPCI each
    assert sum(row.delivered for row in figures.by_year) == figures.delivered
    years = ["2020", "2021", "2022", "2023", "2025", "2026"]
    assert [row.label for row in figures.by_year] == years
    # Finished works phases only: the Acacias' tranches 1-2 (E → C), the Bouleaux (F → C).
    assert {row.label: row.delivered for row in figures.by_label} == {"E → C": 331, "F → C": 240}
    assert figures.has_demo
    assert [row.label for row in figures.by_city] == [
        "Cité des Acacias", "Cité des Bouleaux", "Cité des Charmes"
    ]  # fmt: skip
    assert all(row.updated for row in figures.by_city)


def test_an_unpublished_cite_leaves_the_observatory(tracked):
    tracked.under_way.unpublish()
    figures = observatory()
    assert "Cité des Acacias" not in [row.label for row in figures.by_city]
    assert figures.delivered == 240 + 48
    assert not figures.has_demo  # the only demo tracker left with its cité


def count_queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        observatory()
    return len(captured)


def test_observatory_queries_do_not_grow_with_the_cites(home_page):
    index = CitiesIndexPageFactory(parent=home_page)
    for n in range(5):
        tracked_city(index, f"Cité {n}", delivered=[(date(2025, 1, 1), 16)])
    count_queries()  # the first call fills the process's caches (content types, sites)
    five = count_queries()
    for n in range(5, 50):
        tracked_city(index, f"Cité {n}", delivered=[(date(2025, 1, 1), 16), (date(2026, 2, 1), 8)])
    assert count_queries() == five
    assert observatory().delivered == 5 * 16 + 45 * 24


def test_what_compares_dates_with_today_is_cached_until_midnight_at_most(
    client, home_page, settings
):
    """A phase becomes « en cours » when its date comes, with no edit: the cité's works section
    and the observatory figures end at the next midnight, however long fragments live."""
    from datetime import datetime, time, timedelta

    from django.core.cache import caches
    from django.utils import timezone

    from renouveau import fragments

    settings.FRAGMENT_CACHE_SECONDS = 3 * 24 * 3600
    index = CitiesIndexPageFactory(parent=home_page)
    city, _ = tracked_city(index, "Cité des Acacias", delivered=[(date(2025, 1, 1), 16)])
    for _ in range(2):  # the first render of a page may also make its images' renditions
        assert "Les travaux, c" in client.get(city.url).content.decode()
    assert client.get("/observatoire/").status_code == 200

    midnight = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time.min)
    ).timestamp()
    prefix = f"fragment:v{fragments.VERSION}:"
    for key in (f"works-city:{city.pk}", "works-observatory:"):
        entry = caches["default"].get(prefix + key)
        assert entry is not None, key
        assert entry[2] <= midnight, key
