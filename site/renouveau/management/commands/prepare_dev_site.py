from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prépare le site de développement (`make run`) : migrations, contenu de démonstration, "
        "compte d'administration local."
    )

    def handle(self, *args, **options):
        # One Django process for the three steps: each start costs seconds, many more on a busy
        # machine, and the first `make run` should serve the site within two minutes.
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("load_demo_content", verbosity=verbosity)
        call_command("ensure_dev_admin", verbosity=verbosity)
