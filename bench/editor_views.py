"""What an editor waits for in the Wagtail admin: the edit views of each page type, the page
explorer and the dashboard, warm, over HTTP (issue 32: ≤ 150 ms). Not a test: it prints a table.

    .venv/bin/python bench/editor_views.py [--database postgres://postgres@127.0.0.1:5432/db]
        [--media /work/main/media] [--rounds 5]

gunicorn with the Procfile's options (2 workers, preload), production settings, a Redis of its
own, PostgreSQL. Without --database, a fresh database gets the demo content (a few minutes);
with it, the database given must hold the demo content already. An editor (a superuser made
for the run) logs in; each view is requested once to warm its worker, then `--rounds` times per
worker, interleaved; the figure is the median wall-clock over HTTP on loopback, with the load
average beside it, and the mean CPU time the gunicorn workers spent per request of the view
(user + system, read from /proc around each request: less sensitive to the machine's load than
the wall-clock, which waits for the CPU the other processes take).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vs_bakerydemo import (  # noqa: E402
    OUR_SETTINGS,
    ROOT,
    Server,
    production_env,
    recreate_database,
    start_redis,
)

TARGET_MS = 150
PASSWORD = "bench-" + "Edit0r-Pass" * 3
FIND_PAGES = """
import json, os
from django.contrib.auth import get_user_model
from wagtail.models import Page
User = get_user_model()
PASSWORD = os.environ["BENCH_EDITOR_PASSWORD"]
user = User.objects.filter(username="bench-editor").first() or User(username="bench-editor")
user.is_superuser = user.is_staff = True
user.email = "bench-editor@example.org"
user.set_password(PASSWORD)
user.save()
wanted = ["newsletter.NewsletterIssuePage", "cites_pages.CityPage", "cites_pages.NewsPage",
          "cites_pages.CaseStudyPage", "cites_pages.WebinarPage", "renouveau.HomePage"]
found = {}
for page in Page.objects.live().specific().order_by("path"):
    label = page._meta.label
    if label in wanted and label not in found:
        found[label] = page.pk
index = Page.objects.filter(slug="cites").values_list("pk", flat=True).first()
print("PAGES" + json.dumps({"pages": found, "cites_index": index}))
"""


class Editor:
    """A logged-in browser without a browser: the session and CSRF cookies kept by hand
    (production sets them Secure; the loopback is http behind an "https" forwarded header)."""

    def __init__(self, server: Server):
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: dict | None = None) -> tuple[float, int, str]:
        import time

        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Referer"] = f"https://127.0.0.1{path}"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.server.port}{path}", data=body, headers=headers
        )
        opener = urllib.request.build_opener(NoRedirect)
        started = time.perf_counter()
        try:
            response = opener.open(request, timeout=120)
        except urllib.error.HTTPError as error:  # the login's redirect, or a real error
            response = error
        text = response.read().decode("utf-8", "replace")
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return elapsed, response.status, text

    def log_in(self) -> None:
        _, _, page = self.request("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        _, status, _ = self.request(
            "/admin/login/",
            {"csrfmiddlewaretoken": token, "username": "bench-editor", "password": PASSWORD},
        )
        if status != 302:
            sys.exit(f"login failed ({status})")


def workers_cpu_ms(master_pid: int) -> float:
    """CPU time (user + system) spent so far by the children of gunicorn's master, in ms."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", help="a PostgreSQL database holding the demo content")
    parser.add_argument("--media", type=Path, help="its media folder (default: a fresh one)")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--rounds", default=5, type=int)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-editor-"))
    (tmp / "bench_ours.py").write_text(OUR_SETTINGS)
    redis, redis_port = start_redis()
    database = args.database or recreate_database(args.server, "bench_editor_views")
    env = production_env(tmp, database, redis_port, BENCH_EDITOR_PASSWORD=PASSWORD)
    if args.media:
        env["MEDIA_ROOT"] = str(args.media)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "release"], cwd=ROOT, env=env, check=True)
    if not args.database:
        subprocess.run([*manage, "load_demo_content"], cwd=ROOT, env=env, check=True)
    found = subprocess.run(
        [*manage, "shell", "-c", FIND_PAGES], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    ids = json.loads(found.split("PAGES", 1)[1])
    views = [("tableau de bord", "/admin/")]
    if ids["cites_index"]:
        views.append(("explorateur (cités)", f"/admin/pages/{ids['cites_index']}/"))
    views += [
        (f"édition {label}", f"/admin/pages/{pk}/edit/") for label, pk in ids["pages"].items()
    ]
    server = Server(
        ROOT / ".venv" / "bin" / "gunicorn", ROOT,
        ["-c", "site/renouveau/gunicorn_conf.py", "--pythonpath", "site", "renouveau.wsgi"], env,
    )  # fmt: skip
    try:
        editor = Editor(server)
        editor.log_in()
        timings: dict[str, list[float]] = {label: [] for label, _ in views}
        cpu: dict[str, float] = dict.fromkeys(timings, 0.0)
        for _ in range(2):  # each of the two workers renders each view once
            for _, path in views:
                editor.request(path)
        for _ in range(args.rounds * 2):
            for label, path in views:
                before = workers_cpu_ms(server.process.pid)
                elapsed, status, _ = editor.request(path)
                if status != 200:
                    sys.exit(f"{path} answered {status}")
                timings[label].append(elapsed)
                cpu[label] += workers_cpu_ms(server.process.pid) - before
        load = os.getloadavg()
        print(
            "Editors' views, warm, over HTTP (gunicorn 2 workers, production settings), median "
            f"of {args.rounds * 2}, load {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}"
        )
        missed = 0
        for label, values in timings.items():
            median = statistics.median(values)
            missed += median > TARGET_MS
            print(
                f"  {label:45} {median:7.0f} ms  (min {min(values):.0f}, max {max(values):.0f})"
                f"  CPU {cpu[label] / len(values):4.0f} ms/request"
            )
        print(f"target ≤ {TARGET_MS} ms: {'met' if not missed else f'missed by {missed} views'}")
    finally:
        server.stop()
        redis.terminate()


if __name__ == "__main__":
    main()
