"""Periodic jobs of the mailing app (run by `manage.py run_scheduler`)."""

from django.conf import settings
from django.utils import timezone

from renouveau.retention import retention_jobs
from renouveau.scheduler import Job, interval

from .audience.hygiene import flag_inactive, purge_unconfirmed, remind_unconfirmed
from .audience.repermission import run_repermission
from .delivery.cite_alerts import send_cite_alerts, send_weekly_digests
from .delivery.steering import start_due_campaigns
from .delivery.watchdog import watchdog
from .retention import RETENTION


def list_hygiene() -> dict[str, int]:
    """Purge addresses unconfirmed after 30 days, flag three-year-inactive ones (CNIL)."""
    return {"purged": purge_unconfirmed(), "flagged": flag_inactive()}


def repermission() -> dict[str, int]:
    """Consents older than MAILING_REPERMISSION_YEARS asked again once; no answer → unsubscribed."""
    return run_repermission()


def campaign_watchdog() -> dict[str, int]:
    """Dead workers' deliveries made uncertain, stalled campaigns queued again (watchdog)."""
    return watchdog()


def cite_alerts() -> dict[str, int]:
    """The day's news of followed cités, one mail per follower (delivery/cite_alerts.py)."""
    return send_cite_alerts()


def weekly_cite_digests() -> dict[str, int]:
    """The week's news of followed cités, for those who chose a weekly digest: on
    MAILING_CITE_DIGEST_WEEKDAY (ISO, 5 = Friday), at the evening alert's time."""
    if timezone.localdate().isoweekday() != settings.MAILING_CITE_DIGEST_WEEKDAY:
        return {}
    return send_weekly_digests()


def scheduled_campaigns() -> int:
    """Campaigns programmed with « Programmer l'envoi » whose time has come (steering)."""
    return start_due_campaigns()


JOBS = [
    Job(
        "mailing-scheduled-campaigns",
        scheduled_campaigns,
        every_seconds=interval("MAILING_SCHEDULE_SECONDS", 60),
    ),
    Job(
        "mailing-cite-alerts",
        cite_alerts,
        daily_at=settings.MAILING_CITE_ALERTS_AT,
    ),
    Job(
        "mailing-cite-weekly-digests",
        weekly_cite_digests,
        daily_at=settings.MAILING_CITE_ALERTS_AT,
    ),
    Job("mailing-list-hygiene", list_hygiene, daily_at="03:10"),
    Job("mailing-optin-reminders", remind_unconfirmed, daily_at="10:00"),
    Job("mailing-repermission", repermission, daily_at="10:30"),
    Job(
        "mailing-campaign-watchdog",
        campaign_watchdog,
        every_seconds=interval("MAILING_WATCHDOG_SECONDS", 60),
    ),
    *retention_jobs(RETENTION),  # one per register entry (retention.py)
]
