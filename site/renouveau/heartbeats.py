"""What the long-running processes leave behind for `/healthz` and for the scheduler's catch-up:
the last run of each scheduled job, and the last sign of life of each kind of process."""

from __future__ import annotations

import os
import socket
from datetime import datetime

from django.db import models
from django.db.models import F
from django.utils import timezone
from django_tasks import task


class JobRun(models.Model):
    """The last start of each scheduled job: a daily job whose time passed while no scheduler ran
    is run once when a scheduler becomes leader (renouveau.scheduler.missed_jobs)."""

    name = models.CharField(max_length=100, primary_key=True)
    last_run_at = models.DateTimeField()
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "exécution planifiée"

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """The last beat of a kind of process ("scheduler", "worker"), and which one beat."""

    process = models.CharField(max_length=50, primary_key=True)
    at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "signe de vie"

    def __str__(self) -> str:
        return f"{self.process} @ {self.at:%Y-%m-%d %H:%M:%S}"


def beat(process: str, detail: str = "") -> None:
    Heartbeat.objects.update_or_create(
        process=process, defaults={"at": timezone.now(), "detail": detail}
    )


def record_run(name: str, started_at: datetime) -> None:
    updated = JobRun.objects.filter(name=name).update(last_run_at=started_at, runs=F("runs") + 1)
    if not updated:
        JobRun.objects.get_or_create(name=name, defaults={"last_run_at": started_at, "runs": 1})


@task()
def worker_heartbeat() -> None:
    """Queued by the scheduler (`worker-heartbeat`): its run by a worker is the worker's beat, so
    that /healthz sees workers that take tasks, not merely processes that exist."""
    beat("worker", f"{socket.gethostname()}:{os.getpid()}")
