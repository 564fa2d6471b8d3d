"""Fault run of campaign sending: not a test, it prints figures (issue 13).

    .venv/bin/python bench/send_faults.py                    # 20,000 recipients, both backends
    FAULT_RECIPIENTS=5000 .venv/bin/python bench/send_faults.py db     # one backend, smaller

For each task backend (database queue, then Redis/RQ) it starts what it needs itself: a
PostgreSQL database of its own on 127.0.0.1:5432 (user postgres), moto_server, Redis at
127.0.0.1:6379 (db 12, RQ only), the scheduler (`manage.py run_scheduler`, whose watchdog heals)
and two workers (`db_worker`, or `rqworker`, which forks a work-horse per batch). Then, during a
campaign to N confirmed subscribers, at random moments it either SIGKILLs a worker (for RQ the
parent and its work-horse) or terminates every database connection of the application
(`pg_terminate_backend`). Killed workers are started again a second later, as systemd or
Kubernetes would (Restart=always); a worker that exits by itself is counted, and restarted too.

At the end it reads what moto_server received and prints, per backend: duplicates (a recipient
who got the issue twice), silent losses (a recipient SES does not have whose delivery does not
say so: sent, pending…), uncertain deliveries (at most per kill, and how many of them had in
fact gone out), whether the campaign finished without manual help, the throughput ratio to a
bare boto3 send_email loop measured in the same run, and the workers' peak memory (RSS), ending
with one line:

    fault run (rq): duplicates 0, silent losses 0, uncertain 3 (at most 2 per kill), \
finished without help: yes

`--faults` (issue 25) runs instead one campaign per named fault, SES behind a fault proxy
(tests/mailing/ses_proxy.py), two workers and the scheduler, and prints one line per fault:

    .venv/bin/python bench/send_faults.py --faults db      # FAULT_RECIPIENTS=2000 is enough
    fault ses-unreachable: duplicates 0, silent losses 0, failed by a passing fault 0, \
finished without help: yes

ses-unreachable (the proxy stops listening for 20 s: connections refused), ses-connect-timeouts (60
s of a port that never accepts: connect timeouts, and the one queued request uncertain),
account-pause (SendingPausedException for 30 s), 5xx-after-accept (3 % of mails answered 500 after
SES took them: uncertain, never resent), unsubscribe-during-sending (5 % of the list unsubscribes
while it goes out: a mail after the unsubscribe counts as a duplicate), redis-restart (RQ only:
Redis killed and started again, its queue lost), two-schedulers (the evening cité alert run by two
processes at once; its mails are counted).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from email.utils import parseaddr
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECIPIENTS = int(os.environ.get("FAULT_RECIPIENTS", "20000"))
TIMEOUT = float(os.environ.get("FAULT_TIMEOUT", "1200"))
PG = os.environ.get("FAULT_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("FAULT_REDIS_URL", "redis://127.0.0.1:6379/12")
# Seconds between two faults (uniform); a worker is killed only once it has been up for
# WORKER_BOOT seconds (Django's start-up takes seconds, many more on a busy machine).
FAULT_EVERY = tuple(float(x) for x in os.environ.get("FAULT_EVERY", "10,25").split(","))
WORKER_BOOT = float(os.environ.get("FAULT_WORKER_BOOT", "15"))
SETTINGS = """
from renouveau.settings.test import *  # noqa: F403

