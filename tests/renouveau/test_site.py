"""Site-wide endpoints, error pages, uploads and production settings."""

import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.subprocesses import ROOT


@pytest.mark.django_db
def test_unknown_url_gets_the_french_404_page(home_page, client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert '<html lang="fr">' in html


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable():
    # A real process whose database is a closed port: no mock of the connection.
    code = (
        "import os,sys; sys.path.insert(0,'site'); import django; django.setup();"
        "from django.test import Client; r=Client().get('/healthz');"
        "print(r.status_code, r.json()['database'])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "renouveau.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["503", "unreachable"], result.stderr[-2000:]


@pytest.mark.django_db
def test_robots_and_sitemap(home_page, client):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert b"<urlset" in sitemap.content


@pytest.mark.django_db
def test_public_pages_carry_security_headers(home_page, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.django_db
def test_svg_uploads_are_refused():
    from wagtail.images.forms import get_image_form

    from renouveau.models import SiteImage

    form_class = get_image_form(SiteImage)
    svg = SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>")
    form = form_class(data={"title": "Logo"}, files={"file": svg})
    assert not form.is_valid()
    assert "file" in form.errors


def _production_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "renouveau.settings.production",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_to_start_without_their_variables():
    result = _production_check({})
    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL" in result.stderr

    result = _production_check(
        {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org", "DATABASE_URL": "sqlite:///db"}
    )
    assert result.returncode != 0
    assert "real database" in result.stderr


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = _production_check(
        {
            "SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
            "ALLOWED_HOSTS": "renouveaubassinminier.fr",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            # The documented production set-up (DEPLOY.md): SES events through this set.
            "AWS_SES_CONFIGURATION_SET": "renouveau-evenements",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
