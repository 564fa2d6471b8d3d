"""What a page costs right after its own publish, in the process that serves it: the render
that bench/vs_bakerydemo.py times over HTTP (« after publish of the page »), here in
milliseconds, with its SQL queries and Redis commands, to see where that time goes. Not a
test: it prints a table.

    .venv/bin/python bench/cold_render.py [--database postgres://…/db] [--rounds 20]

Production settings with a Redis of the bench's own and PostgreSQL (a fresh database with the
demo content unless --database names one that holds it), Django's test client in one process
(no HTTP, no gunicorn). For each page of vs_bakerydemo.py's pairs, `--rounds` times: the page is
published again (a new revision, signals included, as an editor's « Publier »), then requested
once; the figures are the median and the minimum of those requests, and the queries and Redis
commands of one of them.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vs_bakerydemo import (  # noqa: E402
    OUR_SETTINGS,
    PAIRS,
    ROOT,
    production_env,
    recreate_database,
    start_redis,
)


def measure(rounds: int) -> None:
    """In the child process, with the production environment."""
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from wagtail.models import Page

    settings.ALLOWED_HOSTS = ["*"]
    commands = redis.Redis.from_url(os.environ["REDIS_URL"])
    client = Client(HTTP_X_FORWARDED_PROTO="https")  # as behind the TLS proxy

    def redis_calls() -> int:
        stats = commands.info("commandstats")
        return sum(v["calls"] for k, v in stats.items() if k != "cmdstat_info")

    print(f"{'page':28} {'median ms':>9} {'min ms':>7} {'queries':>8} {'Redis':>6}  cache")
    for label, url, *_ in PAIRS:
        page = next(p for p in Page.objects.live().specific() if p.url == url)
        for _ in range(2):  # this process's code, templates and shared fragments warm
            client.get(url)
        times, queries, calls, state = [], 0, 0, ""
        for round_number in range(rounds):
            page.save_revision().publish()
            executed: list[str] = []
            before = redis_calls()

            def count(execute, sql, params, many, context, executed=executed):
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if round_number == 0:
                queries, calls = len(executed), redis_calls() - before
                state = response.headers.get("X-Page-Cache", "-")
            assert response.status_code == 200, (url, response.status_code)
        name = label.split(" / ")[0]
        print(
            f"{name:28} {statistics.median(times):9.1f} {min(times):7.1f} {queries:8} "
            f"{calls:6}  {state}"
        )
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", help="a PostgreSQL database holding the demo content")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--rounds", default=20, type=int)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.rounds)
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    (tmp / "bench_ours.py").write_text(OUR_SETTINGS)
    redis, redis_port = start_redis()
    try:
        database = args.database or recreate_database(args.server, "bench_cold_render")
        env = production_env(tmp, database, redis_port)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "release"], cwd=ROOT, env=env, check=True, capture_output=True)
        if not args.database:
            print("loading the demo content (a few minutes)…", flush=True)
            subprocess.run([*manage, "load_demo_content", "-v0"], cwd=ROOT, env=env, check=True)
        print(json.dumps({"database": database.rsplit("/", 1)[1], "rounds": args.rounds}))
        child = [sys.executable, __file__, "--child", "--rounds", str(args.rounds)]
        subprocess.run(child, cwd=ROOT, env=env, check=True)
    finally:
        redis.terminate()


if __name__ == "__main__":
    main()
