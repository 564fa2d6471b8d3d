"""A cache of anonymous public pages, invalidated whenever published content changes.

Django's own cache middleware keys entries by URL and Vary headers, which cannot be invalidated
when an editor publishes; here every key carries a "generation" number that Wagtail's publish,
unpublish, delete and move signals (and saving the site settings) increment, so the next
request after any change renders fresh content everywhere (listings, home page, menus).

Never cached: authenticated users (and anyone carrying a session cookie), previews, non-GET
requests, responses that set a cookie (pages with a CSRF-protected form), that vary on Cookie
because of a session, that are private/no-store, or that are not a 200.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

GENERATION_KEY = "page-cache:generation"
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/healthz", "/static/", "/media/")


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def current_generation() -> int:
    return _cache().get_or_set(GENERATION_KEY, 1, timeout=None)


def invalidate_page_cache(**_kwargs) -> None:
    """Forget every cached page (connected to Wagtail's content signals)."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted: any new value differs from the old entries'
        cache.set(GENERATION_KEY, 2, timeout=None)


def _is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # a logged-in editor (userbar, drafts) or a visitor with messages
    return not getattr(request, "is_preview", False)


def _is_cacheable_response(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _key(request: HttpRequest, generation: int) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}".encode()
    return f"page-cache:{generation}:{hashlib.sha256(raw).hexdigest()}"


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.PAGE_CACHE_SECONDS
        if not timeout or not _is_cacheable_request(request):
            return self.get_response(request)
        cache = _cache()
        generation = current_generation()
        key = _key(request, generation)
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        # Content published while this response was rendered may be missing from it: store it
        # only if nothing changed in between.
        unchanged = current_generation() == generation
        if (
            unchanged
            and _is_cacheable_response(response)
            and not getattr(request, "is_preview", False)
        ):
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            patch_cache_control(response, public=True, max_age=60)
            headers = [(k, v) for k, v in response.items() if k.lower() != "x-page-cache"]
            cache.set(key, (response.status_code, headers, response.content), timeout)
            response["X-Page-Cache"] = "miss"
        return response
