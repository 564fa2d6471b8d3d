"""Operability: what production refuses to start without, the request id, the health report."""

import subprocess
import sys

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
