"""What many pages share (menu, footer, view restrictions, filter counts, home sections,
mentions), computed once per content generation rather than on every request.

Every key carries the page cache's generation (page_cache.current_generation), which Wagtail's
publish, unpublish, move and delete signals, snippet, site settings, image, site and view
restriction saves increment (signals.py): the first request after any change builds the
fragments afresh, so invalidation is as exact as the page cache's. Values are kept in the shared
cache (Redis in production) and in this process (no unpickling while the generation holds).

FRAGMENT_CACHE_SECONDS = 0 turns it off (test settings: a test's database rollback does not
bump the generation); `build()` then runs every time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest

from .page_cache import _cache, current_generation

T = TypeVar("T")
VERSION = 1  # bump when the shape of a cached value changes (a deploy keeps the generation)
_MISSING = object()
_local: dict[str, Any] = {"generation": None, "values": {}}
_lock = threading.Lock()


def enabled() -> bool:
    return bool(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0))


def generation(request: HttpRequest | None = None) -> int:
    """The content generation, read once per request."""
    if request is None:
        return current_generation()
    value = getattr(request, "_renouveau_generation", None)
    if value is None:
        value = current_generation()
        request._renouveau_generation = value
    return value


def cached(
    name: str,
    build: Callable[[], T],
    request: HttpRequest | None = None,
    *key: Hashable,
    seconds: int | None = None,
) -> T:
    """`build()`, or its value computed earlier in the same content generation. `seconds`
    shortens its life when it also depends on the time (an upcoming webinar ends)."""
    if not enabled():
        return build()
    lifetime = min(settings.FRAGMENT_CACHE_SECONDS, seconds or settings.FRAGMENT_CACHE_SECONDS)
    current = generation(request)
    full_key = f"fragment:v{VERSION}:{current}:{name}:" + ":".join(str(part) for part in key)
    now = time.monotonic()
    with _lock:
        if _local["generation"] != current:
            _local["generation"], _local["values"] = current, {}
        values = _local["values"]
        deadline, value = values.get(full_key, (0.0, _MISSING))
    if value is not _MISSING and deadline > now:
        return value
    cache = _cache()
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(full_key, value, lifetime)
    with _lock:
        if _local["generation"] == current:
            # At most `lifetime` here too (another process may have stored it a while ago).
            values[full_key] = (now + min(lifetime, 60), value)
    return value


def restricted_sections(request: HttpRequest | None = None) -> list[tuple[str, int]]:
    """(path, depth) of every page carrying a view restriction (the page and its descendants
    are private)."""

    def build() -> list[tuple[str, int]]:
        from wagtail.models import PageViewRestriction

        return sorted(set(PageViewRestriction.objects.values_list("page__path", "page__depth")))

    return cached("restricted-sections", build, request)


def in_restricted_section(path: str, request: HttpRequest | None = None) -> bool:
    return any(path.startswith(section) for section, _depth in restricted_sections(request))
