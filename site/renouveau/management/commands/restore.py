from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renouveau.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, which must "
        "be new and empty, then check the media and documents against the backup's inventory."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup's folder.")

    def handle(self, *args, directory: str, **options):
        try:
            check = restore(Path(directory))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Database restored. Files: {check.listed} listed, {len(check.missing)} missing, "
            f"{len(check.changed)} changed since the backup."
        )
        for name in (check.missing + check.changed)[:20]:
            self.stdout.write(f"  {name}")
        if check.missing:
            raise CommandError(
                "Files listed in the backup are missing from storage: restore them (S3 object "
                "versions, or the copy of MEDIA_ROOT) before opening the site."
            )
