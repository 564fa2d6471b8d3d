"""`db_worker` that survives a lost database connection, with a start-up recovery for the
mailing app (this app comes before django_tasks_db in INSTALLED_APPS, so Django picks this
command).

django-tasks-db's worker exits as soon as a query fails for any reason but a locked SQLite
database: a PostgreSQL restart, a failover or `pg_terminate_backend` stopped every worker at once
(issue 13). Here a lost connection is closed and the loop starts again after a pause (0.5 s
doubled up to 30 s), and a task's result is recorded on a fresh connection: a worker never exits
because one step or one batch failed.

Before polling, the campaign watchdog runs once (delivery/watchdog.py): deliveries left in flight
by a killed worker are marked uncertain (never resent silently), and interrupted campaigns are
queued again.
"""

from __future__ import annotations

import logging
import os
import time

from django.db import close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from mailing.delivery.resilience import CONNECTION_ERRORS
from mailing.delivery.watchdog import recover_on_worker_start

logger = logging.getLogger("mailing")


def close_all_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # a dead connection may fail to close: it is gone either way
            conn.connection = None


def with_fresh_connection(step, what: str, patience: float = 300.0):
    """Run a step of the worker loop, retrying it on a new connection while the database is
    unreachable (up to `patience` seconds)."""
    deadline = time.monotonic() + patience
    delay = 0.5
    while True:
        try:
            return step()
        except CONNECTION_ERRORS as exc:
            if time.monotonic() + delay > deadline:
                raise
            logger.warning("Database error while %s, retrying in %.1f s: %s", what, delay, exc)
            close_all_connections()
            time.sleep(delay)
            delay = min(delay * 2, 30.0)


class ResilientWorker(Worker):
    def run(self) -> None:
        delay = 0.5
        while True:
            try:
                return super().run()
            except CONNECTION_ERRORS as exc:
                if not self.running:
                    return None
                logger.warning("Database connection lost (%s): polling again in %.1f s", exc, delay)
                close_all_connections()
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                self.startup_delay = False

    def run_task(self, db_task_result) -> None:
        """As django-tasks-db's, but the result is recorded on a fresh connection if the task
        lost the one it started with."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            try:
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise
                logger.exception("Task %s failed", db_task_result.id)
                close_old_connections()
                error = exc
                with_fresh_connection(lambda: db_task_result.set_failed(error), "recording failure")
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
                return
            close_old_connections()
            with_fresh_connection(
                lambda: db_task_result.set_successful(value), "recording a result"
            )
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1


class Command(DBWorkerCommand):
    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        self.recover()
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

    def recover(self) -> None:
        try:
            queued = with_fresh_connection(recover_on_worker_start, "recovering", patience=30)
        except Exception:  # the worker must start even if recovery cannot run now
            logger.exception("Mailing recovery at worker start failed")
        else:
            if queued:
                logger.info("Resumed %s interrupted campaign(s)", queued)
