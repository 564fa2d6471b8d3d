"""What many pages share (menu, footer, view restrictions, filter counts, home sections,
mentions), computed once and kept until something it shows changes.

While a fragment is built, cache_tags.py records what it loads and lists; the value is kept with
the versions of those tags and served while they hold, so a publish rebuilds only the fragments
that show the changed object or list its type (signals.py). It lives at most
FRAGMENT_CACHE_SECONDS, and no later than the next date-time at which what it shows changes by
itself (a page's `expire_at`, a webinar's start or end). A fragment met while a page is being
rendered adds its tags to the page's. Values are kept in the shared cache (Redis in production)
and in this process (no unpickling while nothing changed).

FRAGMENT_CACHE_SECONDS = 0 turns it off (test settings: a test's database rollback bumps no
tag); `build()` then runs every time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from wagtail.models import PageViewRestriction

from . import cache_tags
from .page_cache import (
    ANY_CONTENT,
    Render,
    _cache,
    _is_entry,
    current_generation,
    current_render,
    still_holds,
)

T = TypeVar("T")
VERSION = 2  # bump when the shape of a cached value changes (a deploy keeps the tags)
# Fragments listing the pages that refer to the object of their first key part (a cité's
# mentions): made stale by a publish of a page referring to it (signals.py), not by every
# publish of a page of the types they list.
BY_REFERENCE = {"mentions": "wagtailcore.page"}
LOCAL_MAX_ENTRIES = 5000
_MISSING = object()
_local: dict[str, tuple[Any, dict[str, Any], float, int]] = {}
_lock = threading.Lock()


def enabled() -> bool:
    return bool(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0))


def _keep_built(render: Render, versions: dict[str, Any]) -> None:
    """Store the fragments a page's render built (page_cache.Render), with one read of their
    tags' versions for all of them (`versions`: those the page cache already read)."""
    tags = set().union(*(made for _value, made, _until in render.built.values()))
    known = dict(versions)
    missing = {*tags, cache_tags.GLOBAL} - known.keys()
    if missing:
        known.update(cache_tags.versions(missing))
    by_lifetime: dict[int, dict[str, tuple]] = {}
    now = time.time()
    for full_key, (value, made, until) in render.built.items():
        built_with = {tag: known.get(tag) for tag in {*made, cache_tags.GLOBAL}}
        lifetime = int(until - now)
        if lifetime > 0:
            entry = (value, built_with, until, render.generation)
            by_lifetime.setdefault(lifetime, {})[full_key] = entry
    for lifetime, entries in by_lifetime.items():
        _cache().set_many(entries, lifetime)
        with _lock:
            _local.update(entries)


def generation(request: HttpRequest | None = None) -> int:
    """The content generation, read once per request."""
    render = current_render()
    if render is not None:
        return render.generation
    if request is None:
        return current_generation()
    value = getattr(request, "_renouveau_generation", None)
    if value is None:
        value = current_generation()
        request._renouveau_generation = value
    return value


def _usable(entry: Any, current: int, request: HttpRequest | None) -> bool:
    """Not expired, and built in this generation or with tags that still hold."""
    if not _is_entry(entry) or entry[2] <= time.time():
        return False
    return still_holds(entry[1], entry[3], current, request)


def _tags_of(name: str, key: tuple, tags: set[str]) -> set[str]:
    if name in BY_REFERENCE and key:
        tags = {tag for tag in tags if not tag.startswith("t:")}
        tags.add(f"m:{BY_REFERENCE[name]}:{key[0]}")  # cache_tags.mention_tag
    return tags


def cached(
    name: str,
    build: Callable[[], T],
    request: HttpRequest | None = None,
    *key: Hashable,
) -> T:
    """`build()`, or its value built earlier if nothing it shows changed since; its lifetime
    follows the date-times of what it shows (cache_tags.changes_at for dates compared with
    today)."""
    if not enabled():
        return build()
    current = generation(request)
    full_key = f"fragment:v{VERSION}:{name}:" + ":".join(str(part) for part in key)
    render = current_render()
    if render is not None:
        render.used.add(full_key)  # read ahead when the page is next rendered
        if full_key in render.built:  # built earlier in this render
            value, made, until = render.built[full_key]
            _shown_by_enclosing(made, until)
            return value
    with _lock:
        entry = _local.get(full_key)
    if entry is None or not _usable(entry, current, request):
        if render is not None and full_key in render.fetched:
            entry = render.fetched[full_key]
        else:
            entry = _cache().get(full_key)
        if not _usable(entry, current, request):
            return _build(full_key, name, key, build, current)
    value, built_with, until, stamped = entry
    if stamped != current:  # checked once after someone else's change, not on every use
        entry = (value, built_with, until, current)
    with _lock:
        if len(_local) >= LOCAL_MAX_ENTRIES:
            _local.clear()
        _local[full_key] = entry
    _shown_by_enclosing(built_with, until)
    return value


def _shown_by_enclosing(tags, until: float) -> None:
    """A fragment met while a page (or a larger fragment) is built: that one depends on it too."""
    collector = cache_tags.current()
    if collector is not None:
        collector.merge(tags, until)


def _build(full_key: str, name: str, key: tuple, build: Callable[[], T], current: int) -> T:
    with cache_tags.collecting() as made:
        value = build()
        made.tags = _tags_of(name, key, made.tags)  # before they reach the enclosing page
    until = time.time() + settings.FRAGMENT_CACHE_SECONDS
    if made.until is not None:
        until = min(until, made.until)
    render = current_render()
    if render is not None:  # stored with the page's other fragments once it is rendered
        render.built[full_key] = (value, made.tags, until)
        render.keep = _keep_built
        return value
    lifetime = int(until - time.time())
    # Not kept if content changed while it was built: it may show the state before.
    if lifetime > 0 and current_generation() == current:
        entry = (value, cache_tags.versions(made.tags), until, current)
        _cache().set(full_key, entry, lifetime)
        with _lock:
            _local[full_key] = entry
    return value


def depends_on_every_page() -> None:
    """What is being built depends on every page, beyond what it loads or lists (which page
    types have a public page): rebuilt after any change, like the responses that show no page
    (page_cache.ANY_CONTENT)."""
    collector = cache_tags.current()
    if collector is not None:
        collector.tags.add(ANY_CONTENT)


def restricted_sections(request: HttpRequest | None = None) -> list[tuple[str, int]]:
    """(path, depth) of every page carrying a view restriction (the page and its descendants
    are private)."""

    def build() -> list[tuple[str, int]]:
        return sorted(set(PageViewRestriction.objects.values_list("page__path", "page__depth")))

    return cached("restricted-sections", build, request)


def in_restricted_section(path: str, request: HttpRequest | None = None) -> bool:
    return any(path.startswith(section) for section, _depth in restricted_sections(request))
