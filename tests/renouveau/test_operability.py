"""Operability: what production refuses to start without, the request id, the health report."""

import gzip
import http.server
import io
import json
import logging
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

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
        timeout=180,
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


# --- Observability: request id, JSON logs without e-mail addresses, Sentry, /healthz ---


@pytest.fixture
def json_log():
    """What the production console handler writes (JSON lines, request id, redaction)."""
    from renouveau.logs import JsonFormatter, RequestIdFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


@pytest.mark.django_db
def test_each_request_has_an_id_in_its_logs_and_no_email_address(client, json_log):
    response = client.get("/lettre/inconnu/lecteur.mineur+cite@example.org/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [entry] = [e for e in json_log() if e["logger"] == "django.request"]
    assert entry["request_id"] == request_id
    assert entry["level"] == "WARNING"
    assert entry["message"] == "Not Found: /lettre/inconnu/[e-mail]/"
    assert "example.org" not in json.dumps(json_log())


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_a_forged_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-5f0c2a9e71d4"})
    assert kept["X-Request-ID"] == "nginx-5f0c2a9e71d4"
    forged = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert forged["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(forged["X-Request-ID"]) == 32


class _Collector(http.server.BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.bodies.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_errors_reach_sentry_when_a_dsn_is_set_without_email_addresses():
    """The real SDK, initialised by the production settings, posts its envelope to a local
    collector standing for sentry.io."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        code = (
            "import sys, logging; sys.path.insert(0, 'site'); import django; django.setup()\n"
            "import sentry_sdk\n"
            "logging.getLogger('mailing').error('Envoi refusé pour lecteur@example.org')\n"
            "sentry_sdk.flush(5)\n"
        )
        dsn = f"http://0123456789abcdef@127.0.0.1:{server.server_port}/42"
        env = {**PRODUCTION_ENV, "SINGLE_PROCESS": "1", "SENTRY_DSN": dsn}
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        server.shutdown()
    received = b"".join(_Collector.bodies).decode()
    assert "Envoi refus" in received and "pour [e-mail]" in received, received[:2000]
    assert "lecteur@example.org" not in received


def test_without_sentry_errors_are_mailed_to_admins():
    code = (
        "import sys; sys.path.insert(0, 'site'); import django; django.setup()\n"
        "from django.conf import settings; print(settings.ADMINS)\n"
    )
    admins = "Équipe web <web@example.org>, Astreinte <astreinte@example.org>"
    env = {**PRODUCTION_ENV, "SINGLE_PROCESS": "1", "ADMINS": admins}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "('Équipe web', 'web@example.org'), ('Astreinte', 'astreinte@example.org')" in (
        result.stdout
    )
    env["SENTRY_DSN"] = "http://0123456789abcdef@127.0.0.1:9/42"
    with_sentry = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert with_sentry.stdout.strip() == "[]", with_sentry.stderr[-3000:]


@pytest.mark.django_db
def test_healthz_reports_every_part_and_fails_monitoring_when_background_is_late(client):
    from renouveau.heartbeats import beat

    response = client.get("/healthz")
    assert response.status_code == 200  # the node serves: the load balancer keeps it
    report = response.json()
    assert report["status"] == "degraded"
    assert (report["database"], report["cache"], report["storage"]) == ("ok", "ok", "ok")
    assert report["scheduler"] == {"status": "missing"}
    assert report["worker"] == {"status": "missing"}
    assert client.get("/healthz?all=1").status_code == 503  # monitoring is told

    beat("scheduler", "node-1:12")
    beat("worker", "node-2:34")
    response = client.get("/healthz?all=1")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"
    assert response.json()["queue"] == {"status": "ok", "lag_seconds": 0}

    from renouveau.models import Heartbeat

    Heartbeat.objects.filter(process="worker").update(at=timezone.now() - timedelta(hours=1))
    report = client.get("/healthz").json()
    assert report["worker"]["status"] == "late" and report["worker"]["age_seconds"] >= 3600
