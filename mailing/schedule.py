"""Periodic jobs of the mailing app (run by `manage.py run_scheduler`)."""

from renouveau.scheduler import Job, interval

from .subscriptions import flag_inactive, purge_unconfirmed


def list_hygiene() -> dict[str, int]:
    """Purge addresses unconfirmed after 30 days, flag three-year-inactive ones (CNIL)."""
    return {"purged": purge_unconfirmed(), "flagged": flag_inactive()}


def campaign_watchdog() -> dict[str, int]:
    """Dead workers' deliveries made uncertain, stalled campaigns queued again (watchdog.py)."""
    from .watchdog import watchdog

    return watchdog()


JOBS = [
    Job("mailing-list-hygiene", list_hygiene, daily_at="03:10"),
    Job(
        "mailing-campaign-watchdog",
        campaign_watchdog,
        every_seconds=interval("MAILING_WATCHDOG_SECONDS", 60),
    ),
]
