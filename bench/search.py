"""Site search benchmark on PostgreSQL: latency at 5,000 and 50,000 pages, per kind of query.

    .venv/bin/python bench/search.py                       # 5,000 and 50,000 pages
    BENCH_SIZES=5000 .venv/bin/python bench/search.py      # one size
    BENCH_KEEP=1 …   keep the databases;   BENCH_REUSE=1 …   measure again on kept databases

PostgreSQL at `BENCH_PG` (default postgres://postgres@127.0.0.1:5432), one throw-away database
per size, `BENCH_DB` + `_<size>` (default `renouveau_bench_search_5000`…). Each holds 50
sections of StandardPages whose texts are random draws from the words of the seed documents
(/work/shared/seeds), so the programme's words are everywhere ("cité" is in ~99 % of pages);
one page in 500 also contains the rare word "zanzibarite".

Building 50,000 pages through Wagtail (`add_child`, `update_index`) takes an hour on the
development machine, so the bench creates 50 sections and one model page through Wagtail,
then copies that page's rows in SQL with new texts, paths and slugs, and writes the index
entries with the same SQL Wagtail's indexer runs (`setweight(to_tsvector(…))` per field; the
bench checks it gives the model page's entry exactly), then VACUUM ANALYZE.

Measured: `search.searching.run_search()` (the whole search: filters, capped count, ranked
page, excerpts, promotions; what every search shares from the fragment cache, as in
production, unless `BENCH_FRAGMENTS=0`) for each kind of query, `BENCH_RUNS` times (default
21) after one
warm-up, as median and p95, and the 50k/5k ratios; the load average is printed before and
after. Targets (issue 32), for every kind of query and for all queries together: p95 ≤ 50 ms
at 5,000 pages, and p95 at 50,000 pages ≤ 1.5 × p95 at 5,000. The bench says whether each is
met and exits non-zero when one is missed. The machine is shared: run it twice, note the load.

`BENCH_HTTP=1` measures the search page instead, over HTTP: one gunicorn per size with the
Procfile's options (2 workers, preload), production settings and a Redis of the bench's own,
as bench/vs_bakerydemo.py runs the site; each request `GET /recherche/?…` carries a parameter
no page reads, so the page cache never answers it (the whole page is rendered: search,
template, shared fragments from Redis), wall-clock on loopback. Same targets.

`BENCH_PLAN=1` measures instead, at the first size, each query with the planner overrides that
search/pg.py used to set (`PLAN_OVERRIDES`: no sequential, plain index, hash or merge scans, no
parallel workers; here for the whole search) and without them (the planner's own plan), taking
turns run by run, every statement stopped at `BENCH_PLAN_TIMEOUT_MS` (5,000) (issue 28).

`BENCH_SEARCH_ROOT=/path` puts a directory holding another `search` package first on the path
(e.g. the code before a change, from `git archive`) to measure it on the same databases.
"""

import contextlib
import itertools
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
if os.environ.get("BENCH_SEARCH_ROOT"):
    sys.path.insert(0, os.environ["BENCH_SEARCH_ROOT"])
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_PREFIX = os.environ.get("BENCH_DB", "renouveau_bench_search")
RARE_WORD = "zanzibarite"
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "5000,50000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "21"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
PLAN = os.environ.get("BENCH_PLAN") == "1"
HTTP = os.environ.get("BENCH_HTTP") == "1"
KEEP = os.environ.get("BENCH_KEEP") == "1" or REUSE
# Issue 32: p95 ≤ 50 ms at 5,000 pages, and at most 1.5 times that p95 at 50,000.
TARGET_SIZE = 5000
TARGET_P95_MS = 50
TARGET_RATIO = 1.5
# (kind, params): what visitors type, from the most to the least expensive.
QUERIES = [
    ("common word", {"q": "cité"}),
    ("common word", {"q": "habitants"}),
    ("two words", {"q": "rénovation Sallaumines"}),
    ("two words", {"q": "jardin citoyen"}),
    ("three words", {"q": "cites minieres patrimoine"}),
    ("rare word", {"q": RARE_WORD}),
    ("no match", {"q": "introuvablexyz"}),
    # Misspelt: nothing found, « Vouliez-vous dire … ? » and the corrected query's results.
    ("misspelt", {"q": "habitnts"}),
    ("misspelt", {"q": "renovaton jardn"}),
    ("filter + page 7", {"q": "cité", "type": "renouveau.standardpage", "page": "7"}),
    ("last page", {"q": "cité", "page": "100"}),
]


def admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def database_exists(name: str) -> bool:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def db_name(size: int) -> str:
    return f"{DB_PREFIX}_{size}"


os.environ["DATABASE_URL"] = f"{PG}/{db_name(SIZES[0])}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings as django_settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection, connections, transaction  # noqa: E402
from search_pages import build  # noqa: E402

from renouveau import fragments  # noqa: E402
from search.searching import run_search  # noqa: E402

# As in production (issue 32), what every search shares (the type, commune and intercommunalité
# choices, the private sections) comes from the fragment cache, one cache per database size
# (here in the process's memory; in production Redis, or the process's own copy).
# BENCH_FRAGMENTS=0: built on every search, as the test settings do.
if os.environ.get("BENCH_FRAGMENTS", "1") == "1":
    django_settings.FRAGMENT_CACHE_SECONDS = 86400
    django_settings.CACHES.update(
        {
            f"bench-{size}": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
            for size in SIZES
        }
    )

# The vocabulary of « Vouliez-vous dire … ? » (issue 30); absent from older code.
with contextlib.suppress(ImportError):
    import search.vocabulary  # noqa: F401


def use_database(size: int) -> None:
    connection.close()
    connection.settings_dict["NAME"] = db_name(size)


def connection_for(size: int):
    """A connection of its own to the database of `size` pages, to swap in as `default`."""
    wrapper = type(connections["default"])(
        {**connections["default"].settings_dict, "NAME": db_name(size)}, alias="default"
    )
    wrapper.ensure_connection()
    return wrapper


def switch_to(size: int, wrappers: dict) -> None:
    """Searches go to the database of `size` pages, and to its own fragment cache."""
    connections._connections.default = wrappers[size]
    django_settings.PAGE_CACHE_ALIAS = f"bench-{size}"
    fragments._local.clear()  # the process's copies of the other size's fragments


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def in_process_searchers(sizes: list[int]) -> tuple[dict, Callable[[], None]]:
    """`run_search()` on each size's database, as a visitor's search runs it; and the closing."""
    wrappers = {size: connection_for(size) for size in sizes}

    def searcher(size: int) -> Callable[[dict], str]:
        def search(params: dict) -> str:
            switch_to(size, wrappers)
            outcome = run_search(params, record_hit=False)
            return f"{'>' if getattr(outcome, 'more', False) else ''}{outcome.total}"

        return search

    def close() -> None:
        for wrapper in wrappers.values():
            wrapper.close()

    return {size: searcher(size) for size in sizes}, close


def http_searchers(sizes: list[int]) -> tuple[dict, Callable[[], None]]:
    """The search page of a gunicorn per size (production settings), past the page cache."""
    import tempfile
    import urllib.parse

    from vs_bakerydemo import OUR_SETTINGS, Server, production_env, start_redis

    tmp = Path(tempfile.mkdtemp(prefix="bench-search-http-"))
    (tmp / "bench_ours.py").write_text(OUR_SETTINGS)
    redis, redis_port = start_redis()
    servers: dict[int, Server] = {}
    for size in sizes:
        env = production_env(tmp, f"{PG}/{db_name(size)}", redis_port)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "release"], cwd=ROOT, env=env, check=True, capture_output=True)
        servers[size] = Server(
            ROOT / ".venv" / "bin" / "gunicorn", ROOT,
            ["-c", "site/renouveau/gunicorn_conf.py", "--pythonpath", "site", "renouveau.wsgi"],
            env,
        )  # fmt: skip
    requests = itertools.count()

    def searcher(size: int) -> Callable[[dict], str]:
        def search(params: dict) -> str:
            # A parameter no page reads: the page cache neither answers nor keeps the page.
            query = urllib.parse.urlencode({**params, "bench-run": next(requests)})
            servers[size].get(f"/recherche/?{query}")
            return "-"

        return search

    def close() -> None:
        for server in servers.values():
            server.stop()
        redis.terminate()

    return {size: searcher(size) for size in sizes}, close


