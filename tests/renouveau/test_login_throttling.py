"""Issue 12 item 5, issue 26 item 1: admin login throttling (django-axes), per (username,
client IP) with a per-IP backstop."""

from html import unescape

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db

WAGTAIL_LOGIN = "/admin/login/"
DJANGO_LOGIN = "/django-admin/login/"
PASSWORD = "mot-de-passe-correct-2026"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("equipe", "equipe@example.org", PASSWORD)


def login(client, username, password, url=WAGTAIL_LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


@pytest.mark.parametrize("url", [WAGTAIL_LOGIN, DJANGO_LOGIN])
def test_wrong_passwords_in_a_row_lock_the_account_then_the_right_one_fails_too(
    client, staff, settings, url
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "equipe", "mauvais", url).status_code == 200  # the form again
    response = login(client, "equipe", "mauvais", url)
    assert response.status_code == 429
    response = login(client, "equipe", PASSWORD, url)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Connexion temporairement bloquée" in page and "15 minutes" in page
    assert not logged_in(client)


def test_a_guesser_elsewhere_cannot_lock_the_real_user_out(client, staff, settings):
    """Issue 26 item 1: wrong passwords for « equipe » from other addresses lock those pairs
    only; the real user logs in from their own address."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "equipe", "mauvais", REMOTE_ADDR="198.51.100.7")
    assert login(client, "equipe", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    for index in range(settings.AXES_FAILURE_LIMIT):
        login(client, "equipe", "mauvais", REMOTE_ADDR=f"198.51.100.{10 + index}")
    response = login(client, "equipe", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302 and logged_in(client)


def test_the_client_ip_behind_the_proxy_is_locked_whatever_the_username(
    client, staff, settings, django_user_model
):
    """The backstop: one address spraying passwords over many usernames is locked (only it)."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_IP_FAILURE_LIMIT = 8
    django_user_model.objects.create_superuser("autre", "autre@example.org", PASSWORD)
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for index in range(settings.AXES_IP_FAILURE_LIMIT):
        login(client, f"essai{index}", "x", HTTP_X_FORWARDED_FOR="192.0.2.66", **proxy)
    # That visitor is locked out, even with a right password for another account…
    response = login(client, "autre", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.66", **proxy)
    assert response.status_code == 429
    # …while another visitor behind the same proxy is not.
    response = login(client, "autre", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.77", **proxy)
    assert response.status_code == 302 and logged_in(client)


def test_staff_can_unlock_an_account(client, staff, settings, django_user_model):
    """Another superuser unlocks the pair from the Wagtail admin (« Connexions bloquées »),
    reached from the settings menu; the locked person then logs in."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "equipe", "mauvais")
    assert login(client, "equipe", PASSWORD).status_code == 429
    colleague = Client()
    django_user_model.objects.create_superuser("collegue", "collegue@example.org", PASSWORD)
    colleague.force_login(django_user_model.objects.get(username="collegue"))
    # The Wagtail admin shows superusers the way to the lockouts list.
    # (the sidebar is JSON: accents are escaped there)
    menu = colleague.get("/admin/").content.decode()
    assert "Connexions bloqu\\u00e9es" in menu or "Connexions bloquées" in menu
    assert "/admin/connexions-bloquees/" in menu
    listing = unescape(colleague.get("/admin/connexions-bloquees/").content.decode())
    assert "equipe" in listing and "Bloquée" in listing
    attempt = AccessAttempt.objects.get(username="equipe")
    response = colleague.post("/admin/connexions-bloquees/", {"attempt": str(attempt.pk)})
    assert response.status_code == 302
    assert login(client, "equipe", PASSWORD).status_code == 302
    assert logged_in(client)
