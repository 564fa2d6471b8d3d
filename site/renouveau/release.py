"""The release step (`manage.py release`, the Procfile's `release:`) and the gate that keeps web
processes from serving before it has run.

A web worker that boots before `collectstatic` answers 500 on every page (WhiteNoise and the
manifest storage index the collected files at start-up), and one that boots before `migrate`
fails on every query of a new column: both are refused at start-up instead, with the reason.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

NPM_CI = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]


def npm_packages_match_lock(root: Path) -> bool:
    """Whether node_modules holds every package of package-lock.json at its locked version."""
    lock = json.loads((root / "package-lock.json").read_text())
    for path, package in lock.get("packages", {}).items():
        if not path:  # the project itself
            continue
        manifest = root / path / "package.json"
        if not manifest.exists():
            return False
        if json.loads(manifest.read_text()).get("version") != package.get("version"):
            return False
    return True


def install_npm_packages(root: Path) -> bool:
    """`npm ci` when node_modules does not match the lock; True when it ran. (npm ci empties
    node_modules first: skipping it when nothing changed keeps a running site's files.)"""
    if npm_packages_match_lock(root):
        return False
    subprocess.run(NPM_CI, cwd=root, check=True)  # noqa: S603 (fixed command)
    return True


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[alias])
    targets = executor.loader.graph.leaf_nodes()
    return [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(targets)]


def static_manifest_missing() -> bool:
    name = getattr(staticfiles_storage, "manifest_name", None)
    return bool(name) and not Path(settings.STATIC_ROOT, name).exists()


def release_problems() -> list[str]:
    problems = []
    if static_manifest_missing():
        problems.append(f"no static files manifest in {settings.STATIC_ROOT} (collectstatic)")
    pending = pending_migrations()
    if pending:
        problems.append(f"{len(pending)} migration(s) not applied, first {pending[0]} (migrate)")
    return problems


def refuse_unreleased() -> None:
    """Called by wsgi/asgi: raise when the release step has not run (REQUIRE_RELEASE)."""
    if not settings.REQUIRE_RELEASE:
        return
    problems = release_problems()
    if problems:
        raise ImproperlyConfigured(
            "Refusing to serve before the release step (`honcho start release` or "
            "`manage.py release`): " + "; ".join(problems)
        )
