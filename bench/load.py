"""Load benchmark: requests/s and latency of key pages, cached and uncached, next to a static
file served by the same server in the same run. Not a test: it prints a table.

    .venv/bin/python bench/load.py [--duration 60] [--connections 50] [--workers 4]

It needs PostgreSQL on 127.0.0.1:5432 (user postgres) and `wrk` (Debian package, installed with
apt-get when missing). It creates a throw-away database, loads the demo content, runs gunicorn
with the production settings on 127.0.0.1, and drives it with wrk on loopback only. Targets:
a cached page reaches ≥ 50 % of the static file's requests/s; 0 errors over 60 s at 50
connections; uncached p99 ≤ 250 ms.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB = "renouveau_bench_load"
PAGES = [
    ("accueil", "/"),
    ("index des cités", "/cites/"),
    ("fiche cité", "/cites/cite-noumea/"),
    ("recherche", "/recherche/?q=renovation"),
]
STATIC = ("fichier statique", "/static/css/site.css")


def run(*args: str, env: dict | None = None) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        run("apt-get", "install", "-y", "-qq", "wrk")
    return shutil.which("wrk") or "wrk"


def parse_wrk(output: str) -> dict:
    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = 0
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(x) for x in match.groups())
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    return {"rps": rps, "p50": latency("50"), "p99": latency("99"), "errors": errors}


def serve(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PY).with_name("gunicorn")),
            "--pythonpath",
            "site",
            "renouveau.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()
    wrk = ensure_wrk()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renouveau.settings.production",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "SECRET_KEY": "bench-" + "x9Y8z7W6v5" * 6,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SERVE_MEDIA_LOCALLY": "1",
        "DB_CONN_MAX_AGE": "60",
        # Production refuses a per-process cache unless told: this bench measured one (set
        # REDIS_URL to measure with the shared cache).
        "SINGLE_PROCESS": "" if os.environ.get("REDIS_URL") else "1",
    }
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    run("createdb", "-h", "127.0.0.1", "-U", "postgres", DB)
    try:
        run(PY, "manage.py", "migrate", "--noinput", env=env)
        run(PY, "manage.py", "load_demo_content", env=env)
        run(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
        rows = []
        # Uncached pages are measured twice: at the full load (latency is then mostly queueing
        # behind the CPU-bound workers) and with one connection per worker (service time).
        runs = (
            ("en cache", "600", options.connections),
            ("sans cache", "0", options.connections),
            ("sans cache", "0", options.workers),
        )
        for mode, seconds, connections in runs:
            server = serve({**env, "PAGE_CACHE_SECONDS": seconds}, options.port, options.workers)
            try:
                targets = [*PAGES, STATIC] if mode == "en cache" else PAGES
                for label, path in targets:
                    url = f"http://127.0.0.1:{options.port}{path}"
                    urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 — warm up
                    command = [wrk, "-t2", f"-c{connections}", f"-d{options.duration}s"]
                    output = subprocess.run(
                        [*command, "--timeout", "5s", "--latency", url],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout
                    shown_mode = mode if path != STATIC[1] else "whitenoise"
                    rows.append((label, f"{shown_mode}, {connections} conn.", parse_wrk(output)))
            finally:
                server.terminate()
                server.wait()
    finally:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=False
        )

    static_rps = next(r["rps"] for label, _, r in rows if label == STATIC[0])
    print(
        f"\n{options.workers} gunicorn workers, wrk {options.connections} connections, "
        f"{options.duration} s per URL, 127.0.0.1, {os.cpu_count()} cores\n"
    )
    header = ("page", "mode", "req/s", "% statique", "p50 ms", "p99 ms", "erreurs")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for label, mode, r in rows:
        share = 100 * r["rps"] / static_rps
        cells = (
            label,
            mode,
            f"{r['rps']:.0f}",
            f"{share:.0f} %",
            f"{r['p50']:.1f}",
            f"{r['p99']:.1f}",
            str(r["errors"]),
        )
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