def measure(sizes: list[int]) -> dict[int, dict[str, list[float]]]:
    """Each query `RUNS` times at every size, the sizes taking turns run by run, so that the
    load of the shared machine, which drifts over minutes, weighs on every size alike."""
    searchers, close = (http_searchers if HTTP else in_process_searchers)(sizes)
    results: dict[int, dict[str, list[float]]] = {size: {} for size in sizes}
    print(f"\n{RUNS} runs per query and size, sizes interleaved{', over HTTP' if HTTP else ''}")
    header = "".join(f"{f'{size} pages':>22}" for size in sizes)
    print(f"  {'query':44} {header}")
    print(f"  {'':44} {' results  median    p95' * len(sizes)}")
    for kind, params in QUERIES:
        durations: dict[int, list[float]] = {size: [] for size in sizes}
        totals = {size: searchers[size](params) for size in sizes}  # warm-up, result count
        for _ in range(RUNS):
            for size in sizes:
                started = time.perf_counter()
                searchers[size](params)
                durations[size].append((time.perf_counter() - started) * 1000)
        cells = ""
        for size in sizes:
            results[size].setdefault(kind, []).extend(durations[size])
            results[size].setdefault("all", []).extend(durations[size])
            cells += (
                f" {totals[size]:>7} {statistics.median(durations[size]):6.1f} "
                f"{percentile(durations[size], 95):6.1f}"
            )
        label = f"{kind}: {' '.join(f'{k}={v}' for k, v in params.items())}"
        print(f"  {label[:44]:44} {cells}")
    close()
    if HTTP:
        return results
    vocabulary = sys.modules.get("search.vocabulary")
    if vocabulary is not None:  # the code after issue 30: the vocabulary's one-off build
        wrappers = {size: connection_for(size) for size in sizes}
        for size in sizes:
            switch_to(size, wrappers)
            started = time.perf_counter()
            words = vocabulary._build()
            took = (time.perf_counter() - started) * 1000
            print(f"  vocabulary of {size} pages: {len(words)} words built in {took:.0f} ms")
        for wrapper in wrappers.values():
            wrapper.close()
    return results


# What search/pg.py set for its statements until issue 28 (removed: see its docstring).
PLAN_OVERRIDES = {
    "enable_seqscan": "off",
    "enable_indexscan": "off",
    "enable_hashjoin": "off",
    "enable_mergejoin": "off",
    "max_parallel_workers_per_gather": "0",
}