MAILING_WATCHDOG_SECONDS = 5
"""


def child_env(backend: str, database: str, tmp: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {
        **os.environ,
        **extra,
        "DJANGO_SETTINGS_MODULE": "fault_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT / "site"), str(ROOT)]),
        "DATABASE_URL": f"{PG}/{database}",
        "MEDIA_ROOT": str(tmp / "media"),
        "MAILING_MAX_SEND_RATE": "0",
        "MAILING_STALL_SECONDS": "20",
        "MAILING_CLAIM_LEASE_SECONDS": "120",
        "MAILING_DB_RETRY_SECONDS": "120",
        "TASKS_BACKEND": "rq" if backend == "rq" else "database",
    }
    if backend == "rq":
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    return env


def main() -> None:
    backends = sys.argv[1:] or ["db", "rq"]
    lines = []
    for backend in backends:
        print(f"\n=== {backend} backend, {RECIPIENTS} recipients ===", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--one", backend],
            cwd=ROOT,
            check=False,
            text=True,
            stdout=subprocess.PIPE,
        )
        print(child.stdout, end="", flush=True)
        lines += [line for line in child.stdout.splitlines() if line.startswith("fault run")]
    print("\n" + "\n".join(lines))


# --- One backend, in its own process (settings depend on TASKS_BACKEND) ---


def memory_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Supervised:
    """One worker process, started again when it stops (Restart=always)."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.process: subprocess.Popen | None = None
        self.killed_by_us = False
        self.own_exits = 0
        self.peak_kb = 0
        self.start()

    def start(self) -> None:
        self.killed_by_us = False
        self.started_at = time.monotonic()
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), *self.args],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def watch(self) -> None:
        assert self.process
        if self.process.poll() is None:
            pids = [self.process.pid, *children_of(self.process.pid)]
            self.peak_kb = max(self.peak_kb, *(memory_kb(pid) for pid in pids))
            return
        if not self.killed_by_us:
            self.own_exits += 1
            print(f"  worker exited by itself with status {self.process.returncode}", flush=True)
        time.sleep(1.0)
        self.start()

    def kill(self) -> int:
        """SIGKILL the worker and whatever it forked (RQ's work-horse). Returns pids killed."""
        assert self.process
        pids = [self.process.pid, *children_of(self.process.pid)]
        self.killed_by_us = True
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()
        return len(pids)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            for pid in [self.process.pid, *children_of(self.process.pid)]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.wait()


