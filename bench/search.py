"""Site search benchmark on PostgreSQL: 5,000 pages, indexing time, query latency.

    .venv/bin/python bench/search.py            # PostgreSQL at 127.0.0.1:5432 (user postgres)
    BENCH_PAGES=1000 .venv/bin/python bench/search.py

Creates the throw-away database `renouveau_bench_search` (dropped at the end), builds 5,000
StandardPages from the words of the seed texts (newsletter N°2, webinar slides), times
`update_index` (full rebuild) and the indexing of single pages (what the worker does after a
save), ANALYZE, then the latency of `search.searching.run_search()` (count, page of results,
excerpts, filters, promotions) and of the whole `/recherche/` page through Django's test client.
Targets: median ≤ 50 ms, p95 ≤ 150 ms.
"""

import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "renouveau_bench_search"
PAGES = int(os.environ.get("BENCH_PAGES", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
QUERIES = [
    "cité",
    "rénovation",
    "habitants",
    "rénovation Sallaumines",
    "jardin citoyen",
    "logements énergétique",
    "Maisons & Cités bailleur",
    "cites minieres patrimoine",
    "webinaire accompagnement",
    "introuvablexyz",
]


def admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


# BENCH_REUSE=1 measures the queries again on the database a BENCH_KEEP=1 run left behind.
REUSE = os.environ.get("BENCH_REUSE") == "1"
KEEP = os.environ.get("BENCH_KEEP") == "1" or REUSE
if not REUSE:
    admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin(f"CREATE DATABASE {DB_NAME}")
os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402
from django.test import Client  # noqa: E402
from modelsearch import index as search_index  # noqa: E402
from modelsearch.signal_handlers import post_save_signal_handler  # noqa: E402

from renouveau.demo import ensure_home_page  # noqa: E402
from renouveau.models import StandardPage  # noqa: E402
from search.searching import run_search  # noqa: E402


def vocabulary() -> list[str]:
    words = []
    for seed in sorted(Path("/work/shared/seeds").glob("*.txt")):
        words += [w.strip(".,;:«»()!?\"'") for w in seed.read_text(encoding="utf-8").split()]
    words = [w for w in words if len(w) > 2 and w.isalpha()]
    return words or [
        "cité",
        "rénovation",
        "habitants",
        "jardin",
        "logements",
        "bailleur",
        "commune",
    ]


def build_pages(count: int) -> float:
    """`count` pages in 50 sections; returns the seconds taken (indexing signals off)."""
    rng = random.Random(2026)
    words = vocabulary()
    home = ensure_home_page()
    for model in search_index.get_indexed_models():
        post_save.disconnect(post_save_signal_handler, sender=model)
    started = time.perf_counter()
    sections = []
    for s in range(50):
        section = StandardPage(title=f"Rubrique {s}", slug=f"rubrique-{s}")
        home.add_child(instance=section)
        sections.append(section)
    for i in range(count - 50):
        text = " ".join(rng.choices(words, k=180))
        page = StandardPage(
            title=" ".join(rng.choices(words, k=5)).capitalize(),
            slug=f"page-{i}",
            teaser_text=" ".join(rng.choices(words, k=25)),
            intro=" ".join(rng.choices(words, k=40)),
            body=[("paragraph", f"<p>{text}</p>")],
        )
        sections[i % 50].add_child(instance=page)
    return time.perf_counter() - started


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(function, runs: int) -> list[float]:
    function()  # warm
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def build_and_index() -> None:
    print(f"PostgreSQL {connection.pg_version}, database {DB_NAME}, {PAGES} pages")
    seconds = build_pages(PAGES)
    print(f"page creation: {seconds:.1f} s")

    started = time.perf_counter()
    call_command("update_index", stdout=io.StringIO())
    seconds = time.perf_counter() - started
    print(f"update_index (full): {seconds:.1f} s, {PAGES / seconds:.0f} pages/s")

    # What autovacuum does soon after a bulk change; without fresh statistics PostgreSQL
    # plans the page/index-entry join as a nested loop (seconds instead of milliseconds).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    sample = list(StandardPage.objects.order_by("?")[:100])
    started = time.perf_counter()
    for page in sample:
        search_index.insert_or_update_object(page)
    per_page = (time.perf_counter() - started) * 1000 / len(sample)
    print(f"single-page indexing (worker, after a save): {per_page:.1f} ms/page")


def main() -> None:
    try:
        call_command("migrate", verbosity=0)
        if not REUSE:
            build_and_index()
        else:
            print(f"(reusing {DB_NAME})")
        client = Client()
        all_function, all_view = [], []
        print(f"\n{'query':32} {'results':>7} {'median':>8} {'p95':>8} {'page med':>9}")
        for query in QUERIES:
            outcome = run_search({"q": query}, record_hit=False)
            function_ms = timed(lambda q=query: run_search({"q": q}, record_hit=False), RUNS)
            view_ms = timed(lambda q=query: client.get("/recherche/", {"q": q}), RUNS)
            all_function += function_ms
            all_view += view_ms
            print(
                f"{query:32} {outcome.total:7d} {statistics.median(function_ms):6.1f}ms "
                f"{percentile(function_ms, 95):6.1f}ms {statistics.median(view_ms):7.1f}ms"
            )
        filtered = timed(
            lambda: run_search(
                {"q": "cité", "type": "renouveau.standardpage", "page": "7"}, record_hit=False
            ),
            RUNS,
        )
        print(f"{'cité, type filter, page 7':32} {'':7} {statistics.median(filtered):6.1f}ms")
        print(
            f"\nrun_search, all queries: median {statistics.median(all_function):.1f} ms, "
            f"p95 {percentile(all_function, 95):.1f} ms (targets 50 / 150 ms)"
        )
        print(
            f"/recherche/ page, all queries: median {statistics.median(all_view):.1f} ms, "
            f"p95 {percentile(all_view, 95):.1f} ms"
        )
    finally:
        connection.close()
        if not KEEP:
            admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
