"""Screenshots of the public face at 375 and 1280 px (issue 30): the home, the cités index, a
cité profile, a news item, search results for a misspelt query, the letter's page and the
observatory, into docs/screenshots/public-<page>-<width>-<label>.png. Not a test.

    .venv/bin/python bench/screenshots.py                      # this checkout: « apres »
    git worktree add /tmp/wt30-before 27c92a2                  # before the public-face work
    ln -s "$PWD/.venv" /tmp/wt30-before/.venv
    .venv/bin/python bench/screenshots.py --checkout /tmp/wt30-before --label avant

Each checkout runs its own `manage.py prepare_dev_site` (migrations and demo content, on a
SQLite database and media folder of its own under /tmp) and `runserver`, which this script
stops at the end. Playwright drives Debian's chromium. Pages longer than MAX_HEIGHT are cut
there (the repository keeps the pictures).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WIDTHS = (375, 1280)
MAX_HEIGHT = 2800


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own server)
        return response.read().decode()


def serve(checkout: Path, label: str, port: int) -> subprocess.Popen:
    """The checkout's site with its demo content, on a database and media of its own."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renouveau.settings.dev",
        "DATABASE_URL": f"sqlite:////tmp/screenshots-{label}.sqlite3",
        "MEDIA_ROOT": f"/tmp/screenshots-{label}-media",  # noqa: S108 (throw-away demo media)
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    python = str(checkout / ".venv" / "bin" / "python")
    subprocess.run(  # noqa: S603 (fixed arguments)
        [python, "manage.py", "prepare_dev_site"], cwd=checkout, env=env, check=True
    )
    process = subprocess.Popen(  # noqa: S603
        [python, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            get(f"http://127.0.0.1:{port}/")
            return process
        except OSError:
            time.sleep(1)
    stop(process)
    sys.exit(f"{checkout}: the site did not answer")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def pages(base: str) -> dict[str, str]:
    locs = re.findall(r"<loc>([^<]+)</loc>", get(f"{base}/sitemap.xml"))
    paths = sorted({re.sub(r"^https?://[^/]+", "", loc) for loc in locs})

    def first(pattern: str) -> str:
        return next(path for path in paths if re.fullmatch(pattern, path))

    return {
        "accueil": "/",
        "cites": "/cites/",
        "fiche-cite": first(r"/cites/[^/]+/"),
        "actualite": first(r"/actualites/[^/]+/"),
        "recherche-logemnts": "/recherche/?q=logemnts",
        "lettre": first(r"/lettre/[^/]+/"),
        "observatoire": "/observatoire/",
    }


def shoot(base: str, label: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    made = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.route("https://data.geopf.fr/**", lambda route: route.abort())  # no network
            for name, path in pages(base).items():
                page.goto(base + path, wait_until="load")
                height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                target = OUT / f"public-{name}-{width}-{label}.png"
                page.screenshot(
                    path=str(target),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": height},
                )
                made.append(target)
            page.close()
        browser.close()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--label", default="apres")
    parser.add_argument("--port", type=int, default=8150)
    args = parser.parse_args()
    process = serve(args.checkout.resolve(), args.label, args.port)
    try:
        made = shoot(f"http://127.0.0.1:{args.port}", args.label)
    finally:
        stop(process)
    for path in made:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