def one(backend: str) -> None:
    import psycopg

    tmp = Path(tempfile.mkdtemp(prefix="renouveau-faults-"))
    (tmp / "fault_settings.py").write_text(SETTINGS)
    database = f"renouveau_faults_{backend}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')

    sys.path[:0] = [str(tmp), str(ROOT / "site"), str(ROOT)]
    from tests.moto import REGION, MotoServer

    server = MotoServer()
    env = child_env(backend, database, tmp, server.environ())
    os.environ.update(env)
    import django

    django.setup()
    import boto3
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from mailing.delivery import Segment, create_campaign, start_campaign
    from mailing.models import Campaign, Delivery

    sys.path.insert(0, str(ROOT / "bench"))
    from send import populate, sample_message, setup_issue

    workers: list[Supervised] = []
    scheduler = None
    try:
        if backend == "rq":
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
        call_command("migrate", verbosity=0)
        issue = setup_issue()
        sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]

        # The bare loop: one real personalised message of this issue, sent as fast as boto3 can.
        _, raw = sample_message(issue)
        server.reset()
        server.verify_sender(sender)
        client = boto3.client("sesv2", endpoint_url=server.url, region_name=REGION)
        bare_count = int(os.environ.get("FAULT_BARE", "1500"))
        started = time.perf_counter()
        for i in range(bare_count):
            client.send_email(
                FromEmailAddress=sender,
                Destination={"ToAddresses": [f"nu{i}@example.org"]},
                Content={"Raw": {"Data": raw}},
            )
        bare = bare_count / (time.perf_counter() - started)
        server.reset()
        server.verify_sender(sender)
        Campaign.objects.all().delete()

        populate(RECIPIENTS)
        campaign = create_campaign(issue, Segment())
        print(f"  bare boto3 loop: {bare:.0f} msg/s; campaign of {campaign.recipient_count}")

        log = tmp / "processes.log"
        scheduler = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "run_scheduler"],
            env=env,
            cwd=ROOT,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
        )
        if backend == "rq":
            args = ["rqworker", "--job-class", "django_tasks_rq.Job", "default", "mail"]
        else:
            args = ["db_worker", "--queue-name", "mail", "--no-startup-delay", "--interval", "0.2"]
        workers = [Supervised(args, env, log) for _ in range(2)]
        time.sleep(3)
        start_campaign(campaign)
        connection.close()

        kills = drops = 0
        began = time.monotonic()
        next_fault = began + random.uniform(*FAULT_EVERY)  # noqa: S311
        finished = False
        while time.monotonic() - began < TIMEOUT:
            for worker in workers:
                worker.watch()
            status = Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True)[0]
            if status == Campaign.Status.DONE:
                finished = True
                break
            if status != Campaign.Status.SENDING:
                print(
                    f"  campaign is {status}: {Campaign.objects.get(pk=campaign.pk).pause_reason}"
                )
                break
            # A kill lands on a worker that is up (started a while ago), not one still booting.
            up = [w for w in workers if time.monotonic() - w.started_at > WORKER_BOOT]
            if time.monotonic() >= next_fault:
                if random.random() < 0.6 and up:  # noqa: S311
                    worker = random.choice(up)  # noqa: S311
                    killed = worker.kill()
                    kills += 1
                    print(f"  t={time.monotonic() - began:5.1f}s kill ({killed} process(es))")
                else:
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                        )
                        dropped = cursor.fetchone()[0]
                    drops += 1
                    print(f"  t={time.monotonic() - began:5.1f}s dropped {dropped} connection(s)")
                next_fault = time.monotonic() + random.uniform(*FAULT_EVERY)  # noqa: S311
            connection.close()
            time.sleep(0.25)
        elapsed = time.monotonic() - began
        for worker in workers:
            worker.stop()

        # What SES received.
        received = Counter()
        url = f"{server.url}/moto-api/data.json"  # large (45 kB a message): a long timeout
        with urllib.request.urlopen(url, timeout=1800) as response:  # noqa: S310
            captured = json.load(response).get("ses", {}).get("RawMessage", [])
        for item in captured:
            # moto lists the Destination addresses and the To header's: one message, once.
            for address in {a.lower() for a in item.get("destinations") or []}:
                received[address] += 1
        rows = list(
            Delivery.objects.filter(campaign=campaign).values_list(
                "subscriber__email", "status", "claimed_by", "sent_at"
            )
        )
        duplicates = sum(n - 1 for n in received.values() if n > 1)
        silent = 0
        uncertain_out = uncertain_not = 0
        per_claimant = Counter()
        for email, status, claimed_by, _ in rows:
            got = received.get(email, 0)
            if status == "uncertain":
                per_claimant[claimed_by] += 1
                if got:
                    uncertain_out += 1
                else:
                    uncertain_not += 1
            elif status not in ("failed", "skipped") and not got:
                silent += 1  # recorded sent, or still pending, yet SES does not have it
        statuses = Counter(status for _, status, _, _ in rows)
        uncertain = statuses.get("uncertain", 0)
        per_kill = max(per_claimant.values(), default=0)
        sent_times = sorted(t for _, s, _, t in rows if s == "sent" and t)
        span = (sent_times[-1] - sent_times[0]).total_seconds() if len(sent_times) > 1 else 0
        rate = (len(sent_times) - 1) / span if span else 0.0
        own_exits = sum(worker.own_exits for worker in workers)
        peak = max(worker.peak_kb for worker in workers) / 1024
        print(
            f"  {kills} kills, {drops} connection drops, {elapsed:.0f} s; statuses {dict(statuses)}"
        )
        print(f"  workers that exited by themselves: {own_exits}")
        print(
            f"  uncertain: {uncertain} ({uncertain_out} had gone out, {uncertain_not} had not), "
            f"per killed process at most {per_kill}"
        )
        events = list(campaign.events.values_list("kind", "message"))
        print(f"  campaign events: {len(events)} ({Counter(kind for kind, _ in events)})")
        print(
            f"  throughput {rate:.0f} msg/s (first→last send, faults included), bare loop "
            f"{bare:.0f} msg/s: ratio {rate / bare if bare else 0:.2f}"
        )
        print(f"  worker peak RSS {peak:.0f} MB")
        print(
            f"fault run ({backend}): duplicates {duplicates}, silent losses {silent}, "
            f"uncertain {uncertain} (at most {per_kill} per kill), "
            f"finished without help: {'yes' if finished and not own_exits else 'no'}",
            flush=True,
        )
    finally:
        for worker in workers:
            worker.stop()
        if scheduler is not None:
            scheduler.kill()
            scheduler.wait()
        server.stop()
        connection.close()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


