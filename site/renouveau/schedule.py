"""The site's own periodic jobs: publishing pages scheduled with « Programmer », and the workers'
heartbeat."""

from io import StringIO

from django.conf import settings
from django.core.management import call_command

from .heartbeats import worker_heartbeat
from .retention import RETENTION, retention_jobs
from .scheduler import Job


def publish_scheduled_pages() -> str:
    out = StringIO()
    # Wagtail's command publishes revisions whose go-live time has passed and unpublishes
    # pages whose expiry has passed.
    call_command("publish_scheduled", stdout=out)
    return out.getvalue().strip()


def queue_worker_heartbeat() -> None:
    worker_heartbeat.enqueue()


JOBS = [
    Job(
        "publish-scheduled-pages",
        publish_scheduled_pages,
        every_seconds=settings.SCHEDULE_PUBLISH_SECONDS,
    ),
    # /healthz's worker heartbeat: a task a worker must run (renouveau/health.py).
    Job(
        "worker-heartbeat",
        queue_worker_heartbeat,
        every_seconds=settings.WORKER_HEARTBEAT_SECONDS,
    ),
    *retention_jobs(RETENTION),  # contact-form answers, security records (retention.py)
]