@contextlib.contextmanager
def plan_settings(settings: dict[str, str]):
    """`settings` for one search (SET LOCAL, in a transaction of its own)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        yield


def timed_search(params: dict, settings: dict[str, str]) -> float:
    """Milliseconds of one search; infinity when it hit the statement timeout."""
    started = time.perf_counter()
    try:
        with plan_settings(settings):
            run_search(params, record_hit=False)
    except OperationalError:  # canceling statement due to statement timeout
        return math.inf
    return (time.perf_counter() - started) * 1000


def measure_plan(size: int) -> None:
    """Each query `RUNS` times with the planner overrides and without, taking turns."""
    timeout = {"statement_timeout": os.environ.get("BENCH_PLAN_TIMEOUT_MS", "5000")}
    ways = {"overrides": {**PLAN_OVERRIDES, **timeout}, "planner's own": timeout}
    connections._connections.default = connection_for(size)
    print(f"\n{RUNS} runs per query at {size} pages, with and without the overrides in turn;")
    print(f"  load average before: {os.getloadavg()}")
    print(f"  {'query':44} {'results':>8} {'overrides med/p95':>18} {'planner med/p95':>18} ratio")
    for kind, params in QUERIES:
        outcome = run_search(params, record_hit=False)  # warm-up, and the result count
        total = f"{'>' if getattr(outcome, 'more', False) else ''}{outcome.total}"
        durations: dict[str, list[float]] = {way: [] for way in ways}
        for _ in range(RUNS):
            for way, settings in ways.items():
                durations[way].append(timed_search(params, settings))
        medians = {way: statistics.median(durations[way]) for way in ways}
        cells = "".join(
            f" {medians[way]:8.1f} {percentile(durations[way], 95):8.1f}" for way in ways
        )
        ratio = medians["overrides"] / medians["planner's own"]
        label = f"{kind}: {' '.join(f'{k}={v}' for k, v in params.items())}"
        print(f"  {label[:44]:44} {total:>8}{cells}  {ratio:5.2f}")
    print(f"  load average after: {os.getloadavg()}")
    print("  (ratio: overrides median / planner's own median; above 1: the overrides cost;")
    print(f"   inf: stopped at {timeout['statement_timeout']} ms)")


def main() -> None:
    print(f"PostgreSQL at {PG}; search code from {sys.modules['search'].__file__}")
    try:
        for size in SIZES:
            name = db_name(size)
            fresh = not (REUSE and database_exists(name))
            if fresh:
                admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                admin(f"CREATE DATABASE {name}")
            use_database(size)
            call_command("migrate", verbosity=0)
            if fresh:
                print(f"\nbuilding {size} pages in {name}")
                build(size, RARE_WORD)
                connection.close()
                with psycopg.connect(f"{PG}/{name}", autocommit=True) as conn:
                    conn.execute("VACUUM ANALYZE")
        connection.close()
        if PLAN:
            measure_plan(SIZES[0])
            return
        print(f"load average before: {os.getloadavg()}")
        results = measure(sorted(SIZES))
        print(f"load average after: {os.getloadavg()}")
        failures = summary(results)
    finally:
        connection.close()
        if not KEEP:
            for size in SIZES:
                admin(f"DROP DATABASE IF EXISTS {db_name(size)} WITH (FORCE)")
    if failures:
        print("targets missed:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("targets met" if TARGET_SIZE in SIZES else "no target checked")


def summary(results: dict[int, dict[str, list[float]]]) -> list[str]:
    """Median / p95 per kind of query and size, the 50k/5k ratios, and the targets missed."""
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    print(f"\nper kind of query, median / p95 (ms) at {', '.join(map(str, sizes))} pages")
    failures = []
    if small != TARGET_SIZE:
        print(f"  (issue 32's targets are for {TARGET_SIZE} and {TARGET_SIZE * 10} pages)")
    for kind, runs in results[small].items():
        p95 = {size: percentile(results[size][kind], 95) for size in sizes}
        line = "   ".join(
            f"{statistics.median(results[size][kind]):6.1f} / {p95[size]:6.1f}" for size in sizes
        )
        if small == TARGET_SIZE:
            met = p95[small] <= TARGET_P95_MS
            line += f"   p95 ≤ {TARGET_P95_MS} ms: {'met' if met else 'MISSED'}"
            failures += [] if met else [f"{kind}: p95 {p95[small]:.1f} ms at {small} pages"]
        if large != small:
            ratio, median = p95[large] / p95[small], statistics.median(results[large][kind])
            met = ratio <= TARGET_RATIO
            line += f"; ratio median {median / statistics.median(runs):4.2f}, p95 {ratio:4.2f}"
            line += f" (≤ {TARGET_RATIO}: {'met' if met else 'MISSED'})"
            failures += [] if met else [f"{kind}: p95 {ratio:.2f} × at {large} pages"]
        print(f"  {kind:16} {line}")
    return failures


if __name__ == "__main__":
    main()