# --- Named faults (issue 25) ---

FAULT_SETTINGS = SETTINGS + "MAILING_ACCOUNT_RETRY_SECONDS = 20\n"
PAUSED = (400, "SendingPausedException", "Sending is paused for this account.")


class Proxy:
    """The fault proxy, which can also stop listening (connections refused) and come back on
    the same port."""

    def __init__(self, upstream: str) -> None:
        from tests.mailing.ses_proxy import FlakySES

        self.flaky = FlakySES(upstream)
        self.url = self.flaky.url

    def down_for(self, seconds: float) -> None:
        import threading

        from tests.mailing.ses_proxy import _Server

        port = self.flaky.httpd.server_address[1]
        handler = self.flaky.httpd.RequestHandlerClass
        self.flaky.httpd.shutdown()
        self.flaky.httpd.server_close()

        def back() -> None:
            time.sleep(seconds)
            self.flaky.httpd = _Server(("127.0.0.1", port), handler)
            self.flaky.httpd.owner = self.flaky
            self.flaky.httpd.serve_forever()

        threading.Thread(target=back, daemon=True).start()

    def black_hole_for(self, seconds: float) -> None:
        """SES's address stops answering (a network fault, not a refusal): the port keeps
        listening with a backlog of one and never accepts, so new connections time out in the
        handshake (botocore's ConnectTimeoutError) and the one the kernel queued waits for
        its answer until the read timeout (uncertain: it may have been read)."""
        import socket
        import threading

        from tests.mailing.ses_proxy import _Server

        port = self.flaky.httpd.server_address[1]
        handler = self.flaky.httpd.RequestHandlerClass
        self.flaky.httpd.shutdown()
        self.flaky.httpd.server_close()
        hole = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        hole.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        hole.bind(("127.0.0.1", port))
        hole.listen(0)

        def back() -> None:
            time.sleep(seconds)
            hole.close()
            self.flaky.httpd = _Server(("127.0.0.1", port), handler)
            self.flaky.httpd.owner = self.flaky
            self.flaky.httpd.serve_forever()

        threading.Thread(target=back, daemon=True).start()


