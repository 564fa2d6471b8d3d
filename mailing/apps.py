from django.apps import AppConfig


class MailingConfig(AppConfig):
    """Subscribers, consent, campaigns and deliveries: who receives the newsletter, and how."""

    name = "mailing"
    verbose_name = "Abonnés et envois"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the system checks)
