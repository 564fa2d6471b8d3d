from django.core.management.base import BaseCommand

from documents.retention import purge_old_requests


class Command(BaseCommand):
    help = "Supprime les demandes de documents plus anciennes que la durée de conservation."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="durée en jours (365)")

    def handle(self, *args, days=None, **options):
        deleted = purge_old_requests(days=days)
        self.stdout.write(f"{deleted} demande(s) supprimée(s).")
