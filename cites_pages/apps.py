from django.apps import AppConfig


class CitesPagesConfig(AppConfig):
    name = "cites_pages"
    verbose_name = "Programme"
    default_auto_field = "django.db.models.BigAutoField"