def faults(backend: str) -> None:
    """One campaign per fault; one line each (see the module's docstring)."""
    import psycopg

    global REDIS_URL
    if "FAULT_REDIS_URL" not in os.environ:  # a Redis of its own, which it kills and restarts
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            REDIS_URL = f"redis://127.0.0.1:{sock.getsockname()[1]}/12"

    tmp = Path(tempfile.mkdtemp(prefix="renouveau-faults-"))
    (tmp / "fault_settings.py").write_text(FAULT_SETTINGS)
    database = f"renouveau_named_faults_{backend}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
    sys.path[:0] = [str(tmp), str(ROOT / "site"), str(ROOT)]
    from tests.moto import MotoServer

    server = MotoServer()
    proxy = Proxy(server.url)
    env = child_env(backend, database, tmp, {**server.environ(), "AWS_ENDPOINT_URL": proxy.url})
    os.environ.update(env)
    os.environ["AWS_ENDPOINT_URL"] = server.url  # this process talks to moto directly
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    sys.path.insert(0, str(ROOT / "bench"))
    from send import populate, setup_issue

    redis_process = None
    workers: list[Supervised] = []
    scheduler = None
    lines = []
    try:
        if backend == "rq":  # first: this process's cache is that Redis too
            redis_process = start_redis()
        call_command("migrate", verbosity=0)
        issue = setup_issue()
        server.reset()
        server.verify_sender(parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
        log = tmp / "processes.log"
        scheduler = Supervised(["run_scheduler"], env, log)
        if backend == "rq":
            args = ["rqworker", "--job-class", "django_tasks_rq.Job", "default", "mail"]
        else:
            args = ["db_worker", "--queue-name", "mail", "--no-startup-delay", "--interval", "0.2"]
        workers = [Supervised(args, env, log) for _ in range(2)]
        time.sleep(WORKER_BOOT)
        names = ["ses-unreachable", "ses-connect-timeouts", "account-pause", "5xx-after-accept"]
        names += ["unsubscribe-during-sending", "two-schedulers"]
        if backend == "rq":
            names.append("redis-restart")
        for name in names:
            populate(RECIPIENTS)
            server.reset()
            server.verify_sender(parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
            if name == "two-schedulers":
                line = two_schedulers(env, server)
            else:
                line = one_fault(name, issue, proxy, server, workers, redis_process)
                if name == "redis-restart":
                    redis_process = line[1]
                line = line[0]
            print(line, flush=True)
            lines.append(line)
            connection.close()
    finally:
        for worker in workers:
            worker.stop()
        if scheduler is not None:
            scheduler.stop()
        if redis_process is not None:
            redis_process.kill()
        server.stop()
        connection.close()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print("\n" + "\n".join(lines))


def start_redis() -> subprocess.Popen:
    """A redis-server on REDIS_URL's port, without persistence (a restart loses the queue).
    The port must be free (FAULT_REDIS_URL): a Redis already there would survive the restart."""
    port = REDIS_URL.rsplit(":", 1)[1].split("/")[0]
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", int(port)), 1):
        sys.exit(f"port {port} already has a server: set FAULT_REDIS_URL to a free port")
    process = subprocess.Popen(
        ["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1)
    return process


def received_counts(server) -> Counter:
    url = f"{server.url}/moto-api/data.json"
    with urllib.request.urlopen(url, timeout=1800) as response:  # noqa: S310
        captured = json.load(response).get("ses", {}).get("RawMessage", [])
    received = Counter()
    for item in captured:
        for address in {a.lower() for a in item.get("destinations") or []}:
            received[address] += 1
    return received


def one_fault(name, issue, proxy, server, workers, redis_process):
    from django.db import connection
    from django.utils import timezone

    from mailing.delivery import Segment, create_campaign, start_campaign
    from mailing.models import Campaign, Delivery, Subscriber

    campaign = create_campaign(issue, Segment())
    start_campaign(campaign)
    connection.close()
    began = time.monotonic()
    fault_at = began + 5
    done_fault = False
    unsubscribed: dict[str, object] = {}
    finished = False
    exits_before = sum(w.own_exits for w in workers)
    while time.monotonic() - began < TIMEOUT:
        for worker in workers:
            worker.watch()
        status = Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True)[0]
        if status == Campaign.Status.DONE:
            finished = True
            break
        if not done_fault and time.monotonic() >= fault_at:
            done_fault = True
            sent = Delivery.objects.filter(campaign=campaign, status="sent").count()
            print(f"  {name}: fault at t=5 s, {sent} of {RECIPIENTS} sent by then", flush=True)
            if name == "ses-unreachable":
                proxy.down_for(20)
            elif name == "ses-connect-timeouts":
                proxy.black_hole_for(60)
            elif name == "account-pause":
                proxy.flaky.failures = [PAUSED] * 100_000
                threading_timer(30, lambda: proxy.flaky.failures.clear())
            elif name == "5xx-after-accept":
                rng = random.Random(25)
                proxy.flaky.failures_after = [
                    (500, "InternalFailure", "Internal error.") if rng.random() < 0.03 else None
                    for _ in range(RECIPIENTS)
                ]
            elif name == "unsubscribe-during-sending":
                pending = list(
                    Delivery.objects.filter(campaign=campaign, status="pending")
                    .values_list("subscriber_id", "subscriber__email")
                    .order_by("?")[: RECIPIENTS // 20]
                )
                for subscriber_id, email in pending:  # one by one, as people click
                    Subscriber.objects.filter(pk=subscriber_id).update(
                        status="unsubscribed", unsubscribed_at=timezone.now()
                    )
                    unsubscribed[email] = timezone.now()
            elif name == "redis-restart":
                redis_process.kill()
                redis_process.wait()
                time.sleep(5)
                redis_process = start_redis()
        connection.close()
        time.sleep(0.25)
    proxy.flaky.failures.clear()
    proxy.flaky.failures_after.clear()
    received = received_counts(server)
    rows = list(
        Delivery.objects.filter(campaign=campaign).values_list(
            "subscriber__email", "status", "sent_at"
        )
    )
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    # A mail sent after its recipient's unsubscribe is one too many.
    duplicates += sum(
        1
        for email, status, sent_at in rows
        if email in unsubscribed and status == "sent" and sent_at and sent_at > unsubscribed[email]
    )
    silent = sum(
        1
        for email, status, _ in rows
        if status not in ("failed", "skipped", "uncertain") and not received.get(email)
    )
    failed = sum(1 for _, status, _ in rows if status == "failed")
    own_exits = sum(w.own_exits for w in workers) - exits_before
    helped = "yes" if finished and not own_exits else "no"
    line = (
        f"fault {name}: duplicates {duplicates}, silent losses {silent}, failed by a passing "
        f"fault {failed}, finished without help: {helped}"
    )
    return line, redis_process


def threading_timer(seconds: float, action) -> None:
    import threading

    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()


TWO_SCHEDULERS = """
import threading
from mailing.delivery.cite_alerts import send_cite_alerts
print(send_cite_alerts())
"""


def two_schedulers(env, server) -> str:
    """The evening cité alert started by two processes at the same moment (two schedulers
    during a deploy), its campaigns then sent by the workers."""
    from django.db import connection

    from cites_pages.models import CityPage
    from mailing.models import Campaign, CiteUpdate, Delivery, Subscriber

    if not CityPage.objects.live().exists():
        from cites_pages import demo
        from renouveau.demo import ensure_home_page

        demo.load(ensure_home_page())
    cites = list(CityPage.objects.live()[:3])
    followers = list(Subscriber.objects.order_by("pk")[: min(RECIPIENTS, 600)])
    for i, subscriber in enumerate(followers):
        subscriber.cites.add(cites[i % len(cites)])
    CiteUpdate.objects.all().delete()
    for cite in cites:
        CiteUpdate.objects.create(
            cite=cite,
            source=f"page:{cite.pk}",
            kind="Actualité",
            title=f"Nouveauté de {cite.title}",
            url=cite.get_full_url() or "https://example.org/",
            published_at=timezone_now(),
        )
    connection.close()
    jobs = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", TWO_SCHEDULERS],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    for job in jobs:
        job.wait(timeout=600)
    began = time.monotonic()
    alerts = Campaign.objects.filter(kind=Campaign.Kind.CITE_ALERT)
    finished = False
    while time.monotonic() - began < TIMEOUT:
        if alerts.exists() and not alerts.exclude(status=Campaign.Status.DONE).exists():
            finished = True
            break
        connection.close()
        time.sleep(0.5)
    received = received_counts(server)
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    expected = {s.email for s in followers}
    silent = len(expected - set(received))
    failed = Delivery.objects.filter(campaign__in=alerts, status="failed").count()
    return (
        f"fault two-schedulers: duplicates {duplicates}, silent losses {silent}, failed by a "
        f"passing fault {failed}, finished without help: {'yes' if finished else 'no'}"
    )


def timezone_now():
    from django.utils import timezone

    return timezone.now()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one(sys.argv[2])
    elif sys.argv[1:2] == ["--faults"]:
        for name in sys.argv[2:] or ["db", "rq"]:
            subprocess.run([sys.executable, __file__, "--faults-one", name], cwd=ROOT, check=False)
    elif sys.argv[1:2] == ["--faults-one"]:
        faults(sys.argv[2])
    else:
        main()
