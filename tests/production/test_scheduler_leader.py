"""Several scheduler processes (one per node): one leads and runs each job once, a standby takes
over when the leader's node dies, and a daily job missed in between runs once (issue 27)."""

import time

from tests.production.conftest import wait_for_scheduler

RUNS = """
import json
from renouveau.models import JobRun
print(json.dumps(dict(JobRun.objects.values_list("name", "runs"))))
"""

MISSED_TWO_DAYS_AGO = """
import json
from datetime import timedelta
from django.utils import timezone
from renouveau.models import JobRun
JobRun.objects.update_or_create(
    name="documents-purge-old-requests",
    defaults={"last_run_at": timezone.now() - timedelta(days=2), "runs": 0},
)
print(json.dumps(True))
"""


def first_runs(production, name: str, timeout: float = 30) -> int:
    """The runs of a job so far, once the leader has run it at least once (a slow machine may
    not have reached its first run when the standby is up)."""
    deadline = time.monotonic() + timeout
    while (runs := production.shell(RUNS).get(name)) is None:
        assert time.monotonic() < deadline, f"{name} never ran"
        time.sleep(1)
    return runs


def test_two_schedulers_run_each_job_once_and_the_standby_takes_over(production, scheduler):
    standby = production.start_procfile("scheduler-2", "scheduler")
    wait_for_scheduler(standby, " on standby: ")

    # publish-scheduled-pages runs every 2 s (SCHEDULE_PUBLISH_SECONDS): two leaders would
    # run it about twice as often.
    before = first_runs(production, "publish-scheduled-pages")
    time.sleep(12)
    runs = production.shell(RUNS)["publish-scheduled-pages"] - before
    assert 2 <= runs <= 7, runs

    production.shell(MISSED_TWO_DAYS_AGO)  # as if it had not run while both were down
    killed_at = time.monotonic()
    scheduler.kill_child()  # the leader's node dies: no clean shutdown
    wait_for_scheduler(standby, " leads: ", timeout=60)
    takeover = time.monotonic() - killed_at
    assert takeover < 60, takeover
    assert "missed runs now: documents-purge-old-requests" in standby.log.read_text()

    deadline = time.monotonic() + 30
    while production.shell(RUNS).get("documents-purge-old-requests") != 1:
        assert time.monotonic() < deadline, production.shell(RUNS)
        time.sleep(1)
    before = production.shell(RUNS)["publish-scheduled-pages"]
    time.sleep(6)
    assert production.shell(RUNS)["publish-scheduled-pages"] > before  # the new leader runs it
    assert production.shell(RUNS)["documents-purge-old-requests"] == 1  # once, not per poll
