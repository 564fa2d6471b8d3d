"""What runs on a schedule, and the scheduler processes that run it (`manage.py run_scheduler`).

Each app lists its periodic jobs in an optional `schedule.py` module exposing `JOBS`, a list of
`Job`; this ground-floor package discovers them, as it discovers `public_urls`, without importing
the apps above it. Jobs run in APScheduler (cron and interval triggers with time zones,
coalescing, one running instance per job, which a hand-written loop would re-implement), in the
scheduler process itself: they are short database jobs that hand any long work to the workers.

Any number of scheduler processes may run (one per node): one is the leader and runs the jobs,
the others wait (`Leadership`). On PostgreSQL the leader holds a session advisory lock on a
connection of its own; when its process or node dies, PostgreSQL ends the session and a standby
takes the lock at its next poll (LEADER_POLL_SECONDS). On SQLite there is one process: it leads.
A new leader first runs, once, each daily job whose time passed while no scheduler ran
(`missed_jobs`, from the `JobRun` table that every run updates).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from .heartbeats import JobRun, beat, record_run

logger = logging.getLogger(__name__)

# The advisory lock's key: any constant the site's other locks do not use ("renouveau-scheduler").
LEADER_LOCK_KEY = 7_245_901_311


@dataclass(frozen=True)
class Job:
    """A periodic job: every `every_seconds`, or daily at `daily_at` ("HH:MM", Europe/Paris)."""

    name: str
    func: Callable[[], object]
    every_seconds: int | None = None
    daily_at: str | None = None

    def run(self) -> None:
        # A database restart between two runs leaves a dead connection behind: start each run
        # on a usable one, and never let one failed run stop the scheduler.
        close_old_connections()
        started_at = timezone.now()
        try:
            result = self.func()
        except Exception:
            logger.exception("Scheduled job %s failed", self.name)
        else:
            record_run(self.name, started_at)
            if result:
                logger.info("Scheduled job %s: %s", self.name, result)
        finally:
            close_old_connections()


def interval(setting: str, default: int) -> int:
    """An interval in seconds: the Django setting, else the environment variable of the same
    name (DEPLOY.md lists them), else the default. The production tests shorten some. Left for
    mailing's jobs; the others read their setting (settings/base.py reads the environment)."""
    return int(getattr(settings, setting, None) or os.environ.get(setting) or default)


def discover_jobs() -> list[Job]:
    jobs: list[Job] = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "schedule"):
            module = __import__(f"{app_config.name}.schedule", fromlist=["JOBS"])
            jobs.extend(module.JOBS)
    return jobs


