"""Background tasks of the mailing app (queue "mail"). Campaign batches: delivery/sending.py."""

from django_tasks import task

from .schedule import list_hygiene as run_list_hygiene


@task(queue_name="mail")
def list_hygiene() -> dict[str, int]:
    """The daily hygiene job, for `mailing_hygiene --enqueue` (the scheduler runs it itself)."""
    return run_list_hygiene()
