"""CSV import benchmark: not a test, it prints figures.

    .venv/bin/python bench/csv_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_db .venv/bin/python bench/csv_import.py

A partner's file of 10,000 rows (BENCH_ROWS) with 3 % bad rows — in equal parts a bad address,
a missing consent source, a future date, an unknown commune and a duplicate in the file — and
1,000 of its addresses already subscribed, against 50 communes, 5,000 other subscribers and
1,000 suppressed addresses. It measures the wall time, this process's CPU time (Python, the ORM
and the driver: what a loaded machine stretches least) and the number of queries of:
- the preview (`hold_import`: the file checked, held server-side, nothing created) and the
  confirmation (`confirm_import`) through the domain functions;
- the same file imported again (idempotent: nothing created);
- another file of the same size through the admin view with Django's test client (upload →
  preview page, then « Confirmer l'import »).
Target (issue 31): the preview and import of 10,000 rows under 30 s in total.

Uses a throw-away SQLite database, or DATABASE_URL (PostgreSQL: give a database of its own).
"""

import os
import random
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
TMP = Path(tempfile.mkdtemp(prefix="renouveau-bench-import-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", str(TMP / "media"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
HEADER = "email;source_consentement;date_consentement;listes;prenom;profil;communes\n"
BAD_KINDS = ["bad address", "missing source", "future date", "unknown commune", "duplicate"]


def partner_file(prefix: str, communes: list[str], rng: random.Random) -> str:
    """ROWS rows, 3 % of them bad (one kind of fault each, in turn)."""
    future = (date.today() + timedelta(days=30)).strftime("%d/%m/%Y")
    bad_every = round(100 / 3)  # 3 %
    lines = []
    for i in range(ROWS):
        email = f"{prefix}{i}@example.org"
        source = f"Liste partenaire {i % 8}, réunion publique"
        day = (date(2025, 1, 1) + timedelta(days=i % 300)).strftime("%d/%m/%Y")
        lists = rng.choice(["lettre", "webinaires", '"lettre; webinaires"'])
        commune = rng.choice(communes)
        if i % bad_every == 7:
            kind = BAD_KINDS[(i // bad_every) % len(BAD_KINDS)]
            if kind == "bad address":
                email = f"{prefix}{i}.example.org"
            elif kind == "missing source":
                source = ""
            elif kind == "future date":
                day = future
            elif kind == "unknown commune":
                commune = "Atlantis"
            else:
                email = f"{prefix}{i - 1}@example.org"
        lines.append(f"{email};{source};{day};{lists};Prénom {i};habitant;{commune}\n")
    return HEADER + "".join(lines)


def measure(label: str, func):
    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        result = func()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<40} {seconds:6.2f} s ({cpu:5.2f} s CPU)  {len(queries):4d} queries")
    return result, seconds


def main() -> None:
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from cites_pages.models import Commune
    from mailing.addresses import address_hash
    from mailing.audience.pending_imports import confirm_import, hold_import
    from mailing.models import Subscriber, SubscriberImport, SuppressedAddress

    rng = random.Random(31)
    names = [f"Commune {i:02d}" for i in range(50)]
    Commune.objects.bulk_create(
        Commune(name=name, slug=f"commune-{i}", insee_code=f"62{i:03d}", department="62")
        for i, name in enumerate(names)
    )
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"autre{i}@example.org", status="confirmed") for i in range(5000)]
        + [
            Subscriber(email=f"part{i}@example.org", status="confirmed")
            for i in range(0, 10000, 10)
        ]
    )
    SuppressedAddress.objects.bulk_create(
        SuppressedAddress(address_hash=address_hash(f"parti{i}@example.org"), reason="bench")
        for i in range(1000)
    )
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "pw")
    text = partner_file("part", names, rng)
    bad = sum(1 for i in range(ROWS) if i % round(100 / 3) == 7)
    print(f"{connection.vendor}, {ROWS} rows ({bad} bad), {len(text) / 1e6:.1f} MB")

    (key, preview), t1 = measure(
        "domain: preview (hold_import)",
        lambda: hold_import(text, user=user, file_name="bench.csv", consent_text_version="b"),
    )
    report, t2 = measure("domain: confirm (confirm_import)", lambda: confirm_import(key, user=user))
    print(
        f"  {report.created} created, {len(report.known)} already known, "
        f"{len(report.rejected)} rejected; preview said {len(preview.new)} new"
    )
    print(f"  domain total: {t1 + t2:.2f} s (target < 30 s)")
    (key, _), _ = measure(
        "domain: same file again, preview",
        lambda: hold_import(text, user=user, file_name="bench.csv", consent_text_version="b"),
    )
    again, _ = measure("domain: same file again, confirm", lambda: confirm_import(key, user=user))
    print(f"  {again.created} created, {len(again.known)} already known")

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client()
    client.force_login(user)
    url = "/admin/mailing/abonnes/import/"
    other = partner_file("vue", names, rng).encode()
    upload = SimpleUploadedFile("vue.csv", other, content_type="text/csv")
    page, t3 = measure(
        "admin view: upload → preview page",
        lambda: client.post(url, {"file": upload, "consent_text_version": "b"}),
    )
    assert page.status_code == 200, page.status_code
    key = re.search(r'name="key" value="([^"]+)"', page.content.decode()).group(1)
    done, t4 = measure("admin view: « Confirmer l'import »", lambda: client.post(url, {"key": key}))
    assert done.status_code == 200, done.status_code
    created = re.search(r"(\d+) abonné\(s\) créé\(s\)", done.content.decode()).group(1)
    print(f"  {created} created; admin total: {t3 + t4:.2f} s")
    print(f"  imports recorded: {SubscriberImport.objects.count()}")


if __name__ == "__main__":
    main()
