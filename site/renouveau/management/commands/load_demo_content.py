from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from renouveau import demo


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (idempotent : rien n'est dupliqué)."

    def handle(self, *args, **options):
        with transaction.atomic():
            home = demo.ensure_home_page()
            demo.load(home)
            # Each app above site/ may ship a `demo` module with `load(home)`.
            for app_config in apps.get_app_configs():
                if app_config.name == "renouveau":
                    continue
                if module_has_submodule(app_config.module, "demo"):
                    import_module(f"{app_config.name}.demo").load(home)
                    self.stdout.write(f"Contenu de démonstration : {app_config.verbose_name}")
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration chargé."))
