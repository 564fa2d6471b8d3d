"""Periodic jobs of the documents app (run by `manage.py run_scheduler`)."""

from renouveau.scheduler import Job

from .retention import purge_old_requests

JOBS = [
    # The request form promises that requests are kept 12 months at most.
    Job("documents-purge-old-requests", purge_old_requests, daily_at="03:20"),
]