def last_due(daily_at: str, now: datetime) -> datetime:
    """The latest time at or before `now` when a daily job at `daily_at` (Paris) was due."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    hour, minute = (int(part) for part in daily_at.split(":"))
    due = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if due > local:
        due = (local - timedelta(days=1)).replace(hour=hour, minute=minute)
    return due


def missed_jobs(jobs: list[Job], now: datetime | None = None) -> list[Job]:
    """Daily jobs whose time passed since their last run: to run once now. A job never run has
    missed nothing (a new deployment); it is recorded as run now, without running."""
    now = now or timezone.now()
    last_runs = dict(JobRun.objects.values_list("name", "last_run_at"))
    missed = []
    for job in jobs:
        if not job.daily_at:
            continue
        last = last_runs.get(job.name)
        if last is None:
            JobRun.objects.get_or_create(name=job.name, defaults={"last_run_at": now})
        elif last < last_due(job.daily_at, now):
            missed.append(job)
    return missed


def build_scheduler(jobs: list[Job] | None = None, *, blocking: bool = True, catch_up=()):
    """APScheduler with the jobs; those in `catch_up` run once at start, then on schedule."""
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(timezone=settings.TIME_ZONE)
    catch_up_names = {job.name for job in catch_up}
    for job in discover_jobs() if jobs is None else jobs:
        if job.every_seconds:
            trigger = IntervalTrigger(seconds=job.every_seconds, timezone=settings.TIME_ZONE)
        elif job.daily_at:
            hour, minute = job.daily_at.split(":")
            trigger = CronTrigger(hour=int(hour), minute=int(minute), timezone=settings.TIME_ZONE)
        else:
            raise ValueError(f"Job {job.name} has no schedule")
        extra = {"next_run_time": timezone.now()} if job.name in catch_up_names else {}
        scheduler.add_job(
            job.run,
            trigger,
            id=job.name,
            name=job.name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(job.every_seconds or 3600, 30),
            **extra,
        )
    return scheduler


# --- Leadership among scheduler processes ---


class Leadership:
    """The single process that leads: always this one (SQLite: one process by definition)."""

    def acquire(self) -> bool:
        return True

    def held(self) -> bool:
        return True

    def release(self) -> None:
        pass


class AdvisoryLockLeadership(Leadership):
    """A PostgreSQL session advisory lock on a connection used for nothing else (the jobs'
    connections are closed between runs, which would release a lock taken on them)."""

    def __init__(self, alias: str = DEFAULT_DB_ALIAS):
        self.alias = alias
        self.connection = None

    def _cursor(self):
        if self.connection is None:
            self.connection = connections.create_connection(self.alias)
            self.connection.ensure_connection()
            with self.connection.cursor() as cursor:
                # A node that vanishes without closing its socket: PostgreSQL drops the session,
                # and so the lock, after ~25 s of silence instead of the kernel's two hours.
                cursor.execute(
                    "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; "
                    "SET tcp_keepalives_count = 3"
                )
        return self.connection.cursor()

    def acquire(self) -> bool:
        try:
            with self._cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LEADER_LOCK_KEY])
                return bool(cursor.fetchone()[0])
        except Exception:
            logger.warning("Scheduler: database unreachable, not leading", exc_info=True)
            self.release()
            return False

    def held(self) -> bool:
        """The session is alive, so the lock it took is still ours."""
        try:
            with self._cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted AND objid = %s",
                    [LEADER_LOCK_KEY & 0xFFFFFFFF],
                )
                return bool(cursor.fetchone()[0])
        except Exception:
            logger.warning("Scheduler: lost the database session of the lock", exc_info=True)
            self.release()
            return False

    def release(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()  # ends the session, and so the lock
            except Exception:  # noqa: BLE001 (already gone)
                logger.debug("closing the lock's connection", exc_info=True)
            self.connection = None


def leadership() -> Leadership:
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return AdvisoryLockLeadership()
    return Leadership()


def poll_seconds() -> float:
    return settings.LEADER_POLL_SECONDS


def identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_forever(jobs: list[Job], log: Callable[[str], None], stop: threading.Event) -> None:
    """Wait to lead, then run the jobs while leading; give them up when the lock is lost."""
    lead = leadership()
    standby_said = False
    try:
        while not stop.is_set():
            if not lead.acquire():
                if not standby_said:
                    log(f"Scheduler {identity()} on standby: another scheduler leads.")
                    standby_said = True
                stop.wait(poll_seconds())
                continue
            standby_said = False
            try:
                catch_up = missed_jobs(jobs)
            except Exception:  # a database hiccup at take-over must not stop the leader
                logger.exception("Scheduler: missed runs not checked")
                catch_up = []
            scheduler = build_scheduler(jobs, blocking=False, catch_up=catch_up)
            scheduler.start()
            missed = ", ".join(job.name for job in catch_up) or "none"
            log(f"Scheduler {identity()} leads: {len(jobs)} job(s); missed runs now: {missed}.")
            try:
                while not stop.is_set() and lead.held():
                    beat_safely()
                    stop.wait(poll_seconds())
            finally:
                scheduler.shutdown(wait=False)
            if not stop.is_set():
                log(f"Scheduler {identity()} lost the lead; back on standby.")
    finally:
        lead.release()


def beat_safely() -> None:
    close_old_connections()
    try:
        beat("scheduler", identity())
    except Exception:  # noqa: BLE001 (a missed beat shows on /healthz, it must not stop jobs)
        logger.warning("Scheduler heartbeat not recorded", exc_info=True)
