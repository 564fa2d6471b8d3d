"""A web worker's first request nearly as fast as its hundredth, with nothing read from the
content.

gunicorn loads the application once in its master (`preload_app`, gunicorn_conf.py). There
`load_code()` imports the apps' modules, builds the URL resolver, compiles every template and
packs the StreamField block definitions the editors' forms hand the admin (editor_blocks), so
that the forked workers share them instead of each paying for them on its first request. It
reads neither the database nor the cache: a master started before the release step or before the
content existed (a first deploy) must not hand its workers a stale view of either. The first
warm-up rendered pages in the master, and such workers answered 500 and gave pages without URLs
(issue 32); this one refuses every query it would make, and its test proves it makes none.
"""

import importlib
import logging
import pkgutil
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver

from . import editor_blocks

logger = logging.getLogger(__name__)

# Never imported in a web process: tests, data loaders that need the demo group's packages,
# commands, migrations (the migrate command loads those), and the entry points gunicorn loads.
SKIPPED_MODULES = ("tests", "migrations", "management", "demo", "conftest", "wsgi", "asgi")
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".mjml", ".ics", ".svg", ".js", ".json")


class QueryRefused(RuntimeError):
    """A warm-up step tried to read the database: it must only load code."""


def _refuse(execute, sql, params, many, context):
    raise QueryRefused(sql[:80])


def _app_modules() -> list[str]:
    names = []
    for config in apps.get_app_configs():
        module = config.module
        if not hasattr(module, "__path__") or "site-packages" in str(config.path):
            continue  # Django's and Wagtail's own modules load with the apps and URLs
        for info in pkgutil.walk_packages(module.__path__, module.__name__ + "."):
            parts = info.name.split(".")
            if not any(part.startswith(SKIPPED_MODULES) for part in parts):
                names.append(info.name)
    return names


def _template_names() -> list[tuple[object, str]]:
    found = []
    for engine in engines.all():
        folders = list(engine.template_dirs)
        for folder in folders:
            root = Path(folder)
            if "site-packages" in str(root) and "wagtail" not in str(root):
                continue  # third-party templates our pages never use
            for path in root.rglob("*"):
                if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                    found.append((engine, path.relative_to(root).as_posix()))
    return found


def load_code() -> dict[str, int]:
    """Import, resolve and compile in this process; counts of what was loaded and what could
    not be (logged, never raised: the site starts all the same)."""
    started = time.monotonic()
    counts = {"modules": 0, "templates": 0, "failed": 0, "block trees": 0}
    wrappers = [connections[alias].execute_wrapper(_refuse) for alias in connections]
    for wrapper in wrappers:
        wrapper.__enter__()
    try:
        for name in _app_modules():
            try:
                importlib.import_module(name)
                counts["modules"] += 1
            except Exception:  # an optional dependency missing here: not the web's concern
                counts["failed"] += 1
                logger.warning("warm-up: module %s not loaded", name, exc_info=True)
        get_resolver().url_patterns  # noqa: B018 (builds the resolver and imports the views)
        get_resolver()._populate()
        for engine, name in _template_names():
            try:
                engine.get_template(name)  # the cached loader keeps the compiled template
                counts["templates"] += 1
            except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
                counts["failed"] += 1  # a partial, a static file named like a template
        try:  # the editors' language is the site's: the admin offers no other
            counts["block trees"] = editor_blocks.pack_all(settings.LANGUAGE_CODE)
        except Exception:  # a block reading content at packing: the worker packs it
            logger.warning("warm-up: block definitions not packed", exc_info=True)
    finally:
        for wrapper in reversed(wrappers):
            wrapper.__exit__(None, None, None)
        connections.close_all()  # none should be open; a forked worker opens its own
    logger.info(
        "warm-up: %(modules)d modules, %(templates)d templates, %(block trees)d block trees, "
        "%(failed)d skipped",
        counts,
        extra={"seconds": round(time.monotonic() - started, 2)},
    )
    return counts
