"""The `db_worker` command (mailing's subclass of django-tasks-db's) outlives a lost database
connection: the connection fails where the worker polls, or where it records a task's outcome,
and the worker goes on. (The same against a real `pg_terminate_backend`, mid-campaign:
tests/mailing/test_resilience.py.)"""

import io
import logging

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django_tasks_db.models import DBTaskResult

from renouveau.mail import send_mail_task

pytestmark = pytest.mark.django_db(transaction=True)

LOST = "server closed the connection unexpectedly"


class FlakyDatabase:
    """Fails the first `times` queries whose SQL holds `marker`, as a dropped connection does."""

    def __init__(self, marker: str, times: int):
        self.marker, self.left = marker, times

    def __call__(self, execute, sql, params, many, context):
        if self.left and self.marker in sql:
            self.left -= 1
            raise OperationalError(LOST)
        return execute(sql, params, many, context)


def run_worker_until_the_queue_is_empty() -> None:
    call_command(
        "db_worker",
        "--batch",
        "--queue-name",
        "mail",
        "--no-startup-delay",
        "--no-reload",
        stdout=io.StringIO(),
    )


def enqueue_one_mail():
    return send_mail_task.enqueue(to=["elu@example.org"], subject="Tâche", text="Texte.")


def test_a_connection_lost_while_polling_restarts_the_worker(ses, caplog):
    result = enqueue_one_mail()
    flaky = FlakyDatabase(f'FROM "{DBTaskResult._meta.db_table}"', times=2)
    with caplog.at_level(logging.WARNING, "mailing"), connection.execute_wrapper(flaky):
        run_worker_until_the_queue_is_empty()
    assert flaky.left == 0  # both faults happened, and the worker went on
    assert "Database connection lost" in caplog.text
    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert len(ses.messages()) == 1


def test_an_outcome_the_lost_connection_could_not_record_is_recorded_as_failed(ses):
    result = enqueue_one_mail()
    # django-tasks-db tries three times to record success, then three times failure.
    flaky = FlakyDatabase('"finished_at" =', times=6)
    with connection.execute_wrapper(flaky):
        run_worker_until_the_queue_is_empty()
    assert flaky.left == 0
    result.refresh()
    assert result.status.name == "FAILED"  # not left « running » for ever
    assert LOST in result.errors[-1].traceback
    assert len(ses.messages()) == 1  # the mail went once: the task was not run again
