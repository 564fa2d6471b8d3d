"""The release step and the processes of DEPLOY.md run as documented, behind a TLS proxy."""

from tests.production.visitors import request


def test_the_release_commands_succeed(production):
    for name in (
        "migrate",
        "collectstatic",
        "s3_public_media",
        "load_demo_content",
        "sync_site_url",
    ):
        result = production.commands[name]
        assert result.returncode == 0, f"manage.py {name}:\n{result.stdout}\n{result.stderr}"
    assert all(process.alive() for process in production.processes), production.logs()


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
