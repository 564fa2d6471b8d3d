"""A library document linked to a cité is announced to the cité's followers
(mailing.delivery.cite_alerts)."""

from typing import Any

from django.conf import settings

from cites_pages.models import CityPage
from mailing.delivery.cite_alerts import record_document_update

from .models import LibraryDocument


def document_address(document: LibraryDocument) -> str:
    """Where a reader gets it: the file itself when public, else its request form."""
    if document.is_public:
        return f"{settings.SITE_URL}{document.url}"
    return document.request_url() or settings.SITE_URL


def on_related_pages_added(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set | None, **kwargs: Any
) -> None:
    if action != "post_add" or reverse or not pk_set:
        return
    cites = CityPage.objects.live().public().filter(pk__in=pk_set)
    record_document_update(instance, cites, document_address(instance))
