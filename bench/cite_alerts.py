"""Cité alerts benchmark: not a test, it prints figures.

    .venv/bin/python bench/cite_alerts.py                 # 5,000 then 50,000 subscribers
    BENCH_SIZES=50000 .venv/bin/python bench/cite_alerts.py

200 cités; N confirmed subscribers each following 1 to 3 cités at random (so about 1 % of them
follow a given cité). For each N it measures, in this process, the CPU time (process_time:
Python, the ORM and the database driver; the database server's own time is in the wall time)
and the Python memory peak (tracemalloc) of:
- one publish: a news item naming one cité is published (`page_published` → the cité update),
  then the daily job `send_cite_alerts` builds the alert campaign and its deliveries;
- a busy day: 20 news items naming 3 cités each (60 cités), then the daily job (one digest per
  follower in one campaign, rendered once and spliced per set of cités followed);
- the sender's side of the splice: each distinct set's mail body cut and encoded once (what the
  workers do, spread over their batches), measured apart.
Targets: one publish under 10 s of CPU at 50,000 subscribers (issue 15), memory flat; the busy
day under 5 s of CPU and a bounded number of campaigns (issue 31; before: 25 s, 1,678; one
campaign: 8.1 s on SQLite, 5.9 s on PostgreSQL; deliveries inserted by the database: 1.2 s and
0.3 s — 7 December 2026, load 6-17 on 2 cores; PostgreSQL's own time is in the wall time).
To measure an older commit: `git worktree add /tmp/before <commit>` and run its own bench there.
`BENCH_PROFILE=1` also profiles the alert job (cProfile) and prints its top entries.

Uses a throw-away SQLite database, or DATABASE_URL (PostgreSQL: give a database of its own).
"""

import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
TMP = Path(tempfile.mkdtemp(prefix="renouveau-bench-alerts-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", str(TMP / "media"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "5000,50000").split(",")]
CITES = 200


def build_cites():
    from renouveau.demo import ensure_home_page
    from tests.factories import CitiesIndexPageFactory, CityPageFactory, NewsIndexPageFactory

    home = ensure_home_page()
    index = CitiesIndexPageFactory(parent=home)
    cites = [CityPageFactory(parent=index, title=f"Cité {i:03d}") for i in range(CITES)]
    return cites, NewsIndexPageFactory(parent=home)


def populate(count: int, cites) -> None:
    from mailing.models import CiteUpdate, Delivery, Subscriber

    Delivery.objects.all().delete()
    CiteUpdate.objects.all().delete()
    Subscriber.objects.all().delete()
    now = timezone.now()
    rng = random.Random(15)  # noqa: S311 (test data)
    through = Subscriber.cites.through
    for start in range(0, count, 5000):
        batch = Subscriber.objects.bulk_create(
            Subscriber(
                email=f"suiveur{i:06d}@example.org",
                status=Subscriber.Status.CONFIRMED,
                newsletter=False,
                consent_at=now,
                confirmed_at=now,
                consent_source="bench",
                consent_text_version="bench",
            )
            for i in range(start, min(start + 5000, count))
        )
        through.objects.bulk_create(
            through(subscriber_id=subscriber.pk, citypage_id=cite.pk)
            for subscriber in batch
            for cite in rng.sample(cites, rng.randint(1, 3))
        )


def measure(label: str, publish) -> None:
    from mailing.delivery.cite_alerts import send_cite_alerts
    from mailing.models import Delivery

    tracemalloc.start()
    cpu, wall = time.process_time(), time.perf_counter()
    publish()
    published_cpu = time.process_time() - cpu
    result = profiled(send_cite_alerts) if os.environ.get("BENCH_PROFILE") else send_cite_alerts()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    deliveries = Delivery.objects.count()
    print(
        f"  {label}: {result['updates']} updates, {result['campaigns']} campaigns, "
        f"{deliveries} mails queued — CPU {cpu:.2f} s (publishing {published_cpu:.2f} s, "
        f"the alert job {cpu - published_cpu:.2f} s), wall {wall:.2f} s, "
        f"Python memory peak {peak / 1e6:.1f} MB"
    )
    measure_splice()


def profiled(job):
    """Run `job` under cProfile and print where its time went (tracemalloc still on: the
    figures of the profiled run are inflated, its top entries are what matter)."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    result = profile.runcall(job)
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(12)
    stats.sort_stats("cumulative").print_stats(25)
    return result


def measure_splice() -> None:
    """The sender's side: one MIME skeleton per (campaign, set of sections), as the workers
    build them (transport.campaign_skeleton)."""
    from mailing.delivery.transport import campaign_skeleton
    from mailing.models import Campaign, Delivery

    pairs = list(Delivery.objects.order_by().values_list("campaign_id", "sections").distinct())
    campaigns = {c.pk: c for c in Campaign.objects.all()}
    cpu = time.process_time()
    for campaign_id, sections in pairs:
        campaign_skeleton(campaigns[campaign_id], sections)
    cpu = time.process_time() - cpu
    print(f"    sender side: {len(pairs)} distinct mails encoded once — CPU {cpu:.2f} s")


def main() -> None:
    from django.conf import settings

    from mailing.models import Campaign, Delivery
    from tests.factories import NewsPageFactory

    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    cites, news_index = build_cites()
    print(f"{CITES} cités built in {time.perf_counter() - started:.0f} s")
    rng = random.Random(2026)  # noqa: S311 (test data)
    for size in SIZES:
        populate(size, cites)
        print(f"\n{size} subscribers following 1–3 of {CITES} cités")

        def one_publish():
            NewsPageFactory(parent=news_index, related_cities=[rng.choice(cites)])

        measure("one publish (1 cité)", one_publish)
        Delivery.objects.all().delete()
        Campaign.objects.all().delete()

        def busy_day():
            for _ in range(20):
                NewsPageFactory(parent=news_index, related_cities=rng.sample(cites, 3))

        measure("a busy day (20 items × 3 cités)", busy_day)
        Delivery.objects.all().delete()
        Campaign.objects.all().delete()
    print(
        f"\nTargets: one publish under 10 s of CPU at 50,000 subscribers, memory flat; the busy "
        f"day under 5 s of CPU, campaigns bounded. Load average: {os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
