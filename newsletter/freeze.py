"""Freeze the images of a sent issue: copy each one to an immutable, content-addressed file.

A rendition's URL changes (or disappears) when an editor edits or deletes the image; a sent
e-mail cannot be changed, so its images must stay at the address it was sent with.
"""

from __future__ import annotations

import hashlib
import posixpath
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from renouveau.media import absolute_media_url, media_name

FROZEN_DIR = "newsletter/frozen"
_IMAGE_URL = re.compile(r'(?P<attr>src|srcset)="(?P<value>[^"]+)"')


def _frozen_url(url: str, cache: dict[str, str]) -> str:
    """The frozen copy's absolute URL for one of our media URLs (others are left as they are)."""
    if url in cache:
        return cache[url]
    name = media_name(url)
    if name is None:
        cache[url] = url  # not one of our files (a video thumbnail, a partner's logo…)
        return url
    if name.startswith(FROZEN_DIR + "/"):
        cache[url] = url  # already frozen (a campaign frozen twice)
        return url
    if not default_storage.exists(name):
        cache[url] = url  # nothing to copy; the checks report missing images before sending
        return url
    with default_storage.open(name, "rb") as source:
        content = source.read()
    digest = hashlib.sha256(content).hexdigest()
    extension = posixpath.splitext(name)[1].lower()
    frozen_name = f"{FROZEN_DIR}/{digest[:2]}/{digest}{extension}"
    if not default_storage.exists(frozen_name):
        saved = default_storage.save(frozen_name, ContentFile(content))
        if saved != frozen_name:  # a concurrent writer won; the content is the same
            default_storage.delete(saved)
    # A plain, permanent URL: public media are never presigned (settings, renouveau.media).
    frozen = absolute_media_url(default_storage.url(frozen_name))
    cache[url] = frozen
    return frozen


def freeze_images(html: str) -> str:
    """Copy every site image the HTML references (src and srcset) to `newsletter/frozen/
    <sha256>.<ext>` in the public media storage and point the HTML at the copies. Idempotent."""
    cache: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        attr, value = match.group("attr"), match.group("value")
        if attr == "src":
            return f'src="{_frozen_url(value, cache)}"'
        candidates = []
        for candidate in value.split(","):
            bits = candidate.strip().split(maxsplit=1)
            if not bits:
                continue
            bits[0] = _frozen_url(bits[0], cache)
            candidates.append(" ".join(bits))
        return f'srcset="{", ".join(candidates)}"'

    return _IMAGE_URL.sub(replace, html)
