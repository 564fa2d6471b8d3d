"""A cache of anonymous public pages, invalidated when something they show changes.

Django's own cache middleware keys entries by URL and Vary headers, which cannot be invalidated
when an editor publishes; here each entry keeps the versions of the tags it was built with (the
pages, snippets and images it loaded, the listings it ran: cache_tags.py), and is served only
while they hold: a publish makes stale what shows the changed object, nothing else
(signals.py). A "generation" number, bumped by every change, spares the tag check while nothing
changed, and keeps a page rendered during a change from being stored. Each change also leaves a
short-lived record of the tags it touched, under its generation: an entry stamped a few
generations ago is checked against those records, read once per request for all the fragments
of a page, rather than by reading its own tags' versions (one round trip each).

Never cached: authenticated users (and anyone carrying a session or messages cookie), previews,
non-GET requests, responses that used a CSRF token (a form: the token must be the visitor's own,
with its cookie), that set a cookie, that vary on Cookie for another reason than an untouched
empty session, that are private/no-store, or that are not a 200. These checks hold wherever the
middleware sits: inside the CSRF and session middleware (their cookies are not set yet, but the
request says a token was used) as well as outside them (the cookies are on the response).
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from wagtail.models import Page

from . import cache_tags

GENERATION_KEY = "page-cache:generation"
CHANGES_KEY = "page-cache:changes:{}"  # the tags one generation's change touched
CHANGES_SECONDS = 3600
CHANGES_SPAN = 64  # further back, an entry checks its own tags' versions
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/healthz", "/static/", "/media/")
# Query parameters our pages read (filters, pagination, search, form answers): part of the key.
# Any other parameter makes the request uncacheable (served fresh, never stored), so random
# query strings cannot fill the cache; tracking parameters are dropped from the key.
QUERY_PARAMS = frozenset(
    {"page", "q", "type", "categorie", "cite", "commune", "epci", "bailleur", "statut", "theme"}
    | {"kind", "date", "end_date", "envoye", "attente", "annee", "profil", "source", "n", "all"}
)
IGNORED_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "_ga")
MAX_PARAM_CHARS = 100


# Responses that show no Wagtail page (search results, feeds, sitemap) depend on this tag,
# which every change bumps: their listings are not all read from tracked tables.
ANY_CONTENT = "any-content"


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def current_generation() -> int:
    # Started at the clock, not at 1: after a flush of the cache, a process's own copies of
    # fragments stamped with an old generation must not look current again.
    return _cache().get_or_set(GENERATION_KEY, time.time_ns, timeout=None)


def content_changed(tags: set[str]) -> None:
    """Make stale what was built with one of `tags` (and the responses showing no page)."""
    tags = {*tags, ANY_CONTENT}
    cache_tags.bump(tags)
    cache = _cache()
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted: any new value differs from the old entries'
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
        return
    # Written after the increment: a reader that sees the new generation before its record
    # finds no record and checks the versions instead.
    cache.set(CHANGES_KEY.format(generation), sorted(tags), CHANGES_SECONDS)


def _changed_since(stamped: int, current: int, request: HttpRequest | None) -> set[str] | None:
    """The tags changed after generation `stamped` up to `current`, or None if unknown (too far
    back, or a record missing). Each generation's record is read once per request: one read
    for the whole range a page's entries need when they were fetched together (Render)."""
    if not 0 < current - stamped <= CHANGES_SPAN:
        return None
    render = current_render()
    if render is not None:
        records = render.records
    elif request is not None:
        records = request.__dict__.setdefault("_renouveau_changes", {})
    else:
        records = {}
    wanted = range(stamped + 1, current + 1)
    missing = [generation for generation in wanted if generation not in records]
    if missing:
        found = _cache().get_many([CHANGES_KEY.format(generation) for generation in missing])
        for generation in missing:
            records[generation] = found.get(CHANGES_KEY.format(generation))
    if any(records[generation] is None for generation in wanted):
        return None
    return set().union(*(records[generation] for generation in wanted))


def still_holds(
    built_with: dict, stamped: int, current: int, request: HttpRequest | None = None
) -> bool:
    """Whether an entry built with these tag versions in generation `stamped` still shows the
    content of generation `current`."""
    if stamped == current:
        return True
    changed = _changed_since(stamped, current, request)
    if changed is None:
        render = current_render()
        known = render.versions if render is not None else {}
        if not built_with.keys() <= known.keys():
            known.update(cache_tags.versions(built_with))
        return all(known.get(tag) == version for tag, version in built_with.items())
    return changed.isdisjoint(built_with)


