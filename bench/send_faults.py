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
    FAULT_NAMES=ses-unreachable,account-pause .venv/bin/python bench/send_faults.py --faults db
    fault ses-unreachable: duplicates 0, silent losses 0, failed by a passing fault 0, \
finished without help: yes

ses-unreachable (the proxy stops listening for 20 s: connections refused), ses-connect-timeouts (60
s of a port that never accepts: connect timeouts, and the one queued request uncertain),
account-pause (SendingPausedException for 30 s), 5xx-after-accept (3 % of mails answered 500 after
SES took them: uncertain, never resent), unsubscribe-during-sending (5 % of the list unsubscribes
while it goes out: a mail after the unsubscribe counts as a duplicate), redis-restart (RQ only:
Redis killed and started again, its queue lost), two-schedulers (the evening cité alert run by two
processes at once; its mails are counted).

The processes, the fault proxy and the reading of what SES received are in bench/fault_harness.py,
the named faults in bench/named_faults.py.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter
from email.utils import parseaddr

import named_faults
from fault_harness import (
    RECIPIENTS,
    REDIS_URL,
    ROOT,
    SETTINGS,
    TIMEOUT,
    WORKER_BOOT,
    Supervised,
    child_env,
    drop_database,
    fresh_run,
    received_counts,
)

# Seconds between two faults (uniform).
FAULT_EVERY = tuple(float(x) for x in os.environ.get("FAULT_EVERY", "10,25").split(","))


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


def one(backend: str) -> None:
    database = f"renouveau_faults_{backend}"
    tmp = fresh_run(SETTINGS, database)
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
        received = received_counts(server)
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
        drop_database(database)


if __name__ == "__main__":
    if sys.argv[1:2] in (["--help"], ["-h"]):
        print(__doc__)
    elif sys.argv[1:2] == ["--one"]:
        one(sys.argv[2])
    elif sys.argv[1:2] == ["--faults"]:
        for name in sys.argv[2:] or ["db", "rq"]:
            subprocess.run([sys.executable, __file__, "--faults-one", name], cwd=ROOT, check=False)
    elif sys.argv[1:2] == ["--faults-one"]:
        named_faults.faults(sys.argv[2])
    else:
        main()
