from django.apps import AppConfig


class RenouveauConfig(AppConfig):
    name = "renouveau"
    verbose_name = "Site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals

        signals.connect()
