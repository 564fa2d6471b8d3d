"""A web worker's first request as fast as its hundredth.

gunicorn loads the application once in its master (`--preload`, gunicorn_conf.py): there this
module renders the home page and one live page of each type, so that the code, the compiled
templates, the URL resolver, Wagtail's and Django's in-process caches (content types, sites) and
the shared fragments are ready before the workers are forked and share them; then it closes the
database connections, which a forked worker must never share. Each worker then opens its own
database and cache connections before its first request (`connect`).
"""

import io
import logging
import sys
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections
from django.db.models import Min
from wagtail.models import Page

logger = logging.getLogger(__name__)
BUDGET_SECONDS = 5.0  # a larger site warms what it can in that time; start-up stays short
# A parameter no page reads: the page cache neither serves nor stores these renders.
QUERY = "demarrage=1"


def _host() -> str:
    """A host name the site accepts (ALLOWED_HOSTS), its own if it can."""
    own = urlsplit(settings.SITE_URL).hostname or "localhost"
    allowed = [host for host in settings.ALLOWED_HOSTS if host != "*"]
    if not allowed or any(own == h or (h.startswith(".") and own.endswith(h)) for h in allowed):
        return own
    return allowed[0].lstrip(".")


def _paths() -> list[str]:
    """The home page, then the first live page of every page type (two queries)."""
    firsts = (
        Page.objects.live()
        .filter(depth__gt=1)
        .values("content_type")
        .annotate(first=Min("path"))
        .values_list("first", flat=True)
    )
    paths = ["/"]
    for page in Page.objects.filter(path__in=list(firsts)).order_by("depth", "path"):
        url = page.get_url()
        path = urlsplit(url).path if url else None
        if path and path not in paths:
            paths.append(path)
    return paths


def _get(application, path: str, host: str) -> int:
    status = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": QUERY,
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "HTTP_HOST": host,
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    body = application(environ, lambda line, _headers, _exc_info=None: status.append(line))
    try:
        b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0]) if status else 0


def warm_up(application, budget: float = BUDGET_SECONDS) -> int:
    """Render the site's main pages once in this (master) process, then close its database
    connections; the number of pages rendered. A failure is logged, never raised: the site
    starts all the same."""
    started = time.monotonic()
    rendered = 0
    try:
        host = _host()
        _get(application, "/", host)  # the home page whatever the budget
        rendered = 1
        for path in _paths()[1:]:
            if time.monotonic() - started > budget:
                break
            _get(application, path, host)
            rendered += 1
    except Exception:
        logger.exception("warm-up stopped")
    finally:
        connections.close_all()
    logger.info("warm-up: %d pages in %.2f s", rendered, time.monotonic() - started)
    return rendered


def connect() -> None:
    """In a freshly forked worker: its own database and cache connections, now rather than
    during its first request."""
    try:
        connection.ensure_connection()
        caches["default"].get("warm-up")
    except Exception:
        logger.exception("warm-up connections failed")  # the first request will retry
