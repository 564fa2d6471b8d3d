"""Caps on the mail the site sends without a person in the loop (document links).

Above a cap the request is kept « À traiter » for staff instead of being answered: per mailbox
and document per day (e-mail requests), per sender domain per hour, and for the whole site per
hour. Mailboxes are compared as `renouveau.abuse.canonical_email` makes them (`+tag` and dotted
variants are one address). Counted in the database, so every web and task process shares them.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from renouveau.abuse import canonical_email, email_domain

from .models import DocumentRequest, LibraryDocument, RequestSource, RequestStatus


def _sent_since(hours: int = 1):
    return DocumentRequest.objects.filter(
        status=RequestStatus.SENT, sent_at__gte=timezone.now() - timedelta(hours=hours)
    )


def answered_today(email: str, document: LibraryDocument) -> bool:
    return (
        _sent_since(24)
        .filter(email_key=canonical_email(email), document=document, source=RequestSource.EMAIL)
        .exists()
    )


def auto_mail_refusal(email: str) -> str:
    """Why no automatic link may go to `email` now ('' when one may), for the staff queue."""
    per_site = settings.DOCUMENTS_AUTO_MAIL_PER_HOUR
    if _sent_since(1).count() >= per_site:
        return f"plafond du site atteint ({per_site} envois automatiques par heure)"
    per_domain = settings.DOCUMENTS_AUTO_MAIL_PER_DOMAIN_PER_HOUR
    domain = email_domain(email)
    if _sent_since(1).filter(email_key__endswith=f"@{domain}").count() >= per_domain:
        return f"plafond du domaine {domain} atteint ({per_domain} envois par heure)"
    return ""
