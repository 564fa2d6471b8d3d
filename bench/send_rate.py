"""Aggregate SES send rate of four workers: not a test, it prints figures (issue 27).

    .venv/bin/python bench/send_rate.py        # 600 recipients, MAILING_MAX_SEND_RATE=20

A real campaign of issue N°2 to N confirmed subscribers, sent by four `db_worker` processes
(MAILING_MAX_SEND_RATE=20, batches of 20) against a local moto_server, on a PostgreSQL database
of its own (127.0.0.1:5432, user postgres; several workers claim with SKIP LOCKED). Twice: first
each worker spacing its own sends (no Redis: what production did before the shared bucket), then
with a Redis of its own shared by the workers (mailing/rate_limit.py). The workers reach moto
through a pass-through HTTP hop (tests/mailing/ses_proxy.py) that stamps each SendEmail request
as it arrives, i.e. what SES would count: the aggregate rate is (requests - 1) / (last - first),
with the most requests in any one second. Target with Redis: within 5 % of the limit, never
above. The per-worker run shows the figure the shared bucket prevents (about 4 × the limit when
the machine lets four workers keep up).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "renouveau_bench_send_rate"
PG = "postgres://postgres@127.0.0.1:5432"
os.environ["DATABASE_URL"] = f"{PG}/{DATABASE}"
sys.path.insert(0, str(ROOT / "bench"))
subprocess.run(
    ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DATABASE], check=True
)
subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)

from django.core.management import call_command  # noqa: E402
from send import fresh_outbox, populate, setup_issue  # noqa: E402 (sets Django up)

from tests.mailing.ses_proxy import FlakySES, _Handler  # noqa: E402
from tests.moto import MotoServer, apply_environ  # noqa: E402
from tests.redis_server import RedisServer, redis_executable  # noqa: E402

RECIPIENTS = int(os.environ.get("BENCH_RECIPIENTS", "600"))
ARRIVALS: list[float] = []


class StampingHandler(_Handler):
    """The proxy's pass-through, stamping each SendEmail request when it arrives."""

    def do_POST(self) -> None:
        if "/outbound-emails" in self.path:
            ARRIVALS.append(time.monotonic())
        super().do_POST()


LIMIT = 20
WORKERS = 4


def send_with_workers(issue, server: MotoServer, proxy_url: str, redis_url: str) -> dict:
    from mailing.delivery import Segment, create_campaign, start_campaign
    from mailing.models import Delivery

    populate(RECIPIENTS)
    fresh_outbox(server)
    campaign = create_campaign(issue, Segment())
    env = {
        **os.environ,
        "MAILING_MAX_SEND_RATE": str(LIMIT),
        "MAILING_BATCH_SIZE": "20",
        "REDIS_URL": redis_url,
        "AWS_ENDPOINT_URL_SESV2": proxy_url,
    }
    ARRIVALS.clear()
    workers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "db_worker", "--queue-name", "mail"]
            + ["--no-startup-delay", "--interval", "0.2"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(WORKERS)
    ]
    try:
        time.sleep(5)  # the workers' start-up, so that all four share the campaign
        start_campaign(campaign)
        deadline = time.monotonic() + RECIPIENTS / LIMIT * 3 + 60
        while time.monotonic() < deadline:
            campaign.refresh_from_db()
            if campaign.status != "sending":
                break
            time.sleep(1)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a batch still sleeping for its slots
                worker.kill()
                worker.wait()
    sent = Delivery.objects.filter(campaign=campaign, status="sent").count()
    seconds = sorted(ARRIVALS)
    span = seconds[-1] - seconds[0] if len(seconds) > 1 else 0
    peak, start = 0, 0
    for end, second in enumerate(seconds):  # the most requests within any one second
        while second - seconds[start] >= 1.0:
            start += 1
        peak = max(peak, end - start + 1)
    return {
        "status": campaign.status,
        "sent": sent,
        "requests": len(seconds),
        "rate": (len(seconds) - 1) / span if span else 0.0,
        "peak": peak,
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    server = MotoServer()
    apply_environ(server)
    redis = RedisServer(redis_executable())
    proxy = FlakySES(server.url)
    proxy.httpd.RequestHandlerClass = StampingHandler
    try:
        issue = setup_issue()
        print(f"{WORKERS} workers, MAILING_MAX_SEND_RATE={LIMIT}, {RECIPIENTS} recipients")
        for label, url in (("per-worker limiter", ""), ("shared Redis bucket", redis.url(5))):
            result = send_with_workers(issue, server, proxy.url, url)
            gap = (result["rate"] - LIMIT) / LIMIT * 100
            print(
                f"  {label}: {result['sent']} sent (campaign {result['status']}), "
                f"{result['requests']} SendEmail requests, aggregate "
                f"{result['rate']:.2f} msg/s ({gap:+.1f} % of the limit), at most "
                f"{result['peak']} in one second"
            )
    finally:
        proxy.stop()
        redis.stop()
        server.stop()


if __name__ == "__main__":
    main()
