"""Where document files live: local files by default, S3 when configured (settings)."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.utils.functional import LazyObject, empty
from django.utils.text import slugify


class _DocumentsStorage(LazyObject):
    """STORAGES["documents"], looked up when first used (and again when settings change), so
    that the file field does not freeze whatever storage existed when models were imported."""

    def _setup(self) -> None:
        self._wrapped = storages["documents"]


documents_files = _DocumentsStorage()


def _reset_on_storages_change(*, setting: str, **kwargs) -> None:
    if setting in {"STORAGES", "PRIVATE_MEDIA_ROOT", "AWS_STORAGE_BUCKET_NAME"}:
        documents_files._wrapped = empty


setting_changed.connect(_reset_on_storages_change, dispatch_uid="documents-storage-reset")


def is_s3(storage) -> bool:
    # Duck-typed rather than isinstance() so that django-storages stays optional at import time.
    return hasattr(storage, "bucket_name") and hasattr(storage, "querystring_expire")


def is_stored(file: FieldFile) -> bool:
    """Whether the file is in its storage (one HEAD request on S3)."""
    return bool(file.name) and file.storage.exists(file.name)


def download_filename(title: str, file: FieldFile) -> str:
    """The name a download is saved under: from the document's title, never the stored name
    (which tells where and how files are kept)."""
    extension = posixpath.splitext(file.name)[1].lower()
    return f"{slugify(title)[:80] or 'document'}{extension}"


def presigned_url(file: FieldFile, filename: str) -> str | None:
    """A short-lived S3 URL that downloads `file` as an attachment, or None for local storage.

    Only called after the site's own link (expiry, use count) has been checked.
    """
    if not is_s3(file.storage):
        return None
    return file.storage.url(
        file.name,
        expire=settings.AWS_QUERYSTRING_EXPIRE,
        parameters={"ResponseContentDisposition": f'attachment; filename="{filename}"'},
    )


def download_origin(file: FieldFile) -> str | None:
    """The origin the download form's POST is redirected to (the bucket's presigned URLs), or
    None when the site serves the file itself. Browsers apply the page's CSP `form-action` to
    that redirect, so the download page must allow this origin."""
    if not is_s3(file.storage):
        return None
    parts = urlsplit(file.storage.url(file.name, expire=60))
    return f"{parts.scheme}://{parts.netloc}"
