"""Public media (images, renditions, frozen newsletter images): their absolute URLs and names.

The default storage holds public media only (settings: documents have a private storage), so
its URLs are permanent: plain `/media/…` files locally, plain objects under the bucket's
`public/` prefix (or its CDN domain) on S3. Mails and feeds need absolute addresses.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage

_PROBE = "__probe__"


def absolute_media_url(url: str) -> str:
    """A storage URL made absolute on the public site when it is root-relative (local files)."""
    if url.startswith("/") and not url.startswith("//"):
        return settings.SITE_URL + url
    return url


def public_media_base() -> str:
    """The absolute URL every public media file's URL starts with (storage location included).

    Computed from the URL of a probe name rather than `url("")`, which S3 refuses (empty key).
    """
    return absolute_media_url(default_storage.url(_PROBE)).removesuffix(_PROBE)


def media_name(url: str) -> str | None:
    """The storage name of one of our public media URLs, or None for any other URL."""
    base = public_media_base()
    absolute = absolute_media_url(url)
    if not absolute.startswith(base):
        return None
    return unquote(urlsplit(absolute).path).removeprefix(unquote(urlsplit(base).path))
