from django.apps import AppConfig
from wagtail.signals import page_published


class MailingConfig(AppConfig):
    """Subscribers, consent, campaigns and deliveries: who receives the newsletter, and how."""

    name = "mailing"
    verbose_name = "Abonnés et envois"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready (they import models): Django's rule for ready().
        from . import checks  # noqa: F401 (registers the system checks)
        from .delivery.cite_alerts import on_page_published

        # A published page that names cités is announced to their followers (cite_alerts.py).
        page_published.connect(on_page_published, dispatch_uid="mailing.follow")
