from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_site_url(**_kwargs) -> None:
    from .site_url import sync_site_record  # uses Site: apps.py is imported before the models

    sync_site_record()


class RenouveauConfig(AppConfig):
    name = "renouveau"
    verbose_name = "Site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # In ready(), as Django asks: these use the models. Checks register themselves.
        from . import checks, placeholders, signals  # noqa: F401

        signals.connect()
        # Every deploy runs migrate: the Site record follows SITE_URL from then on.
        post_migrate.connect(_sync_site_url, sender=self, dispatch_uid="renouveau-sync-site-url")
