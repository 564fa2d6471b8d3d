"""Periodic jobs of webinar registrations (run by `manage.py run_scheduler`)."""

from django.conf import settings

from renouveau.retention import retention_jobs
from renouveau.scheduler import Job

from .registrations import send_reminders, send_replays
from .retention import RETENTION


def reminders() -> dict[str, int]:
    """Reminders the day before and the hour before (each sent once, see registrations.py)."""
    return send_reminders()


def replays() -> dict[str, int]:
    """The replay link, once the ended webinar's published page has one."""
    return {"replay": send_replays()}


JOBS = [
    # Every 5 minutes: the « one hour before » reminder goes out between 60 and 55 minutes ahead.
    Job("webinar-reminders", reminders, every_seconds=settings.WEBINAR_REMINDER_SECONDS),
    Job("webinar-replays", replays, every_seconds=settings.WEBINAR_REPLAY_SECONDS),
    # Names and addresses erased a year after the webinar (the form promises it).
    *retention_jobs(RETENTION),
]
