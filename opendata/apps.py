from django.apps import AppConfig


class OpendataConfig(AppConfig):
    """The top floor: the read-only open data API (/api/v1/), its OpenAPI schema and French
    documentation, the DCAT-AP catalogue and the partner widgets. It reads the apps below it;
    none imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "opendata"
    verbose_name = "Données ouvertes"
