"""A fresh gunicorn worker's first request, with and without the preload of
site/renouveau/gunicorn_conf.py, whose master loads the code and compiles the templates before it
forks (issue 32 item 3). Not a test: it prints a table.

    .venv/bin/python bench/first_request.py [--rounds 3] [--port 8766]

Production settings, PostgreSQL (a throw-away database with the demo content), a Redis of its
own, 2 workers, 127.0.0.1 only. Each round starts gunicorn afresh in both ways (interleaved),
waits for its two workers, then times with wall-clock over HTTP the first request of a page the
page cache does not serve (a parameter no page reads: the worker renders it), and a second one.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vs_bakerydemo import free_port, production_env, start_redis  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB = "renouveau_bench_first_request"
PATH = "/cites/cite-noumea/?premiere-requete=1"
WAYS = {
    "sans préchargement": [],
    "--preload + code chargé": ["-c", "site/renouveau/gunicorn_conf.py"],
}


def start(env: dict, port: int, options: list[str]) -> subprocess.Popen:
    """gunicorn with 2 workers, returned once both have booted (they log it)."""
    log_path = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
    with log_path.open("w") as log:  # the server keeps its own descriptor
        server = subprocess.Popen(
            [str(Path(PY).with_name("gunicorn")), *options, "--pythonpath", "site",
             "renouveau.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "info",
             "--no-control-socket"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )  # fmt: skip
    deadline = time.monotonic() + 120
    while log_path.read_text().count("Booting worker") < 2:
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit("gunicorn did not start:\n" + log_path.read_text()[-3000:])
        time.sleep(0.1)
    time.sleep(1.0)  # the workers' own start (post_fork: connections) is over
    return server


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=180) as response:  # noqa: S310 — loopback
        response.read()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-first-"))
    port = free_port()
    redis, redis_port = start_redis()
    database = f"postgres://postgres@127.0.0.1:5432/{DB}"
    env = production_env(tmp, database, redis_port, SITE_URL=f"http://127.0.0.1:{port}")
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    results: dict[str, dict[str, list[float]]] = {way: {"1re": [], "2e": []} for way in WAYS}
    try:
        for command in (["migrate", "--noinput"], ["load_demo_content"], ["collectstatic",
                        "--noinput", "-v0"]):  # fmt: skip
            subprocess.run(
                [PY, "manage.py", *command], cwd=ROOT, env=env, check=True,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        for round_number in range(options.rounds):
            ways = list(WAYS.items())
            if round_number % 2:
                ways.reverse()  # neither way always first
            for way, gunicorn_options in ways:
                server = start(env, port, gunicorn_options)
                try:
                    url = f"http://127.0.0.1:{port}{PATH}"
                    results[way]["1re"].append(timed_get(url))
                    results[way]["2e"].append(timed_get(url))
                finally:
                    server.terminate()
                    server.wait()
    finally:
        redis.terminate()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB])
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\n{PATH}, 2 workers, production settings, PostgreSQL + Redis, wall-clock over HTTP,")
    print(f"median of {options.rounds} fresh starts each; load average {os.getloadavg()[0]:.1f}")
    print("| gunicorn | 1re requête ms | 2e requête ms | toutes (1re) |")
    print("|---|---|---|---|")
    for way, times in results.items():
        first = " ".join(f"{t:.0f}" for t in times["1re"])
        print(
            f"| {way} | {statistics.median(times['1re']):.0f} | "
            f"{statistics.median(times['2e']):.0f} | {first} |"
        )


if __name__ == "__main__":
    main()
