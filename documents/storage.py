"""Where document files live: local files by default, S3 when configured (settings)."""

from __future__ import annotations

from django.conf import settings
from django.db.models.fields.files import FieldFile


def is_s3(storage) -> bool:
    # Duck-typed rather than isinstance() so that django-storages stays optional at import time.
    return hasattr(storage, "bucket_name") and hasattr(storage, "querystring_expire")


def presigned_url(file: FieldFile) -> str | None:
    """A short-lived S3 URL that downloads `file` as an attachment, or None for local storage.

    Only called after the site's own link (expiry, use count) has been checked.
    """
    if not is_s3(file.storage):
        return None
    filename = file.name.rsplit("/", 1)[-1].replace('"', "")
    return file.storage.url(
        file.name,
        expire=settings.AWS_QUERYSTRING_EXPIRE,
        parameters={"ResponseContentDisposition": f'attachment; filename="{filename}"'},
    )
