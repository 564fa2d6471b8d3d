"""Logs keep no address and no personal token: gunicorn's access lines (the Procfile's logger
class) and the site's own log lines."""

import logging
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from mailing.audience.tokens import unsubscribe_token
from renouveau.logs import GunicornLogger, TextFormatter

ROOT = Path(__file__).resolve().parents[2]


def access_line(tmp_path, raw_uri: str) -> str:
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = GunicornLogger(config)
    path, _, query = raw_uri.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": raw_uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=5))
    for handler in logger.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text()


def test_the_procfile_web_process_uses_the_redacting_logger():
    procfile = (ROOT / "Procfile").read_text()
    assert "--logger-class renouveau.logs.GunicornLogger" in procfile


def test_access_lines_mask_addresses_and_personal_tokens(tmp_path):
    token = unsubscribe_token(12)
    line = access_line(tmp_path, f"/lettre/desabonnement/{token}/?cite=3")
    assert token not in line and "/lettre/desabonnement/[jeton]/" in line
    line = access_line(tmp_path, "/lettre/abonnement/?email=claire%40example.org&source=%2F")
    assert "claire" not in line and "[e-mail]" in line


@pytest.mark.django_db
def test_django_log_lines_mask_tokens(client, caplog):
    token = "999999:AAAAAAAAAAAAAAAAAAAAAAAAAAA"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/lettre/preferences/{token}/?from=jean.dupont@example.org")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    line = TextFormatter("%(message)s").format(record)
    assert token not in line and "jean.dupont" not in line
    assert "/lettre/preferences/[jeton]/" in line
