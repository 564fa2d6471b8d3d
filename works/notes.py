"""« Notes de chantier » reach the cité's followers through the daily cité alert: each note,
once its date has come, is recorded once as an update of its cité (mailing's follow module
groups the day's updates into one mail per follower)."""

from __future__ import annotations

import logging
from datetime import date

from django.utils import timezone

from mailing.delivery.cite_alerts import record_cite_update
from renouveau.visibility import is_public_page

from .models import Operation

logger = logging.getLogger(__name__)
NOTE_KIND = "Note de chantier"
NOTES_ANCHOR = "#notes-de-chantier"


def announce_new_notes(operation: Operation, today: date | None = None) -> int:
    """Record a cité update for each note dated today or before and not yet announced; the
    number recorded. A note dated in the future is announced by the first save on or after
    its date."""
    today = today or timezone.localdate()
    city = operation.city
    if not is_public_page(city):
        return 0
    recorded = 0
    for note in operation.notes.filter(announced_at__isnull=True, date__lte=today):
        recorded += record_cite_update(
            [city],
            source=f"works-note:{note.pk}",
            kind=NOTE_KIND,
            title=note.title,
            url=city.get_full_url() + NOTES_ANCHOR,
            summary=note.text,
        )
        note.announced_at = timezone.now()
        note.save(update_fields=["announced_at"])
    return recorded


def on_operation_saved(request, instance) -> None:
    """Wagtail's after_create_snippet / after_edit_snippet hooks."""
    if not isinstance(instance, Operation):
        return
    try:
        announce_new_notes(instance)
    except Exception:  # an alert must never stop an editor's save
        logger.exception("Could not record the works notes of operation %s", instance.pk)
