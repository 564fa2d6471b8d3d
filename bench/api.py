"""Open data API benchmark: not a test, it prints figures.

    .venv/bin/python bench/api.py                    # 50 then 500 cités
    BENCH_SIZES=50,500 BENCH_REQUESTS=60 .venv/bin/python bench/api.py

For each size, N published cités each with a works operation (3 phases, 12 monthly deliveries)
are built in a throw-away SQLite database (or DATABASE_URL: give PostgreSQL a database of its
own), then one gunicorn process (1 sync worker, test settings: page and fragment caches off, so
every request computes its answer — the worst case) serves it on 127.0.0.1, and BENCH_REQUESTS
sequential GET requests over HTTP (urllib) fetch each URL: the first page (50 items) of the cités
and of the operations, and the figures. Printed per URL: median and p95 of the wall time seen by
the client (time.perf_counter), and the load average (os.getloadavg) beside them. The API's
rate limit is raised for the run (OPENDATA_API_RATE_PER_IP).
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
TMP = Path(tempfile.mkdtemp(prefix="renouveau-bench-api-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", str(TMP / "media"))
os.environ["OPENDATA_API_RATE_PER_IP"] = "1000000/m"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from observatory import add_cities  # noqa: E402  (the same cités as the observatory's bench)

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "50,500").split(",")]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
URLS = ["/api/v1/cites", "/api/v1/operations", "/api/v1/chiffres"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "renouveau.wsgi:application",
         "--pythonpath", f"{ROOT / 'site'},{ROOT}", "-b", f"127.0.0.1:{port}",
         "-w", "1", "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy(),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def timings(base: str, url: str) -> list[float]:
    with urllib.request.urlopen(base + url, timeout=60) as response:  # noqa: S310 - warm-up
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
        response.read()
    found = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        with urllib.request.urlopen(base + url, timeout=60) as response:  # noqa: S310
            response.read()
        found.append(time.perf_counter() - start)
    return found


def main() -> None:
    from renouveau.demo import ensure_home_page
    from tests.factories import CitiesIndexPageFactory

    call_command("migrate", verbosity=0)
    index = CitiesIndexPageFactory(parent=ensure_home_page())
    print(
        f"database: {connection.vendor}; gunicorn, 1 sync worker, page and fragment caches off; "
        f"{REQUESTS} sequential requests over HTTP per URL"
    )
    built = 0
    for size in SIZES:
        add_cities(index, built, size)
        built = size
        connection.close()  # the server reads what was written
        port = free_port()
        server = start_server(port)
        try:
            for url in URLS:
                found = timings(f"http://127.0.0.1:{port}", url)
                median = statistics.median(found) * 1000
                p95 = statistics.quantiles(found, n=20)[-1] * 1000
                load = os.getloadavg()[0]
                print(
                    f"{size:>4} cités  {url:<22} median {median:7.1f} ms  p95 {p95:7.1f} ms"
                    f"  (load average {load:.2f})"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
