"""Backups an operator can restore: a dump of the database plus an inventory of the media and
documents (`manage.py backup`), and their restore into an empty database, checked against the
inventory (`manage.py restore`).

The files themselves are not copied: on S3 the bucket keeps them (versioning on, DEPLOY.md), and
the inventory (names, sizes, checksums) says which ones the restored database expects; locally,
copy MEDIA_ROOT and PRIVATE_MEDIA_ROOT with the dump. The database password is handed to
pg_dump/pg_restore through the environment, never on a command line.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
INVENTORY = "media-inventory.json"
MANIFEST = "manifest.json"
STORAGE_ALIASES = ("default", "documents")


class BackupError(Exception):
    pass


def _pg_command(program: str, params: dict) -> tuple[list[str], dict[str, str]]:
    args = [program, "-h", str(params.get("HOST") or "127.0.0.1")]
    args += ["-p", str(params.get("PORT") or 5432), "-U", str(params.get("USER") or "postgres")]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def dump_database(directory: Path, alias: str = "default") -> str:
    connection = connections[alias]
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_command("pg_dump", params)
        args += ["-Fc", "--no-owner", "--no-privileges", "-f", str(directory / DUMP)]
        result = subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
            [*args, str(params["NAME"])], env=env, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return DUMP
    if connection.vendor == "sqlite":
        with (
            sqlite3.connect(params["NAME"]) as source,
            sqlite3.connect(directory / SQLITE_COPY) as target,
        ):
            source.backup(target)  # a consistent copy, even while the site writes
        return SQLITE_COPY
    raise BackupError(f"no backup for the {connection.vendor} database")


def restore_database(directory: Path, alias: str = "default") -> None:
    """Into the configured database, which must be empty (a new one, as after a loss)."""
    connection = connections[alias]
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        if "django_migrations" in connection.introspection.table_names():
            raise BackupError(f"the database {params['NAME']} is not empty: restore into a new one")
        connection.close()
        args, env = _pg_command("pg_restore", params)
        args += ["--no-owner", "--no-privileges", "--exit-on-error", "-d", str(params["NAME"])]
        result = subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
            [*args, str(directory / DUMP)], env=env, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    if connection.vendor == "sqlite":
        connection.close()
        shutil.copyfile(directory / SQLITE_COPY, params["NAME"])
        return
    raise BackupError(f"no restore for the {connection.vendor} database")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def storage_files(alias: str) -> dict[str, dict]:
    """Every file of a storage: name → size and checksum (S3's ETag, or SHA-256 locally)."""
    storage = storages[alias]
    files: dict[str, dict] = {}
    if hasattr(storage, "bucket"):  # django-storages' S3: one listing, no request per file
        prefix = f"{storage.location.strip('/')}/" if storage.location else ""
        for summary in storage.bucket.objects.filter(Prefix=prefix):
            name = summary.key[len(prefix) :]
            files[name] = {"size": summary.size, "etag": summary.e_tag.strip('"')}
        return files
    root = Path(storage.location)
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            files[str(path.relative_to(root))] = {
                "size": path.stat().st_size,
                "sha256": _sha256(path),
            }
    return files


def inventory() -> dict[str, dict[str, dict]]:
    return {alias: storage_files(alias) for alias in STORAGE_ALIASES}


def applied_migrations(alias: str = "default") -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).migration_qs.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def backup(directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    files = inventory()
    database = dump_database(directory)
    (directory / INVENTORY).write_text(json.dumps(files, indent=1, sort_keys=True))
    manifest = {
        "made_at": timezone.now().isoformat(),
        "site_url": settings.SITE_URL,
        "database": database,
        "migrations": applied_migrations(),
        "files": {alias: len(names) for alias, names in files.items()},
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


@dataclass
class MediaCheck:
    listed: int
    missing: list[str]
    changed: list[str]


def check_media(directory: Path) -> MediaCheck:
    """The files the backup listed, compared with what the storages hold now."""
    listed = json.loads((directory / INVENTORY).read_text())
    missing, changed, count = [], [], 0
    for alias, files in listed.items():
        present = storage_files(alias)
        for name, meta in files.items():
            count += 1
            if name not in present:
                missing.append(f"{alias}:{name}")
            elif present[name] != meta:
                changed.append(f"{alias}:{name}")
    return MediaCheck(listed=count, missing=missing, changed=changed)


def restore(directory: Path) -> MediaCheck:
    if not (directory / MANIFEST).exists():
        raise BackupError(f"{directory} holds no backup ({MANIFEST} missing)")
    restore_database(directory)
    return check_media(directory)
