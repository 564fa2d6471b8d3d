from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "works"
    verbose_name = "Suivi des travaux"
    default_auto_field = "django.db.models.BigAutoField"
