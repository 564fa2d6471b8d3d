"""`db_worker` with a start-up step for the mailing app (this app comes before
django_tasks_db in INSTALLED_APPS, so Django picks this command).

Before polling, deliveries left in flight by a killed worker are marked uncertain (never resent
silently) and interrupted campaigns are queued again.
"""

import logging

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

logger = logging.getLogger("mailing")


class Command(DBWorkerCommand):
    def handle(self, *args, **options):
        from mailing.sending import recover_on_worker_start

        try:
            queued = recover_on_worker_start()
        except Exception:  # the worker must start even if recovery cannot run now
            logger.exception("Mailing recovery at worker start failed")
        else:
            if queued:
                logger.info("Resumed %s interrupted campaign(s)", queued)
        return super().handle(*args, **options)
