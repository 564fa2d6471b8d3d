"""This site's pages against Wagtail's reference demo (bakerydemo), in one run, same machine, same
PostgreSQL: queries and uncached median time of each pair of comparable pages, and their ratio
(per round too: on a shared machine only ratios measured side by side mean something). Not a
test: it prints a table.

    .venv/bin/python bench/vs_bakerydemo.py --bakerydemo /tmp/bakerydemo \\
        [--venv /tmp/bakery-venv] [--database postgres://postgres@127.0.0.1:5432] [--rounds 7]

bakerydemo runs from the checkout given (its commit is printed) in its own virtualenv, created
with its requirements/base.txt from the package registry when missing (Python >= 3.12). Each site
gets a fresh database (`bench_vs_ours`, `bench_vs_bakery`), is loaded with its demo content and
served in its own process by Django's test client: DEBUG off, this site's page cache off (its
shared fragments on, as in production with Redis), persistent database connections on both
sides (bakerydemo sets conn_max_age itself).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "bench" / "page_worker.py"
CITY = "/cites/cite-noumea/"
NEWS = "/actualites/4e-comite-de-pilotage-20-juin-2019/"
CASE_STUDY = "/retours-d-experience/jardin-citoyen-cite-5-12-sallaumines/"
# (label, our URL, bakerydemo's page model whose first live page is the counterpart)
PAIRS = [
    ("home", "/", "base.HomePage"),
    ("cités index / blog index", "/cites/", "blog.BlogIndexPage"),
    ("news index / breads index", "/actualites/", "breads.BreadsIndexPage"),
    ("webinars index / blog index", "/webinaires/", "blog.BlogIndexPage"),
    ("case studies index / breads index", "/retours-d-experience/", "breads.BreadsIndexPage"),
    ("cité profile / bread page", CITY, "breads.BreadPage"),
    ("news item / blog page", NEWS, "blog.BlogPage"),
    ("case study / bread page", CASE_STUDY, "breads.BreadPage"),
]
DETAIL_MAX_QUERIES, INDEX_MAX_QUERIES, TARGET_RATIO = 15, 20, 0.8

OUR_SETTINGS = """
from renouveau.settings.test import *  # noqa
PAGE_CACHE_SECONDS = 0
FRAGMENT_CACHE_SECONDS = 86400
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
MEDIA_ROOT = {media!r}
"""
BAKERY_SETTINGS = """
from bakerydemo.settings.base import *  # noqa
DEBUG = False
ALLOWED_HOSTS = ["*"]
STORAGES["staticfiles"] = {  # no collectstatic (and its manifest) here; ours neither
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = {media!r}
"""


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
    interpreter = next(
        (p for p in ("python3.13", "python3.12") if subprocess.run(["which", p]).returncode == 0),
        None,
    )
    if interpreter is None:
        sys.exit("bakerydemo needs Python >= 3.12 (Django 6) to build its virtualenv")
    subprocess.run([interpreter, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", str(checkout / "requirements/base.txt"),
         "psycopg[binary]"],
        check=True,
    )  # fmt: skip
    return python


class Site:
    """A page_worker.py process serving one site."""

    def __init__(self, python: Path, cwd: Path, settings_text: str, setup: str, env: dict):
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-vs-"))
        (self.tmp / "bench_settings.py").write_text(
            settings_text.replace("{media!r}", repr(str(self.tmp / "media")))
        )
        self.process = subprocess.Popen(
            [str(python), str(WORKER), "bench_settings", setup],
            cwd=cwd,
            env={**os.environ, **env, "PYTHONPATH": f"{self.tmp}:{env.get('PYTHONPATH', '')}"},
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bakerydemo", required=True, type=Path, help="a bakerydemo checkout")
    parser.add_argument("--venv", default=Path(tempfile.gettempdir()) / "bakery-venv", type=Path)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--rounds", default=7, type=int)
    parser.add_argument("--requests", default=5, type=int, help="requests per page and round")
    args = parser.parse_args()
    checkout = args.bakerydemo.resolve()
    commit = checkout_commit(checkout)
    python = ensure_venv(args.venv, checkout)

    print("loading both sites' demo content (a few minutes)…", flush=True)
    ours = Site(
        ROOT / ".venv" / "bin" / "python",
        ROOT,
        OUR_SETTINGS,
        "migrate,load_demo_content",
        {
            "DATABASE_URL": recreate_database(args.database, "bench_vs_ours"),
            "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
        },
    )
    bakery = Site(
        python,
        checkout,
        BAKERY_SETTINGS,
        "migrate,load_initial_data",
        {"DATABASE_URL": recreate_database(args.database, "bench_vs_bakery")},
    )
    pairs = [(label, url, bakery.ask("url", model)["url"]) for label, url, model in PAIRS]

    samples: dict[str, dict[str, list[float]]] = {
        label: {"ours": [], "ref": []} for label, *_ in PAIRS
    }
    queries: dict[str, tuple[int, int]] = {}
    per_round: dict[str, list[float]] = {label: [] for label, *_ in PAIRS}
    for round_number in range(args.rounds):
        for label, our_url, their_url in pairs:
            order = [("ours", ours, our_url), ("ref", bakery, their_url)]
            if round_number % 2:
                order.reverse()  # neither side always runs first
            medians = {}
            for side, site, url in order:
                answer = site.ask("measure", url, args.requests)
                samples[label][side] += answer["ms"]
                medians[side] = statistics.median(answer["ms"])
                if side == "ours":
                    queries[label] = (answer["queries"], queries.get(label, (0, 0))[1])
                else:
                    queries[label] = (queries.get(label, (0, 0))[0], answer["queries"])
            per_round[label].append(medians["ours"] / medians["ref"])
        print(f"round {round_number + 1}/{args.rounds} done", flush=True)
    ours.close()
    bakery.close()

    print(f"\nbakerydemo {commit} (Django {bakery.info['django']})")
    print(f"ours: Django {ours.info['django']}")
    header = f"{'queries':>9} {'ms ours':>8} {'ms ref':>7} {'ratio':>6}  per-round ratios"
    print(f"{'pair (ours / bakerydemo)':36} {header}")
    failures = []
    for label, _our_url, _their_url in pairs:
        q_ours, q_ref = queries[label]
        ms_ours = statistics.median(samples[label]["ours"])
        ms_ref = statistics.median(samples[label]["ref"])
        ratio = ms_ours / ms_ref
        rounds = " ".join(f"{r:.2f}" for r in per_round[label])
        times = f"{ms_ours:>8.1f} {ms_ref:>7.1f} {ratio:>6.2f}"
        print(f"{label:36} {q_ours:>4}/{q_ref:<4} {times}  {rounds}")
        limit = INDEX_MAX_QUERIES if "index" in label or label == "home" else DETAIL_MAX_QUERIES
        if ratio > TARGET_RATIO:
            failures.append(f"{label}: {ratio:.2f}x bakerydemo's time (target {TARGET_RATIO})")
        if q_ours > limit:
            failures.append(f"{label}: {q_ours} queries (at most {limit})")
    print(
        f"\n{args.rounds} rounds x {args.requests} requests per page; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; bakerydemo pages: "
        + ", ".join(sorted({url for _, _, url in pairs}))
    )
    print("targets met" if not failures else "targets missed:\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    main()
