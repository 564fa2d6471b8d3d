"""Backups that have been restored (issue 27): `manage.py backup` on the running deployment,
`manage.py restore` into a new database, and a web node on the restored database serves the
same pages as the original."""

import re
from urllib.parse import urlsplit

import psycopg

from tests.moto import free_port
from tests.production.visitors import request, wait_for

LINKS = re.compile(r'href="([^"#?]+)')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _page(port: int, path: str, host: str) -> tuple[int, str, list[str]]:
    """Straight to a gunicorn, as the proxy would ask: its status, title and links."""
    response = request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": host, "X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.9"},
    )
    title = TITLE.search(response.text)
    return (
        response.status,
        title.group(1).strip() if title else "",
        sorted(set(LINKS.findall(response.text))),
    )


def test_a_backup_restored_into_a_new_database_serves_the_same_pages(production, tmp_path):
    made = production.manage("backup", "--output", str(tmp_path / "backup"))
    assert made.returncode == 0, made.stdout + made.stderr
    assert "database.dump" in made.stdout

    restored = production.database_url.rsplit("/", 1)[0] + "/" + _restored_name(production)
    admin_url = production.database_url.rsplit("/", 1)[0] + "/postgres"
    name = _restored_name(production)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {"DATABASE_URL": restored}
        result = production.manage("restore", str(tmp_path / "backup"), env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert " 0 missing" in result.stdout, result.stdout

        # A second node on the restored database, with its own cache (a shared one would
        # answer from the original's pages).
        port = free_port()
        node = production.start_procfile(
            "web-restored",
            "web",
            env={**env, "PORT": str(port), "REDIS_URL": production.redis_url[:-1] + "9"},
        )
        host = urlsplit(production.site_url).netloc
        wait_for(
            lambda: _answers(port, host),
            timeout=120,
            message=f"the restored node never answered:\n{node.log.read_text()[-3000:]}",
        )
        sitemap = request(production.site_url + "/sitemap.xml").text
        paths = [urlsplit(url).path for url in re.findall(r"<loc>(.*?)</loc>", sitemap)]
        assert len(paths) >= 10
        for path in ["/", "/cites/", *paths[:12]]:
            original = _page(production.gunicorn_port, path, host)
            assert original[0] == 200, path
            assert _page(port, path, host) == original, path
        node.stop()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _answers(port: int, host: str) -> bool:
    try:
        return _page(port, "/healthz", host)[0] == 200
    except OSError:
        return False


def _restored_name(production) -> str:
    return production.database_url.rsplit("/", 1)[1] + "_restored"
