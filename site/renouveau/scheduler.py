"""What runs on a schedule, and the one scheduler process that runs it (`manage.py run_scheduler`).

Each app lists its periodic jobs in an optional `schedule.py` module exposing `JOBS`, a list of
`Job`; this ground-floor package discovers them, as it discovers `public_urls`, without importing
the apps above it. The scheduler is APScheduler's BlockingScheduler (one process per deployment):
cron and interval triggers with time zones, coalescing of missed runs and one running instance
per job, which a hand-written loop would have to re-implement. Jobs run in the scheduler process
itself: they are short database jobs (publishing, purges, a watchdog) that hand any long work to
the task workers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import module_has_submodule

logger = logging.getLogger(__name__)


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
        try:
            result = self.func()
        except Exception:
            logger.exception("Scheduled job %s failed", self.name)
        else:
            if result:
                logger.info("Scheduled job %s: %s", self.name, result)
        finally:
            close_old_connections()


def interval(setting: str, default: int) -> int:
    """An interval in seconds that settings can shorten (the production tests do)."""
    return int(getattr(settings, setting, default))


def discover_jobs() -> list[Job]:
    jobs: list[Job] = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "schedule"):
            module = __import__(f"{app_config.name}.schedule", fromlist=["JOBS"])
            jobs.extend(module.JOBS)
    return jobs


def build_scheduler(jobs: list[Job] | None = None):
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
    for job in discover_jobs() if jobs is None else jobs:
        if job.every_seconds:
            trigger = IntervalTrigger(seconds=job.every_seconds, timezone=settings.TIME_ZONE)
        elif job.daily_at:
            hour, minute = job.daily_at.split(":")
            trigger = CronTrigger(hour=int(hour), minute=int(minute), timezone=settings.TIME_ZONE)
        else:
            raise ValueError(f"Job {job.name} has no schedule")
        scheduler.add_job(
            job.run,
            trigger,
            id=job.name,
            name=job.name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(job.every_seconds or 3600, 30),
        )
    return scheduler
