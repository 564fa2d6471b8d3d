"""This site's pages against Wagtail's reference demo (bakerydemo), over HTTP, in one run, same
machine, same PostgreSQL, both under gunicorn with 2 workers and production settings (ours with
its Redis and the Procfile's options: preload, code and templates loaded in the master). Three
states per pair of pages, in interleaved rounds: warm, first request after a publish elsewhere
(a page the pair's page does not show), first request after a publish of that very page. Prints
the per-round ratios (ours / bakerydemo, wall-clock over HTTP on loopback), their medians and the
load average; exits non-zero when a target of issue 32 is missed (warm and after a publish
elsewhere ≤ 0.5, after a publish of that page ≤ 0.8). Not a test.

    .venv/bin/python bench/vs_bakerydemo.py --bakerydemo /tmp/bakerydemo \\
        [--venv /tmp/bakery-venv] [--database postgres://postgres@127.0.0.1:5432] [--rounds 5]

bakerydemo runs from the checkout given (its commit is printed) in its own virtualenv, created
with its requirements/base.txt (+ gunicorn, whitenoise, psycopg) when missing (Python >= 3.12).
Each site gets a fresh database (`bench_vs_ours`, `bench_vs_bakery`) loaded with its demo
content; publishes go through a page_worker.py process per site with the same settings (its
signals reach the served site through the database and, for ours, Redis).
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "bench" / "page_worker.py"
CITY = "/cites/cite-noumea/"
NEWS = "/actualites/4e-comite-de-pilotage-20-juin-2019/"
CASE_STUDY = "/retours-d-experience/jardin-citoyen-cite-5-12-sallaumines/"
# (label, our URL, bakerydemo's page model whose first live page is the counterpart, our page
# published "elsewhere": one the page does not show)
PAIRS = [
    ("home", "/", "base.HomePage", CASE_STUDY),
    ("cités index / blog index", "/cites/", "blog.BlogIndexPage", NEWS),
    ("news index / breads index", "/actualites/", "breads.BreadsIndexPage", CASE_STUDY),
    ("webinars index / blog index", "/webinaires/", "blog.BlogIndexPage", NEWS),
    ("case studies index / breads index", "/retours-d-experience/", "breads.BreadsIndexPage", NEWS),
    ("cité profile / bread page", CITY, "breads.BreadPage", NEWS),
    ("news item / blog page", NEWS, "blog.BlogPage", CASE_STUDY),
    ("case study / bread page", CASE_STUDY, "breads.BreadPage", NEWS),
]
BAKERY_ELSEWHERE = "locations.LocationPage"
STATES = ("warm", "after publish elsewhere", "after publish of the page")
TARGETS = {"warm": 0.5, "after publish elsewhere": 0.5, "after publish of the page": 0.8}

OUR_SETTINGS = "from renouveau.settings.production import *  # noqa\n"
BAKERY_SETTINGS = "from bakerydemo.settings.production import *  # noqa\n"


def recreate_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def checkout_commit(checkout: Path) -> str:
    """The checkout's commit: git's, or a COMMIT file (an exported tree: `git archive`)."""
    git = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    if git.returncode == 0:
        return git.stdout.strip()
    marker = checkout / "COMMIT"
    return marker.read_text().strip() if marker.exists() else "unknown (not a git checkout)"


def ensure_venv(venv: Path, checkout: Path) -> Path:
    python = venv / "bin" / "python"
    if python.exists():
        return python
    # `which` finds pyenv's shims even where they cannot run: ask each for its version.
    interpreter = next(
        (
            p
            for p in ("python3.13", "python3.12")
            if subprocess.run([p, "--version"], capture_output=True).returncode == 0
        ),
        None,
    )
    if interpreter is None:
        sys.exit("bakerydemo needs Python >= 3.12 (Django 6) to build its virtualenv")
    subprocess.run([interpreter, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", str(checkout / "requirements/base.txt"),
         "psycopg[binary]", "gunicorn", "whitenoise"],
        check=True,
    )  # fmt: skip
    return python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis() -> tuple[subprocess.Popen, int]:
    """A Redis of the bench's own (no persistence), and its port."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"], stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return process, port


