"""The admin's two-step CSV import: the uploaded file held server-side until the editor confirms
its preview (audience/csv_io.py reads, previews and writes the rows).

`hold_import` keeps the file in a PendingImport under a random key and returns the preview;
`confirm_import` creates only the rows the preview showed as new, and deletes the held file;
`purge_pending_imports` drops the files never confirmed (retention register).
"""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import PendingImport
from .csv_io import ImportReport, RejectedRow, preview_import, run_import

# An uploaded file not confirmed within this delay is gone (retention register).
PENDING_IMPORT_KEPT = timedelta(days=1)


def hold_import(
    text: str, *, user: Any, file_name: str = "", description: str = "", consent_text_version: str
) -> tuple[str, ImportReport]:
    """Step 1: the preview, and the key under which the file waits for its confirmation
    (server-side: neither the session cookie nor the URL carries the file)."""
    report = preview_import(text)
    key = secrets.token_urlsafe(32)
    PendingImport.objects.create(
        key=key,
        user=user,
        file_name=file_name[:255],
        description=description[:300],
        consent_text_version=consent_text_version[:40],
        content=text,
        new_lines=[row.line for row in report.new],
    )
    return key, report


def confirm_import(key: str, *, user: Any) -> ImportReport | None:
    """Step 2: import the held file — only the rows its preview showed as new — and delete it.
    None if there is no such file for this user (confirmed already, or expired)."""
    with transaction.atomic():
        pending = PendingImport.objects.filter(
            key=key, user=user, created_at__gte=timezone.now() - PENDING_IMPORT_KEPT
        ).first()
        # Claimed by deleting it: a double click imports once.
        if pending is None or not PendingImport.objects.filter(pk=pending.pk).delete()[0]:
            return None
        report = preview_import(pending.content)
        previewed = set(pending.new_lines)
        for row in [row for row in report.new if row.line not in previewed]:
            report.new.remove(row)
            report.rejected.append(RejectedRow(row.line, row.email, "Ligne absente de l’aperçu."))
        return run_import(
            report,
            user=user,
            file_name=pending.file_name,
            description=pending.description,
            consent_text_version=pending.consent_text_version,
        )


def purge_pending_imports(now: datetime) -> int:
    """Uploaded files never confirmed (retention register)."""
    return PendingImport.objects.filter(created_at__lt=now - PENDING_IMPORT_KEPT).delete()[0]
