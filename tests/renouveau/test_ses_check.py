"""Issue 11 item 7: `check --deploy` says when the SES sender identity is not verified (moto)."""

import pytest
from django.core.checks import run_checks

pytestmark = pytest.mark.django_db


def _ses_warnings() -> list:
    return [
        message
        for message in run_checks(tags=["mail"], include_deployment_checks=True)
        if message.id == "renouveau.W001"
    ]


def test_deploy_check_warns_when_the_ses_sender_is_not_verified(ses, settings):
    assert _ses_warnings() == []  # the `ses` fixture verified the sender
    ses.reset()  # moto forgets every identity
    [warning] = _ses_warnings()
    assert "contact@renouveaubassinminier.fr" in warning.msg and "pas vérifiée" in warning.msg
    assert "create-email-identity" in warning.hint
    # A verified domain is enough.
    ses.verify_sender("renouveaubassinminier.fr")
    assert _ses_warnings() == []
    # Only deployment checks ask SES, and only when mail goes through SES.
    ses.reset()
    assert [m for m in run_checks(tags=["mail"]) if m.id == "renouveau.W001"] == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert _ses_warnings() == []


def test_an_unreachable_ses_is_logged_but_reported_as_no_issue(ses, monkeypatch, caplog):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    assert [m for m in _all() if m.id.startswith("renouveau.")] == []
    assert "SES sender identity not checked" in caplog.text


def _all() -> list:
    return run_checks(tags=["mail"], include_deployment_checks=True)
