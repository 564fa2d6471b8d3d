"""Operability: what production refuses to start without, the request id, the health report."""

import json
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.subprocesses import ROOT

PRODUCTION_ENV = {
    "PATH": "/usr/bin:/bin",
    "DJANGO_SETTINGS_MODULE": "renouveau.settings.production",
    "SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
    "ALLOWED_HOSTS": "renouveaubassinminier.fr",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
}


def _load_production_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "import sys; sys.path.insert(0, 'site'); import renouveau.settings.production"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_a_per_process_cache_unless_single_process_is_said():
    refused = _load_production_settings({})
    assert refused.returncode != 0
    assert "shared cache" in refused.stderr and "REDIS_URL" in refused.stderr
    assert _load_production_settings({"SINGLE_PROCESS": "1"}).returncode == 0
    with_redis = _load_production_settings({"REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert with_redis.returncode == 0, with_redis.stderr


def _write_package(root, path: str, version: str) -> None:
    folder = root / path
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text(json.dumps({"version": version}))


def test_the_release_installs_npm_packages_unless_they_match_the_lock(tmp_path):
    from renouveau.release import npm_packages_match_lock

    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "site"},
            "node_modules/leaflet": {"version": "1.9.4"},
            "node_modules/a/node_modules/b": {"version": "2.0.0"},
        },
    }
    (tmp_path / "package-lock.json").write_text(json.dumps(lock))
    assert not npm_packages_match_lock(tmp_path)  # nothing installed (DEPLOY.md's old steps)
    _write_package(tmp_path, "node_modules/leaflet", "1.9.4")
    _write_package(tmp_path, "node_modules/a/node_modules/b", "1.0.0")
    assert not npm_packages_match_lock(tmp_path)  # an older version left behind
    _write_package(tmp_path, "node_modules/a/node_modules/b", "2.0.0")
    assert npm_packages_match_lock(tmp_path)


@pytest.mark.django_db
def test_web_processes_refuse_to_start_before_the_release(settings, tmp_path):
    from django.db.migrations.recorder import MigrationRecorder

    from renouveau.release import refuse_unreleased

    settings.REQUIRE_RELEASE = True
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with pytest.raises(ImproperlyConfigured, match="collectstatic"):
        refuse_unreleased()
    (tmp_path / "staticfiles.json").write_text("{}")
    refuse_unreleased()  # released: no error

    # A deploy that brought a migration the database has not had yet.
    MigrationRecorder.Migration.objects.filter(app="renouveau").order_by("-id")[:1].get().delete()
    with pytest.raises(ImproperlyConfigured, match=r"1 migration\(s\) not applied"):
        refuse_unreleased()
    settings.REQUIRE_RELEASE = False  # development and tests never wait for a release
    refuse_unreleased()
