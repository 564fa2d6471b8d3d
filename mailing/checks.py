"""System checks of the mailing app."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from renouveau.mail import SES_BACKEND


@checks.register(checks.Tags.compatibility)
def ses_configuration_set(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """In production, SES must publish send, delivery, bounce and complaint events: without
    them, deliveries left uncertain by a stopped worker cannot be settled automatically, and
    bounces are never seen (DEPLOY.md, « Mail »)."""
    production = (getattr(settings, "SETTINGS_MODULE", "") or "").endswith(".production")
    if not production or settings.EMAIL_BACKEND != SES_BACKEND:
        return []
    if settings.AWS_SES_CONFIGURATION_SET:
        return []
    return [
        checks.Warning(
            "AWS_SES_CONFIGURATION_SET is not set: SES will not report sends, deliveries, "
            "bounces and complaints to the site.",
            hint="Create a configuration set with Send, Delivery, Bounce and Complaint event "
            "destinations to the SNS topic of /lettre/ses-notifications/ (DEPLOY.md, « Mail »), "
            "and set AWS_SES_CONFIGURATION_SET.",
            id="mailing.W001",
        )
    ]
