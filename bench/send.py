"""Campaign sending benchmark: not a test, it prints figures.

    .venv/bin/python bench/send.py            # 10,000 recipients, then 50,000 for memory
    BENCH_RECIPIENTS=2000 BENCH_BIG=0 .venv/bin/python bench/send.py   # quick run

With N confirmed subscribers and issue N°2 (demo content), against a local moto_server:
- campaign creation time (render once + checks + freeze + N Delivery rows);
- end-to-end throughput of a real `db_worker` process (rate limit off) from the first to the
  last recorded send, and wall time including the worker's start-up;
- the throughput of a bare boto3 `send_email` (Raw) loop to the same endpoint, same run, and the
  ratio (target ≥ 0.9);
- the worker's peak memory (VmHWM) for N and for BENCH_BIG recipients (target ≤ 250 MB, flat).

Uses a throw-away SQLite database (or DATABASE_URL) and the test settings.
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import parseaddr
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
TMP = Path(tempfile.mkdtemp(prefix="renouveau-bench-send-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renouveau.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", str(TMP / "media"))

import django  # noqa: E402

django.setup()

import boto3  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.moto import REGION, MotoServer, apply_environ  # noqa: E402

RECIPIENTS = int(os.environ.get("BENCH_RECIPIENTS", "10000"))
BIG = int(os.environ.get("BENCH_BIG", "50000"))
BARE = int(os.environ.get("BENCH_BARE", str(min(RECIPIENTS, 3000))))


def setup_issue():
    from newsletter import demo as newsletter_demo
    from newsletter.models import NewsletterIssuePage
    from renouveau import demo as site_demo
    from renouveau.demo import ensure_home_page

    home = ensure_home_page()
    site_demo.load(home)
    newsletter_demo.load(home)
    return NewsletterIssuePage.objects.get(number=2)


def sample_message(issue):
    """One real personalised message of this issue, for the bare loop: (its campaign, the raw
    MIME bytes). Leaves one confirmed subscriber and that campaign in the database."""
    from mailing.delivery import Segment, create_campaign, personalise
    from renouveau.mime import build_mail

    populate(1)
    sample = create_campaign(issue, Segment())
    html, text, headers = personalise(sample, sample.deliveries.get().subscriber_id)
    raw = build_mail(
        to=["x@example.org"], subject=sample.subject, text=text, html=html, headers=headers
    )
    return sample, raw


def populate(count: int) -> None:
    from mailing.models import Delivery, Subscriber

    Delivery.objects.all().delete()
    Subscriber.objects.all().delete()
    now = timezone.now()
    batch = []
    for i in range(count):
        batch.append(
            Subscriber(
                email=f"lecteur{i:06d}@example.org",
                status=Subscriber.Status.CONFIRMED,
                profile="habitant",
                consent_at=now,
                confirmed_at=now,
                consent_source="bench",
                consent_text_version="bench",
            )
        )
        if len(batch) == 5000:
            Subscriber.objects.bulk_create(batch)
            batch = []
    Subscriber.objects.bulk_create(batch)


def memory_of(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in kB from /proc."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS", "VmHWM")):
                key, value = line.split(":")
                values[key] = int(value.split()[0])
    except OSError:
        pass
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def run_worker(campaign_id: int) -> dict:
    from mailing.models import Campaign, Delivery

    env = {**os.environ, "MAILING_MAX_SEND_RATE": "0"}
    started = time.perf_counter()
    worker = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "db_worker",
            "--batch",
            "--queue-name",
            "mail",
            "--no-startup-delay",
            "--interval",
            "0",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    samples: list[tuple[float, int]] = []
    peak = 0

    def watch():
        nonlocal peak
        while worker.poll() is None:
            rss, hwm = memory_of(worker.pid)
            peak = max(peak, hwm)
            if rss:
                samples.append((time.perf_counter() - started, rss))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, stderr = worker.communicate()
    watcher.join()
    wall = time.perf_counter() - started
    if worker.returncode:
        print(stderr[-3000:])
    campaign = Campaign.objects.get(pk=campaign_id)
    sent = Delivery.objects.filter(campaign=campaign, status="sent")
    first = sent.order_by("sent_at").values_list("sent_at", flat=True).first()
    last = sent.order_by("-sent_at").values_list("sent_at", flat=True).first()
    span = (last - first).total_seconds() if first and last else 0
    count = sent.count()
    rss_values = [rss for _, rss in samples]
    quarter = rss_values[len(rss_values) // 4] if rss_values else 0
    return {
        "status": campaign.status,
        "sent": count,
        "wall": wall,
        "rate": (count - 1) / span if span else 0.0,
        "peak_mb": peak / 1024,
        "rss_quarter_mb": quarter / 1024,
        "rss_end_mb": (rss_values[-1] / 1024) if rss_values else 0,
    }


def bare_boto3_loop(server: MotoServer, raw: bytes, count: int) -> float:
    client = boto3.client("sesv2", endpoint_url=server.url, region_name=REGION)
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    client.send_email(  # warm-up (connection)
        FromEmailAddress=sender,
        Destination={"ToAddresses": ["warm@example.org"]},
        Content={"Raw": {"Data": raw}},
    )
    started = time.perf_counter()
    for i in range(count):
        client.send_email(
            FromEmailAddress=sender,
            Destination={"ToAddresses": [f"nu{i}@example.org"]},
            Content={"Raw": {"Data": raw}},
        )
    return count / (time.perf_counter() - started)


def fresh_outbox(server: MotoServer) -> None:
    server.reset()
    server.verify_sender(parseaddr(settings.DEFAULT_FROM_EMAIL)[1])


def campaign_run(issue, server: MotoServer, count: int) -> tuple[float, dict, int]:
    from mailing.delivery import Segment, create_campaign, start_campaign

    populate(count)
    fresh_outbox(server)
    started = time.perf_counter()
    campaign = create_campaign(issue, Segment())
    creation = time.perf_counter() - started
    start_campaign(campaign)
    return creation, run_worker(campaign.pk), len(campaign.html)


def main() -> None:
    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    call_command("migrate", verbosity=0)
    server = MotoServer()
    apply_environ(server)
    try:
        issue = setup_issue()
        sample, raw = sample_message(issue)
        size = f"frozen HTML {len(sample.html) / 1024:.1f} kB, raw MIME {len(raw) / 1024:.1f} kB"
        print(f"Issue N°2: {size}")

        fresh_outbox(server)
        before = bare_boto3_loop(server, raw, BARE)
        creation, result, _ = campaign_run(issue, server, RECIPIENTS)
        fresh_outbox(server)
        after = bare_boto3_loop(server, raw, BARE)
        # The machine may be shared: the loop runs before and after the worker, and the ratio
        # is taken against the faster of the two (the conservative figure).
        bare = max(before, after)
        print(
            f"Bare boto3 send_email (Raw) loop, {BARE} messages: {before:.0f} msg/s before, "
            f"{after:.0f} msg/s after the worker run"
        )
        print(f"\n{RECIPIENTS} recipients")
        print(f"  campaign creation (render once, checks, freeze, deliveries): {creation:.2f} s")
        print(
            f"  worker: {result['sent']} sent, campaign {result['status']}, "
            f"{result['rate']:.0f} msg/s (first→last send), wall {result['wall']:.1f} s "
            "with start-up"
        )
        print(f"  ratio to the faster bare loop: {result['rate'] / bare:.2f} (target ≥ 0.9)")
        print(
            f"  worker memory: peak {result['peak_mb']:.0f} MB, RSS at 25 % "
            f"{result['rss_quarter_mb']:.0f} MB, at the end {result['rss_end_mb']:.0f} MB"
        )
        if BIG:
            creation_big, big, _ = campaign_run(issue, server, BIG)
            print(f"\n{BIG} recipients")
            print(f"  campaign creation: {creation_big:.2f} s")
            print(
                f"  worker: {big['sent']} sent, campaign {big['status']}, {big['rate']:.0f} msg/s"
            )
            print(
                f"  worker memory: peak {big['peak_mb']:.0f} MB (vs {result['peak_mb']:.0f} MB "
                f"for {RECIPIENTS}), RSS at 25 % {big['rss_quarter_mb']:.0f} MB, "
                f"at the end {big['rss_end_mb']:.0f} MB (target ≤ 250 MB, not growing)"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
