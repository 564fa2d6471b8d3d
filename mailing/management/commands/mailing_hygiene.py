from django.core.management.base import BaseCommand

from mailing.tasks import list_hygiene


class Command(BaseCommand):
    help = (
        "Purge subscribers unconfirmed after 30 days and flag those inactive for three years "
        "(run daily, e.g. from cron; --enqueue hands it to the task worker instead)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run it in the task worker.")

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = list_hygiene.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        figures = list_hygiene.call()
        self.stdout.write(
            f"{figures['purged']} unconfirmed address(es) purged, "
            f"{figures['flagged']} subscriber(s) flagged for consent renewal."
        )
