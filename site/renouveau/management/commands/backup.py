from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renouveau.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the site: a dump of the database (pg_dump) and the inventory of media and "
        "documents, in a new folder (renouveau/backups.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="Folder to write (default: backups/<date-time>).", default=None
        )

    def handle(self, *args, output=None, **options):
        directory = Path(output or f"backups/{timezone.now():%Y%m%d-%H%M%S}")
        try:
            manifest = backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = ", ".join(f"{alias} {count}" for alias, count in manifest["files"].items())
        self.stdout.write(f"Backup written to {directory}: {manifest['database']}; files: {files}")
