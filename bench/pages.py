"""Programme pages benchmark: database queries and median render time of each page type and of
the home page, with 10 and then 500 children per index (cités, news, webinars, case studies).
Not a test: it prints a table.

    .venv/bin/python bench/pages.py

Production-like: DEBUG off (cached templates), the anonymous page cache off so that every
request really renders, warm (one request before measuring), Django test client, a throw-away
SQLite database (or DATABASE_URL if set: an empty database, created beforehand; on PostgreSQL
the tables are ANALYZEd once the children are in).
"""

import cProfile
import datetime
import os
import pstats
import statistics
import time
from decimal import Decimal

from django_bench import setup

TMP = setup("pages")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

# Shared fragments cached as in production with Redis (one process here: locmem is exact).
settings.FRAGMENT_CACHE_SECONDS = 86400
ROUNDS = 30

PAGES = [
    ("home", "/"),
    ("cités index", "/cites/"),
    ("cités index, filtered", "/cites/?epci=communaute-dagglomeration-dhenin-carvin"),
    ("cité (Nouméa)", "/cites/cite-noumea/"),
    ("news index", "/actualites/"),
    ("news", "/actualites/4e-comite-de-pilotage-20-juin-2019/"),
    ("webinars index", "/webinaires/"),
    ("webinar", "/webinaires/accompagnement-des-habitants-pendant-les-renovations/"),
    ("case studies index", "/retours-d-experience/"),
    ("case study", "/retours-d-experience/jardin-citoyen-cite-5-12-sallaumines/"),
    ("programme in figures", "/le-programme-en-chiffres/"),
    ("open data CSV (all cités)", "/cites/export-csv/"),
    ("open data GeoJSON (all cités)", "/cites/export-geojson/"),
    ("news RSS", "/actualites/rss/"),
    ("webinars iCal feed", "/webinaires/agenda-ical/"),
]


def add_children(target: int) -> None:
    """Top up every index to `target` children (live pages, no revisions: faster to build)."""
    from cites_pages import models

    communes = list(models.Commune.objects.select_related("epci"))
    landlords = list(models.Landlord.objects.all())
    themes = list(models.Theme.objects.all())
    category = models.NewsCategory.objects.first()
    statuses = [value for value, _ in models.Status.choices]
    noumea = models.CityPage.objects.get(slug="cite-noumea")

    index = models.CitiesIndexPage.objects.get()
    for i in range(models.CityPage.objects.count(), target):
        commune = communes[i % len(communes)]
        page = models.CityPage(
            title=f"Cité n° {i}",
            slug=f"cite-n-{i}",
            intro="Une cité du registre de test.",
            epci=commune.epci,
            landlord=landlords[i % len(landlords)],
            dwellings=200,
            status=statuses[i % len(statuses)],
            latitude=Decimal("50.4") + Decimal(i) / 10000,
            longitude=Decimal("2.9") + Decimal(i) / 10000,
            communes=[commune],
            phases=[
                models.CityPhase(label="Tranche 1", dwellings=120, status=models.Status.DONE),
                models.CityPhase(label="Tranche 2", dwellings=80, status=models.Status.WORKS),
            ],
        )
        index.add_child(instance=page)

    index = models.NewsIndexPage.objects.get()
    for i in range(models.NewsPage.objects.count(), target):
        index.add_child(
            instance=models.NewsPage(
                title=f"Actualité n° {i}",
                slug=f"actualite-{i}",
                date=datetime.date(2019, 1, 1) + datetime.timedelta(days=i),
                lead="Une actualité de test.",
                categories=[category],
                related_cities=[noumea],  # so that Nouméa's mentions grow with N
            )
        )

    index = models.WebinarIndexPage.objects.get()
    now = timezone.now()
    for i in range(models.WebinarPage.objects.count(), target):
        start = now + datetime.timedelta(days=i - target // 2)
        index.add_child(
            instance=models.WebinarPage(
                title=f"Webinaire n° {i}",
                slug=f"webinaire-{i}",
                start=start,
                end=start + datetime.timedelta(hours=2),
                intro="Un webinaire de test.",
                related_cities=[noumea],
            )
        )

    index = models.CaseStudyIndexPage.objects.get()
    for i in range(models.CaseStudyPage.objects.count(), target):
        index.add_child(
            instance=models.CaseStudyPage(
                title=f"Retour d'expérience n° {i}",
                slug=f"retour-{i}",
                theme=themes[i % len(themes)],
                intro="Un retour d'expérience de test.",
                cities=[noumea],
                landlords=[landlords[0]],
                budget_lines=[
                    models.BudgetLine(item="Travaux", provider="Entreprise", amount=1000)
                ],
                funding_lines=[models.FundingLine(source="atfpb", amount=1000)],
            )
        )


def python_calls(client: Client, url: str) -> int:
    """Python function calls of one warm request: unlike time, independent of the machine's
    load, so a page whose work grows with its children shows it here at once."""
    profile = cProfile.Profile()
    profile.runcall(client.get, url)
    return pstats.Stats(profile).total_calls


def measure(client: Client, url: str) -> tuple[int, float, float, int]:
    """Queries of one warm request; median wall-clock and CPU time (ms) of ROUNDS requests;
    Python calls of one. CPU time (this process: Python and SQLite) is steadier than wall time
    on a busy machine, call counts steadier still."""
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)  # now: the next request's start clears the connection's query log
    calls = python_calls(client, url)
    wall, cpu = [], []
    for _ in range(ROUNDS):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return count, statistics.median(wall), statistics.median(cpu), calls


def main() -> None:
    call_command("migrate", verbosity=0)
    from cites_pages import demo
    from renouveau.demo import ensure_home_page
    from renouveau.page_cache import invalidate_page_cache

    home = ensure_home_page()
    demo.load(home)
    client = Client()
    results = {}
    for n in (10, 500):
        started = time.perf_counter()
        add_children(n)
        invalidate_page_cache()  # children added without publishing: no signal
        if connection.vendor == "postgresql":
            # Planner statistics, as autovacuum keeps them in production (it may be off here):
            # without them, the filtered cités take a nested loop over the tree (30 ms at 500).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"built {n} children per index in {time.perf_counter() - started:.0f} s", flush=True)
        results[n] = {label: measure(client, url) for label, url in PAGES}

    print()
    print(f"{'':32} {'------------ N=10 ------------':>32} {'------------ N=500 -----------':>32}")
    head = f"{'queries':>8} {'ms':>7} {'cpu ms':>8} {'calls':>7}"
    print(f"{'page':32} {head} {head} {'calls 500/10':>12}")
    for label, _url in PAGES:
        q10, t10, c10, k10 = results[10][label]
        q500, t500, c500, k500 = results[500][label]
        flag = "  <- queries grow with N" if q500 > q10 else ""
        print(
            f"{label:32} {q10:>8} {t10:>7.1f} {c10:>8.1f} {k10:>7} "
            f"{q500:>8} {t500:>7.1f} {c500:>8.1f} {k500:>7} {k500 / k10:>12.2f}{flag}"
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nmedians of {ROUNDS} warm requests; database: {connection.vendor}; "
        f"load average during the run: {load:.1f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
