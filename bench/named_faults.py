"""The named faults of bench/send_faults.py --faults (issue 25): one campaign per fault, SES
behind the fault proxy, two workers and the scheduler; one line per fault (the faults are listed
in send_faults.py's docstring)."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from email.utils import parseaddr

from fault_harness import (
    RECIPIENTS,
    REDIS_URL,
    ROOT,
    SETTINGS,
    TIMEOUT,
    WORKER_BOOT,
    Proxy,
    Supervised,
    child_env,
    drop_database,
    fresh_run,
    received_counts,
    start_redis,
    threading_timer,
)

FAULT_SETTINGS = SETTINGS + "MAILING_ACCOUNT_RETRY_SECONDS = 20\n"
PAUSED = (400, "SendingPausedException", "Sending is paused for this account.")


def faults(backend: str) -> None:
    """One campaign per fault; one line each (see the module's docstring)."""
    redis_url = REDIS_URL
    if "FAULT_REDIS_URL" not in os.environ:  # a Redis of its own, which it kills and restarts
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            redis_url = f"redis://127.0.0.1:{sock.getsockname()[1]}/12"

    database = f"renouveau_named_faults_{backend}"
    tmp = fresh_run(FAULT_SETTINGS, database)
    from tests.moto import MotoServer

    server = MotoServer()
    proxy = Proxy(server.url)
    extra = {**server.environ(), "AWS_ENDPOINT_URL": proxy.url}
    env = child_env(backend, database, tmp, extra, redis_url)
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
            redis_process = start_redis(redis_url)
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
        if os.environ.get("FAULT_NAMES"):  # some of them only: FAULT_NAMES=ses-unreachable,…
            names = [name for name in names if name in os.environ["FAULT_NAMES"].split(",")]
        for name in names:
            populate(RECIPIENTS)
            server.reset()
            server.verify_sender(parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
            if name == "two-schedulers":
                line = two_schedulers(env, server)
            else:
                line = one_fault(name, issue, proxy, server, workers, redis_process, redis_url)
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
        drop_database(database)
    print("\n" + "\n".join(lines))


def one_fault(name, issue, proxy, server, workers, redis_process, redis_url):
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
                redis_process = start_redis(redis_url)
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
