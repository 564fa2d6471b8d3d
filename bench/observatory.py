"""Observatory benchmark: not a test, it prints figures.

    .venv/bin/python bench/observatory.py                # 10, 50 then 500 tracked cités
    BENCH_SIZES=10,500 .venv/bin/python bench/observatory.py

For each size, N published cités each with a works operation (3 phases, 12 monthly deliveries)
are built, then the observatory page `/observatoire/`, its CSV and JSON are requested with
Django's test client, the fragment cache off (FRAGMENT_CACHE_SECONDS=0: every request computes
the figures, the worst case). Printed per URL: the number of SQL queries of one request (counted
by a connection.execute_wrapper; it should not change with N) and the median wall time of 5
requests (time.perf_counter).

Then, at the largest size, the figures' operations query with every column (as before issue 33)
against the same query limited to works.figures.TRACKED_COLUMNS, loaded alternately 7 times
each in this process (median, time.perf_counter), with the load average beside them.

Uses a throw-away SQLite database, or DATABASE_URL (PostgreSQL: give a database of its own).
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
TMP = Path(tempfile.mkdtemp(prefix="renouveau-bench-observatory-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", str(TMP / "media"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10,50,500").split(",")]
URLS = [
    "/observatoire/",
    "/observatoire/avancement-cites.csv",
    "/observatoire/avancement-cites.json",
]


def add_cities(index, start: int, stop: int) -> None:
    from tests.factories import CityPageFactory
    from works.models import MonthlyDelivery, Operation, Phase

    for n in range(start, stop):
        city = CityPageFactory(parent=index, title=f"Cité {n:04d}")
        operation = Operation(city=city, dwellings_planned=200)
        operation.phases = [
            Phase(kind="etudes", actual_start=date(2023, 1, 1), actual_end=date(2023, 6, 1)),
            Phase(kind="travaux", label="Tranche 1", dwellings=200, actual_start=date(2024, 1, 1),
                  actual_end=date(2025, 1, 1), label_before="F", label_after="C"),
            Phase(kind="espaces_publics", planned_start=date(2027, 1, 1)),
        ]  # fmt: skip
        operation.deliveries = [
            MonthlyDelivery(month=date(2024, month, 1), dwellings=16) for month in range(1, 13)
        ]
        operation.save()


def measure(client: Client, url: str) -> tuple[int, float]:
    response = client.get(url)  # also warms the process's caches (content types, sites)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - start)
    return len(executed), statistics.median(times)


def main() -> None:
    from renouveau.demo import ensure_home_page
    from tests.factories import CitiesIndexPageFactory

    call_command("migrate", verbosity=0)
    settings.FRAGMENT_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["*"]
    index = CitiesIndexPageFactory(parent=ensure_home_page())
    client = Client(secure=True)  # HTTPS as in production (no redirect to measure)
    built = 0
    print(f"database: {connection.vendor}; fragment cache off; median of 5 requests")
    for size in SIZES:
        add_cities(index, built, size)
        built = size
        for url in URLS:
            queries, seconds = measure(client, url)
            print(f"{size:>4} cités  {url:<38} {queries:>3} queries  {seconds * 1000:7.1f} ms")
    compare_columns(built)


def compare_columns(size: int) -> None:
    """Every column of the operations, their cités and communes vs the columns the figures
    read: the cost `.only()` spares `observatory()`, A/B in one process under the same load."""
    from cites_pages.models import CityPage
    from renouveau.visibility import public_pages
    from works.figures import tracked_operations
    from works.models import Operation

    def every_column():
        return (
            Operation.objects.filter(city__in=public_pages(CityPage.objects.all()))
            .select_related("city", "city__epci", "landlord")
            .prefetch_related("city__communes")
            .order_by("city__sort_title")
        )

    timings: dict[str, list[float]] = {"every column": [], "TRACKED_COLUMNS": []}
    queries = {"every column": every_column, "TRACKED_COLUMNS": tracked_operations}
    for _ in range(7):
        for name, build in queries.items():
            start = time.perf_counter()
            list(build())
            timings[name].append(time.perf_counter() - start)
    load = os.getloadavg()[0]
    for name, found in timings.items():
        median = statistics.median(found) * 1000
        print(f"{size:>4} cités  operations query, {name:<16} {median:7.1f} ms  (load {load:.2f})")


if __name__ == "__main__":
    main()
