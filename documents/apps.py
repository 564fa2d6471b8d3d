from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    label = "site_documents"
    verbose_name = "Documents"
    default_auto_field = "django.db.models.BigAutoField"
