"""System checks of the site: is the SES sender identity verified? (`manage.py check --deploy`)

With an unverified sender SES rejects every mail (MessageRejected): visitors read « Merci » and
nothing leaves. The check asks SES v2 (GetEmailIdentity) about DEFAULT_FROM_EMAIL's address and
its domain, and warns with the fix. It only runs when mail goes through SES, with the `deploy`
tag (production start-up runs `check --deploy`); CHECK_SES_IDENTITY=0 turns it off (offline
builds).
"""

from __future__ import annotations

import logging
from email.utils import parseaddr

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.checks import CheckMessage, Warning, register

from .mail import uses_ses

logger = logging.getLogger(__name__)


def _identity_verified(client, identity: str) -> bool | None:
    """True/False as SES says; None when SES does not know the identity."""
    try:
        answer = client.get_email_identity(EmailIdentity=identity)
    except client.exceptions.NotFoundException:
        return None
    # VerifiedForSendingStatus is SES's answer; moto only fills VerificationStatus.
    return bool(answer.get("VerifiedForSendingStatus")) or (
        answer.get("VerificationStatus") == "SUCCESS"
    )


class SESUnreachable(Exception):
    """SES could not be asked (no credentials, no network): nothing is known."""


def ses_sender_problem() -> str:
    """'' when SES can send as DEFAULT_FROM_EMAIL, else what is wrong (French); raises
    SESUnreachable when SES cannot be asked."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()
    if "@" not in address:
        return f"DEFAULT_FROM_EMAIL n'est pas une adresse : {settings.DEFAULT_FROM_EMAIL!r}."
    domain = address.rsplit("@", 1)[1]
    config = Config(connect_timeout=3, read_timeout=5, retries={"max_attempts": 1})
    try:
        client = boto3.client("sesv2", config=config, region_name=settings.AWS_REGION)
        for identity in (address, domain):
            if _identity_verified(client, identity):
                return ""
    except (BotoCoreError, ClientError) as exc:
        raise SESUnreachable(f"{type(exc).__name__}: {exc}") from exc
    return f"L'identité d'envoi SES {address} (ni le domaine {domain}) n'est pas vérifiée."


@register("mail", deploy=True)
def check_ses_sender_identity(app_configs=None, **kwargs) -> list[CheckMessage]:
    if not uses_ses() or not settings.CHECK_SES_IDENTITY:
        return []
    try:
        problem = ses_sender_problem()
    except SESUnreachable as exc:
        # Logged, not reported: a build or CI run without AWS access is not a misconfiguration,
        # and a production without credentials fails every send visibly anyway.
        logger.warning("SES sender identity not checked: %s", exc)
        return []
    if not problem:
        return []
    return [
        Warning(
            f"{problem} SES refusera tous les envois (MessageRejected).",
            hint=(
                "Vérifiez l'adresse ou le domaine dans la console SES de la région "
                f"{settings.AWS_REGION} (ou `aws sesv2 create-email-identity --email-identity …`), "
                "ou corrigez DEFAULT_FROM_EMAIL."
            ),
            id="renouveau.W001",
        )
    ]
