"""Newsletter benchmark: median time to render issue N°2 and a 40-block issue (HTML + text),
split into preparation, template and MJML; and, where Node is present, mjml-python against the
npm `mjml` package on the same MJML (installed outside the project:
`npm install --no-save mjml` in /tmp/mjml-cli, or MJML_CLI_DIR). Not a test: it prints figures.

    .venv/bin/python bench/newsletter_render.py

Uses a throw-away SQLite database (or DATABASE_URL if set) and the test settings.
Targets: N°2 ≤ 30 ms, 40 blocks ≤ 150 ms.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
TMP = Path(tempfile.mkdtemp(prefix="renouveau-bench-newsletter-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", str(TMP / "media"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from mjml import mjml2html  # noqa: E402

ROUNDS = 30
MJML_CLI_DIR = Path(os.environ.get("MJML_CLI_DIR", "/tmp/mjml-cli"))  # noqa: S108 (read only)


def median_ms(function, rounds: int = ROUNDS) -> float:
    function()  # warm-up (renditions, template cache)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def build_issues():
    from newsletter import demo as newsletter_demo
    from newsletter.models import NewsletterIssuePage
    from renouveau import demo as site_demo
    from renouveau.demo import ensure_home_page, placeholder_image

    home = ensure_home_page()
    site_demo.load(home)
    newsletter_demo.load(home)
    issue_2 = NewsletterIssuePage.objects.get(number=2)
    index = issue_2.get_parent()
    programme = site_demo.StandardPage.objects.get(slug="le-programme")
    programme.teaser_image = placeholder_image(
        "Bench teaser", description="Une cité minière rénovée.", credit="Crédit bench", tint=5
    )
    programme.save_revision().publish()

    body_2 = list(issue_2.body.raw_data)
    by_type = {block["type"]: block for block in body_2}
    extra = [
        {
            "type": "page_teaser",
            "value": {
                "page": programme.pk,
                "title": "",
                "text": "",
                "show_image": True,
                "link_label": "",
            },
        },
        {
            "type": "webinar",
            "value": {
                "page": None,
                "title": "L'accompagnement des habitants",
                "date": "2026-06-22T10:00:00",
                "text": "Le cahier technique.",
                "registration_label": "S'inscrire",
                "registration_url": "https://example.org/webinaire",
            },
        },
    ]
    cycle = [b for b in body_2 if b["type"] != "masthead"] + extra
    body_40 = [by_type["masthead"]] + [
        {k: v for k, v in cycle[i % len(cycle)].items() if k != "id"} for i in range(39)
    ]
    issue_40 = NewsletterIssuePage(
        title="Bench — 40 blocs",
        slug="bench-40",
        number=40,
        issue_date=date(2026, 6, 1),
        preheader="Quarante blocs",
        body=body_40,
    )
    index.add_child(instance=issue_40)
    issue_40.save_revision().publish()
    return issue_2, NewsletterIssuePage.objects.get(pk=issue_40.pk)


def node_figures(sources: dict[str, str]) -> dict[str, tuple[float, float]] | None:
    """Median ms of the npm mjml package on the same MJML: in-process and via its CLI."""
    node = shutil.which("node")
    package = MJML_CLI_DIR / "node_modules" / "mjml"
    if not node or not package.exists():
        return None
    figures = {}
    for name, source in sources.items():
        path = TMP / f"{name}.mjml"
        path.write_text(source, encoding="utf-8")
        script = (
            f"const mjml=require({str(package)!r});const fs=require('fs');"
            f"const src=fs.readFileSync({str(path)!r},'utf8');mjml(src);const t=[];"
            f"for(let i=0;i<{ROUNDS};i++){{const s=process.hrtime.bigint();mjml(src);"
            "t.push(Number(process.hrtime.bigint()-s)/1e6);}t.sort((a,b)=>a-b);"
            "console.log(t[Math.floor(t.length/2)]);"
        )
        in_process = float(
            subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout
        )
        cli = MJML_CLI_DIR / "node_modules" / ".bin" / "mjml"
        cli_timings = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([str(cli), str(path), "-s"], capture_output=True, check=True)
            cli_timings.append((time.perf_counter() - start) * 1000)
        figures[name] = (in_process, statistics.median(cli_timings))
    return figures


def main() -> None:
    from newsletter.rendering import (
        UNSUBSCRIBE_URL_PLACEHOLDER,
        prepare_issue,
        render_issue,
        render_mjml,
        render_text,
    )

    call_command("migrate", verbosity=0)
    issue_2, issue_40 = build_issues()
    print(f"database: {connection.vendor}; {ROUNDS} rounds, median")
    sources = {}
    for label, issue, target in (("N°2", issue_2, 30), ("40 blocs", issue_40, 150)):

        def render(issue=issue):
            # A fresh page object each time: the StreamField is decoded as in real use.
            fresh = type(issue).objects.get(pk=issue.pk)
            return render_issue(fresh, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)

        total = median_ms(render)
        with CaptureQueriesContext(connection) as queries:
            rendered = render()
        prepared = prepare_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
        prepare = median_ms(
            lambda issue=issue: prepare_issue(
                type(issue).objects.get(pk=issue.pk), unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER
            )
        )
        template = median_ms(lambda p=prepared: render_mjml(p))
        text = median_ms(lambda p=prepared: render_text(p))
        source = render_mjml(prepared)
        sources[label] = source
        mjml_ms = median_ms(lambda s=source: mjml2html(s, disable_comments=True))
        verdict = "OK" if total <= target else "OVER TARGET"
        print(
            f"{label:9} {len(issue.body):2} blocks: render_issue {total:6.2f} ms "
            f"(target ≤ {target} ms: {verdict}); {len(queries)} queries; "
            f"HTML {len(rendered.html.encode()) / 1024:.1f} KB, "
            f"text {len(rendered.text) / 1024:.1f} KB"
        )
        print(
            f"{'':9} prepare {prepare:.2f} ms · MJML template {template:.2f} ms · "
            f"mjml-python {mjml_ms:.2f} ms · text part {text:.2f} ms"
        )
    node = node_figures({k.replace("°", "").replace(" ", "-"): v for k, v in sources.items()})
    if node is None:
        print("npm mjml: not found (node missing or no npm `mjml` in MJML_CLI_DIR); no ratio")
        return
    for (name, (in_process, cli)), source in zip(node.items(), sources.values(), strict=True):
        python_ms = median_ms(lambda s=source: mjml2html(s, disable_comments=True))
        print(
            f"{name:9} same MJML: mjml-python {python_ms:.2f} ms · npm mjml in-process "
            f"{in_process:.2f} ms ({in_process / python_ms:.0f}× slower) · npm mjml CLI "
            f"{cli:.0f} ms per run ({cli / python_ms:.0f}× slower, node start-up included)"
        )


if __name__ == "__main__":
    timezone.activate("Europe/Paris")
    main()
