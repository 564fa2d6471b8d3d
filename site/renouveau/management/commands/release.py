import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from renouveau.release import install_npm_packages


class Command(BaseCommand):
    help = (
        "The release step, before web processes start or restart: npm packages (npm ci when "
        "node_modules does not match the lock), collectstatic, migrate, the Site record."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        if install_npm_packages(settings.BASE_DIR):
            # The settings list the front-end packages' folders only if they existed when they
            # were read: start again on fresh settings (once: the packages now match the lock).
            if sys.argv[1:2] != ["release"]:  # called from Python, not `manage.py release`
                raise CommandError("npm packages installed: run the release step again.")
            self.stdout.write("npm ci done; the release starts again with the new packages.")
            self.stdout.flush()
            os.execv(sys.executable, [sys.executable, *sys.argv])  # noqa: S606
        call_command("collectstatic", interactive=False, verbosity=min(verbosity, 1))
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("sync_site_url", verbosity=verbosity)
        self.stdout.write("Release done.")
