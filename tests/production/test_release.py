"""The release step and the processes of DEPLOY.md run as documented, behind a TLS proxy."""

import time

from tests.moto import free_port
from tests.production.visitors import request


def test_the_release_commands_succeed(production):
    for name in ("release", "s3_public_media", "load_demo_content", "sync_site_url"):
        result = production.commands[name]
        assert result.returncode == 0, f"{name}:\n{result.stdout}\n{result.stderr}"
    assert "Release done." in production.commands["release"].stdout
    # The tier's own processes (other tests start and stop nodes of their own: a restored web
    # node, a second scheduler, a web node refused before the release).
    names = {"web", "worker", "web-2", "worker-2", "nginx"}
    own = [process for process in production.processes if process.name in names]
    assert {process.name for process in own} == names, [p.name for p in production.processes]
    assert all(process.alive() for process in own), production.logs()


def test_the_map_page_serves_the_front_end_packages_the_release_installed(production):
    # DEPLOY.md's old steps never ran npm: the Leaflet stylesheet had no manifest entry, 500.
    cites = request(production.site_url + "/cites/")
    assert cites.status == 200, cites.text[:2000]
    assert "/static/vendor/leaflet/leaflet." in cites.text


def test_a_web_process_refuses_to_start_before_the_release(production, tmp_path):
    """The Procfile's web line on a node whose static files were never collected: it exits
    with the reason instead of answering 500 on every page."""
    env = {"STATIC_ROOT": str(tmp_path), "PORT": str(free_port())}
    web = production.start_procfile("web-unreleased", "web", env=env)
    deadline = time.monotonic() + 120
    while web.alive() and time.monotonic() < deadline:
        time.sleep(0.5)
    log = web.log.read_text(errors="replace")
    assert not web.alive(), log[-3000:]
    assert "Refusing to serve before the release step" in log
    assert "collectstatic" in log


def test_the_site_answers_over_https_through_the_proxy(production):
    home = request(production.site_url + "/")
    assert home.status == 200, home.text[:2000]
    assert "Renouveau du Bassin Minier" in home.text
    assert "max-age=" in home.header("Strict-Transport-Security")
    # The static files the page links to are served (whitenoise, manifest names).
    assert "/static/" in home.text
    health = request(production.site_url + "/healthz")
    assert health.status == 200


def test_the_deployment_runs_without_debug_and_with_secure_cookies(production):
    missing = request(production.site_url + "/cette-page-n-existe-pas/")
    assert missing.status == 404
    assert "URLconf" not in missing.text and "Traceback" not in missing.text
    form = request(production.site_url + "/lettre/abonnement/")
    cookie = next(
        (c for c in form.headers.get_all("Set-Cookie") or [] if c.startswith("csrftoken=")), ""
    )
    assert "Secure" in cookie, form.headers.get_all("Set-Cookie")
