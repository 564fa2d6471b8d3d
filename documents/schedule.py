"""Periodic jobs of the documents app (run by `manage.py run_scheduler`)."""

from renouveau.retention import retention_jobs

from .retention import RETENTION

# The request form promises that requests are kept 12 months at most.
JOBS = [*retention_jobs(RETENTION)]
