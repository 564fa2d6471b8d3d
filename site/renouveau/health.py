"""What `/healthz` reports: whether this web node can serve (database, cache, storage: any
failure is a 503 a load balancer acts on), and whether the background processes run (scheduler
and worker heartbeats, queue lag: « degraded » when late, a 503 only with `?all=1`, for the
monitoring that should page someone)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from .heartbeats import Heartbeat


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return "ok"


def _cache() -> str:
    token = secrets.token_hex(8)
    try:
        cache.set("healthz", token, 30)
        return "ok" if cache.get("healthz") == token else "not shared"
    except Exception:  # noqa: BLE001 (Redis errors are of several kinds)
        return "unreachable"


def _storage() -> str:
    try:
        default_storage.exists("healthz")  # a HEAD on S3, a stat locally
    except Exception:  # noqa: BLE001 (botocore and OS errors alike)
        return "unreachable"
    return "ok"


def _heartbeat(process: str, max_age: float) -> dict:
    beat = Heartbeat.objects.filter(process=process).first()
    if beat is None:
        return {"status": "missing"}
    age = (timezone.now() - beat.at).total_seconds()
    return {"status": "ok" if age <= max_age else "late", "age_seconds": round(age)}


def _queue_lag(max_lag: float) -> dict:
    """Age of the oldest task ready to run (database backend; RQ is not measured here)."""
    if "DatabaseBackend" not in settings.TASKS["default"]["BACKEND"]:
        return {"status": "not measured"}

    oldest = DBTaskResult.objects.ready().order_by("enqueued_at")
    first = oldest.values_list("enqueued_at", "run_after").first()
    if first is None:
        return {"status": "ok", "lag_seconds": 0}
    enqueued_at, run_after = first
    since = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
    lag = max(0.0, (timezone.now() - since).total_seconds())
    return {"status": "ok" if lag <= max_lag else "late", "lag_seconds": round(lag)}


def health_report() -> tuple[str, dict]:
    """("ok" | "degraded" | "error", the report)."""
    report: dict = {"database": _database(), "cache": _cache(), "storage": _storage()}
    if report["database"] == "ok":
        poll = settings.LEADER_POLL_SECONDS
        worker_every = settings.WORKER_HEARTBEAT_SECONDS
        report["scheduler"] = _heartbeat("scheduler", max(3 * poll, 60))
        report["worker"] = _heartbeat("worker", 3 * worker_every + 30)
        report["queue"] = _queue_lag(settings.HEALTH_QUEUE_LAG_SECONDS)
    if any(report[name] != "ok" for name in ("database", "cache", "storage")):
        status = "error"
    elif any(
        report[name]["status"] not in ("ok", "not measured")
        for name in ("scheduler", "worker", "queue")
    ):
        status = "degraded"
    else:
        status = "ok"
    return status, {"status": status, **report}
