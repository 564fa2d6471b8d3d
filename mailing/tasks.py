"""Background tasks of the mailing app (queue "mail"). Campaign batches are in sending.py."""

from django_tasks import task

from .subscriptions import flag_inactive, purge_unconfirmed


@task(queue_name="mail")
def list_hygiene() -> dict[str, int]:
    """Daily: purge addresses unconfirmed after 30 days, flag three-year-inactive ones (CNIL)."""
    return {"purged": purge_unconfirmed(), "flagged": flag_inactive()}