def production_env(tmp: Path, database: str, redis_port: int, **extra: str) -> dict[str, str]:
    """Our production settings on the loopback, as the benches run them (behind no TLS proxy:
    no redirect to https; media served by the site)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renouveau.settings.production",
        "DATABASE_URL": database,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SECRET_KEY": "bench-" + "x9Y8z7W6v5" * 6,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SERVE_MEDIA_LOCALLY": "1",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PYTHONPATH": f"{tmp}:{ROOT / 'site'}:{ROOT}",
        **extra,
    }


class Worker:
    """A page_worker.py process with the site's settings: set-up commands, URLs, publishes."""

    def __init__(self, python: Path, cwd: Path, settings_module: str, setup: str, env: dict):
        self.process = subprocess.Popen(
            [str(python), str(WORKER), settings_module, setup],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.info = self.read()

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            sys.exit("a site's worker stopped (see its errors above)")
        return json.loads(line)

    def ask(self, *command) -> dict:
        self.process.stdin.write(" ".join(str(part) for part in command) + "\n")
        self.process.stdin.flush()
        answer = self.read()
        if "error" in answer:
            sys.exit(answer["error"])
        return answer

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


class Server:
    """gunicorn, 2 workers, on a port of its own; ready once both workers have booted."""

    def __init__(self, gunicorn: Path, cwd: Path, options: list[str], env: dict):
        self.port = free_port()
        self.log = Path(tempfile.mkstemp(prefix="bench-vs-gunicorn-", suffix=".log")[1])
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), *options, "-w", "2", "-b", f"127.0.0.1:{self.port}",
                 "--no-control-socket", "--log-level", "info"],
                cwd=cwd, env=env, stdout=log, stderr=log,
            )  # fmt: skip
        deadline = time.monotonic() + 180
        while self.log.read_text().count("Booting worker") < 2:
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit("gunicorn did not start:\n" + self.log.read_text()[-3000:])
            time.sleep(0.2)
        time.sleep(1.0)

    def get(self, path: str) -> tuple[float, str]:
        """Wall-clock ms of one GET, and the page cache's header (ours)."""
        started = time.perf_counter()
        # As behind the TLS proxy of a deployment: no redirect to https on either side.
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=180) as response:  # noqa: S310 — loopback
            response.read()
            state = response.headers.get("X-Page-Cache", "-")
        return (time.perf_counter() - started) * 1000, state

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: workers slow to finish
            self.process.kill()
            self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bakerydemo", required=True, type=Path, help="a bakerydemo checkout")
    parser.add_argument("--venv", default=Path(tempfile.gettempdir()) / "bakery-venv", type=Path)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--rounds", default=5, type=int)
    parser.add_argument("--requests", default=5, type=int, help="warm requests per round")
    args = parser.parse_args()
    checkout = args.bakerydemo.resolve()
    commit = checkout_commit(checkout)
    python = ensure_venv(args.venv, checkout)
    tmp = Path(tempfile.mkdtemp(prefix="bench-vs-"))
    (tmp / "bench_ours.py").write_text(OUR_SETTINGS)
    (tmp / "bench_bakery.py").write_text(BAKERY_SETTINGS)
    redis, redis_port = start_redis()
    our_env = production_env(tmp, recreate_database(args.database, "bench_vs_ours"), redis_port)
    bakery_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.production",
        "DATABASE_URL": recreate_database(args.database, "bench_vs_bakery"),
        "DJANGO_SECRET_KEY": "bench-" + "q1W2e3R4t5" * 6,
        "PYTHONPATH": f"{tmp}:{checkout}",
    }
    servers: list[Server] = []
    try:
        print("loading both sites' demo content (a few minutes)…", flush=True)
        ours_worker = Worker(
            ROOT / ".venv" / "bin" / "python", ROOT, "bench_ours",
            "migrate,load_demo_content,collectstatic", our_env,
        )  # fmt: skip
        bakery_worker = Worker(
            python, checkout, "bench_bakery", "migrate,load_initial_data,collectstatic",
            bakery_env,
        )  # fmt: skip
        ours = Server(
            ROOT / ".venv" / "bin" / "gunicorn", ROOT,
            ["-c", "site/renouveau/gunicorn_conf.py", "--pythonpath", "site", "renouveau.wsgi"],
            our_env,
        )  # fmt: skip
        servers.append(ours)
        bakery = Server(args.venv / "bin" / "gunicorn", checkout, ["bakerydemo.wsgi"], bakery_env)
        servers.append(bakery)
        elsewhere = bakery_worker.ask("url", BAKERY_ELSEWHERE)["url"]
        pairs = [
            (label, url, bakery_worker.ask("url", model)["url"], our_elsewhere)
            for label, url, model, our_elsewhere in PAIRS
        ]
        ratios = {(label, state): [] for label, *_ in pairs for state in STATES}
        cache_states = {(label, state): [] for label, *_ in pairs for state in STATES}
        for round_number in range(args.rounds):
            for label, our_url, their_url, our_elsewhere in pairs:
                sides = [
                    ("ours", ours, ours_worker, our_url, our_elsewhere),
                    ("ref", bakery, bakery_worker, their_url, elsewhere),
                ]
                if round_number % 2:
                    sides.reverse()  # neither side always first
                times = {}
                for side, server, worker, url, other in sides:
                    server.get(url)  # stored (ours) and warm on at least one worker
                    warm = [server.get(url) for _ in range(args.requests)]
                    worker.ask("publish", other)
                    after_elsewhere = server.get(url)
                    worker.ask("publish", url)
                    after_own = server.get(url)
                    measured = {
                        "warm": (statistics.median(t for t, _ in warm), warm[-1][1]),
                        "after publish elsewhere": after_elsewhere,
                        "after publish of the page": after_own,
                    }
                    times[side] = measured
                for state in STATES:
                    ratios[(label, state)].append(times["ours"][state][0] / times["ref"][state][0])
                    cache_states[(label, state)].append(times["ours"][state][1])
            print(f"round {round_number + 1}/{args.rounds} done", flush=True)
        ours_worker.close()
        bakery_worker.close()
    finally:
        for server in servers:
            server.stop()
        redis.terminate()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nbakerydemo {commit} (Django {bakery_worker.info['django']}); "
          f"ours Django {ours_worker.info['django']}; gunicorn 2 workers each, production "
          f"settings, PostgreSQL, HTTP on 127.0.0.1; {args.rounds} interleaved rounds")  # fmt: skip
    print("ratio = our wall-clock time / bakerydemo's, same round; our X-Page-Cache in brackets")
    print(f"{'pair (ours / bakerydemo)':34} {'state':26} {'median':>6} {'target':>6}  per round")
    failures = []
    for label, *_ in pairs:
        for state in STATES:
            values = ratios[(label, state)]
            median = statistics.median(values)
            rounds = " ".join(
                f"{r:.2f}[{c}]" for r, c in zip(values, cache_states[(label, state)], strict=True)
            )
            print(f"{label:34} {state:26} {median:>6.2f} {TARGETS[state]:>6.2f}  {rounds}")
            if median > TARGETS[state]:
                failures.append(f"{label}, {state}: {median:.2f} (target {TARGETS[state]})")
    load = os.getloadavg()
    print(f"\nload average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs")
    if failures:
        print("targets missed:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("targets met")


if __name__ == "__main__":
    main()