@dataclass
class Render:
    """A page being rendered for this cache. The fragments it builds (fragments.py) read no
    generation and are stored together once the page is done, with one generation check and
    one read of their tags' versions, rather than both for each of them."""

    generation: int
    built: dict[str, tuple[Any, set[str], float]] = field(default_factory=dict)
    records: dict[int, list[str] | None] = field(default_factory=dict)  # changes, by generation
    versions: dict[str, Any] = field(default_factory=dict)  # tag versions read in this render
    used: set[str] = field(default_factory=set)  # the fragments' keys, built or found
    fetched: dict[str, Any] = field(default_factory=dict)  # entries read ahead (prefetch)
    keep: Callable[["Render", dict[str, Any]], None] | None = None

    def prefetch(self, keys: tuple[str, ...]) -> None:
        """Read ahead, in one round trip, the fragments this page used when last rendered, and
        what checking them needs: the change records since the oldest of them, in one more;
        the versions of the tags of those too old for the records, in one more. Without it,
        each fragment is one read and one check (two round trips each)."""
        if not keys:
            return
        self.fetched = _cache().get_many(list(keys))
        stamps = [entry[3] for entry in self.fetched.values() if _is_entry(entry)]
        recent = [stamp for stamp in stamps if 0 < self.generation - stamp <= CHANGES_SPAN]
        if recent:
            _changed_since(min(recent), self.generation, None)
        older = set().union(
            *(
                entry[1]
                for entry in self.fetched.values()
                if _is_entry(entry) and _changed_since(entry[3], self.generation, None) is None
                and entry[3] != self.generation
            )
        )  # fmt: skip
        if older:
            self.versions.update(cache_tags.versions(older))

    def finish(self, versions: dict[str, Any] | None = None, *, unchanged: bool = False) -> None:
        """Store what was built, unless content changed meanwhile (it may show the state
        before). `versions`: tag versions read after the render; `unchanged`: the caller has
        just seen the generation unchanged (not read again)."""
        if self.keep is None or not self.built:
            return
        if unchanged or current_generation() == self.generation:
            self.keep(self, versions or {})


def _is_entry(entry: Any) -> bool:
    """A fragment entry: (value, tag versions, until, generation)."""
    return isinstance(entry, tuple) and len(entry) == 4 and isinstance(entry[1], dict)


_render: ContextVar[Render | None] = ContextVar("page_cache_render", default=None)


def current_render() -> Render | None:
    return _render.get()


@contextmanager
def _rendering(generation: int) -> Iterator[Render]:
    token = _render.set(Render(generation))
    try:
        yield _render.get()
    finally:
        _render.reset(token)


def invalidate_page_cache(**_kwargs) -> None:
    """Forget every cached page and fragment (settings, sites, view restrictions, moves)."""
    content_changed({cache_tags.GLOBAL})


MESSAGES_COOKIE_NAME = "messages"


def _cache_query(request: HttpRequest) -> str | None:
    """The query string of the cache key: the parameters pages read, sorted, tracking ones
    dropped; None when another parameter (or an overlong value) makes the page uncacheable."""
    kept = []
    for name, values in request.GET.lists():
        if name.startswith(IGNORED_PARAMS):
            continue
        if name not in QUERY_PARAMS or any(len(value) > MAX_PARAM_CHARS for value in values):
            return None
        kept.extend((name, value) for value in values)
    return urlencode(sorted(kept))


def _is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if _cache_query(request) is None:
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE_NAME in request.COOKIES:
        return False  # a logged-in editor (userbar, drafts) or a visitor with messages
    return not getattr(request, "is_preview", False)


