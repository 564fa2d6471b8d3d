"""Issue 23 item 7: the admin in French wherever a French editor looks (login page included),
no « Root », « Connexions bloquées » in the Wagtail admin (not the Django admin), no Gravatar."""

import re
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.utils import timezone

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r">\s*(Password|Username|Sign in|Dashboard|Log out|Settings|Root)\s*<")


def labels(html: str) -> list[str]:
    found = re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    return [re.sub(r"<[^>]+>|\*", "", label).strip() for label in found]


@pytest.mark.parametrize("accept", ["fr-FR,fr;q=0.9", "en-GB,en;q=0.9", ""])
def test_the_login_page_is_in_french_whatever_the_browser_asks(client, accept):
    html = unescape(client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=accept).content.decode())
    assert '<html lang="fr"' in html
    assert labels(html)[:2] == ["Nom d’utilisateur", "Mot de passe"]
    assert "Password" not in html and not ENGLISH.search(html)
    assert "S'identifier" in html or "S’identifier" in html


@pytest.fixture
def editor(client, django_user_model):
    """A communications officer: an editor, not a superuser."""
    user = django_user_model.objects.create_user(
        "redactrice", "redactrice@example.org", "pw", first_name="Claire"
    )
    user.groups.add(Group.objects.get(name="Rédacteurs"))
    client.force_login(user)
    return client


def test_the_admin_home_and_explorer_are_in_french_without_gravatar(editor, home_page):
    home = unescape(editor.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert '<html lang="fr"' in home and "Tableau de bord" in home
    assert not ENGLISH.search(home), ENGLISH.search(home)
    assert "gravatar" not in home.lower()
    account = unescape(editor.get("/admin/account/").content.decode())
    assert "gravatar" not in account.lower()

    explorer = unescape(editor.get("/admin/pages/").content.decode())
    assert "Racine" in explorer and "Root" not in explorer
    images = unescape(editor.get("/admin/images/multiple/add/").content.decode())
    assert "Root" not in images


def test_blocked_logins_are_listed_and_unlocked_in_the_wagtail_admin(admin_client, editor):
    attempt = AccessAttempt.objects.create(
        username="claire",
        ip_address="203.0.113.7",
        user_agent="Firefox",
        get_data="",
        post_data="",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    home = unescape(admin_client.get("/admin/").content.decode())
    # The menu (the sidebar's data): the entry leads to the Wagtail view.
    assert "/admin/connexions-bloquees/" in home
    assert "/django-admin/" not in home and "axes" not in home
    page = unescape(admin_client.get("/admin/connexions-bloquees/").content.decode())
    assert 'id="lockouts"' in page and "claire" in page and "Bloquée" in page

    response = admin_client.post("/admin/connexions-bloquees/", {"attempt": str(attempt.pk)})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert admin_client.post("/admin/connexions-bloquees/", {"attempt": "x"}).status_code == 302

    # Superusers only.
    assert editor.get("/admin/connexions-bloquees/").status_code in (302, 403)