def _used_visitor_state(request: HttpRequest) -> bool:
    """True when the response depends on this visitor: a CSRF token was put in it, the session
    was written to, or flash messages were queued."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True  # django.middleware.csrf.get_token() ran: the page holds a form token
    session = getattr(request, "session", None)
    if session is not None and (session.modified or (session.accessed and not session.is_empty())):
        return True
    messages = getattr(request, "_messages", None)
    return bool(messages is not None and getattr(messages, "added_new", False))


def _varies_on_cookie(response: HttpResponse, request: HttpRequest) -> bool:
    vary = {item.strip().lower() for item in response.get("Vary", "").split(",")}
    if "cookie" not in vary:
        return False
    # SessionMiddleware adds "Vary: Cookie" whenever the session was merely looked at; for a
    # visitor without a session cookie that session is empty, so the page is everyone's.
    session = getattr(request, "session", None)
    return not (session is not None and session.is_empty() and not session.modified)


def _is_cacheable_response(response: HttpResponse, request: HttpRequest) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if _used_visitor_state(request) or _varies_on_cookie(response, request):
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _key(request: HttpRequest) -> str:
    raw = f"{request.get_host()}|{request.path}?{_cache_query(request)}".encode()
    return f"page-cache:v3:{hashlib.sha256(raw).hexdigest()}"


def _shown_page(response: HttpResponse) -> Page | None:
    page = (getattr(response, "context_data", None) or {}).get("page")
    return page if isinstance(page, Page) else None


def _page_expiry(response: HttpResponse) -> float | None:
    """The expiry time (epoch) of the Wagtail page a response shows, if it has one."""
    expire_at = getattr(_shown_page(response), "expire_at", None)
    return expire_at.timestamp() if expire_at else None


# This process's copies of the entries it served or stored, most recent last: while the content
# generation is the one an entry is stamped with, it is served without reading (and unpickling)
# it from the shared cache again. Bounded by the size of the pages kept.
LOCAL_MAX_BYTES = 32 * 1024 * 1024
_local: OrderedDict[str, tuple] = OrderedDict()
_local_bytes = 0
_local_lock = threading.Lock()


def _keep_local(key: str, entry: tuple) -> None:
    global _local_bytes
    with _local_lock:
        previous = _local.pop(key, None)
        if previous is not None:
            _local_bytes -= len(previous[2])
        _local[key] = entry
        _local_bytes += len(entry[2])
        while _local_bytes > LOCAL_MAX_BYTES and _local:
            _local_bytes -= len(_local.popitem(last=False)[1][2])


def forget_local_copies() -> None:
    global _local_bytes
    with _local_lock:
        _local.clear()
        _local_bytes = 0


def _local_entry(key: str, generation: int) -> tuple | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
    return entry if entry is not None and entry[5] == generation else None


def _cached_response(
    request: HttpRequest, generation: int
) -> tuple[HttpResponse | None, tuple[str, ...]]:
    """The stored response, if none of what it shows changed since and it has not expired;
    else None and the keys of the fragments the stale one used (read ahead for the render)."""
    cache = _cache()
    key = _key(request)
    cached = _local_entry(key, generation) or cache.get(key)
    if cached is None or len(cached) != 7:
        return None, ()
    status, headers, content, expires_at, built_with, stamped, fragment_keys = cached
    if expires_at <= time.time():
        return None, fragment_keys
    if stamped != generation:
        if not still_holds(built_with, stamped, generation, request):
            return None, fragment_keys
        # Still good after someone else's change: checked once, not on every request.
        cached = (*cached[:5], generation, fragment_keys)
        lifetime = int(expires_at - time.time())
        if lifetime > 0:
            cache.set(key, cached, lifetime)
    _keep_local(key, cached)
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response, fragment_keys


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.PAGE_CACHE_SECONDS
        use_cache = bool(timeout) and _is_cacheable_request(request)
        cache = _cache()
        generation = current_generation() if use_cache else 0
        fragment_keys = ()
        if use_cache:
            request._renouveau_generation = generation  # the fragments' too (fragments.py)
            cached, fragment_keys = _cached_response(request, generation)
            if cached is not None:
                return cached
        collecting = cache_tags.collecting() if use_cache else nullcontext(cache_tags.Collector())
        rendering = _rendering(generation) if use_cache else nullcontext()
        with collecting as shown, rendering as render:
            if render is not None:
                render.prefetch(fragment_keys)
            response = self.get_response(request)
            if hasattr(response, "render") and callable(response.render):
                # Render now: a template that puts a CSRF token in the page says so.
                response = response.render()
        expires = _page_expiry(response)
        if response.cookies or _used_visitor_state(request):
            # Never stored here, nor by a CDN or a shared proxy (even with this cache off):
            # the page holds this visitor's token or session. (Outside the CSRF middleware the
            # request's flag is already reset, but the cookie it set is on the response.)
            add_never_cache_headers(response)
            if render is not None:
                render.finish()
            return response
        # Content published while this response was rendered may be missing from it: store it
        # only if nothing changed in between.
        if (
            not use_cache
            or current_generation() != generation
            or getattr(request, "is_preview", False)
            or not _is_cacheable_response(response, request)
        ):
            if render is not None:
                render.finish()
            return response
        # Never served after the page's own expiry (« expire_at »), whatever the scheduler does,
        # nor after the moment something it shows changes by itself (cache_tags.py).
        expires_at = time.time() + timeout
        for moment in (expires, shown.until):
            if moment is not None:
                expires_at = min(moment, expires_at)
        lifetime = int(expires_at - time.time())
        if lifetime <= 0:
            render.finish(unchanged=True)
            return response
        if _shown_page(response) is None:
            shown.tags.add(ANY_CONTENT)
        built_with = cache_tags.versions(shown.tags)  # the fragments' tags among them
        render.finish(built_with, unchanged=True)  # the generation was checked above
        patch_cache_control(response, public=True, max_age=min(60, lifetime))
        headers = [(k, v) for k, v in response.items() if k.lower() != "x-page-cache"]
        content = response.content
        entry = (
            response.status_code, headers, content, expires_at, built_with, generation,
            tuple(sorted(render.used)),
        )  # fmt: skip
        cache.set(_key(request), entry, lifetime)
        _keep_local(_key(request), entry)
        response["X-Page-Cache"] = "miss"
        return response
