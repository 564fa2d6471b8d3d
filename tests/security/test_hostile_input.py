"""Issue 26 item 9: hostile input on every public form, token URL and webhook: never a 5xx,
nothing reflected unescaped. (The inbound mail parser has its property test next door.)"""

import pytest
from django.core.cache import cache

from tests.documents.conftest import library, make_document  # noqa: F401

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("https://attaquant.example")',
    "\x00\r\nBcc: autre@example.org",
    "é" * 5000,
    "%00%0d%0a' OR 1=1 --",
    "{{ settings.SECRET_KEY }}{% debug %}",
]
FIELDS = ["email", "name", "first_name", "organisation", "purpose", "q", "message", "profile"]


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def targets(home_page, make_document, library):  # noqa: F811
    from tests.pages import contact_form

    contact_form(home_page, to_address="equipe@example.org")
    document = make_document("Référentiel", on_request=True)
    return [
        ("post", "/lettre/abonnement/"),
        ("get", "/lettre/abonnement/"),
        ("post", f"/ressources/demande/{document.pk}/"),
        ("post", "/contact/"),
        ("get", "/recherche/"),
        ("get", "/recherche/suggestions/"),
        ("get", "/cites/"),
        ("post", "/ressources/ses-entrant/"),
        ("post", "/lettre/ses-notifications/"),
    ]


def assert_safe(response):
    assert response.status_code < 500, response.status_code
    body = response.content.decode("utf-8", "replace")
    assert SCRIPT not in body and "onerror=alert(1)>" not in body
    from django.conf import settings

    assert settings.SECRET_KEY not in body  # no template evaluated from input


@pytest.mark.parametrize("payload", PAYLOADS)
def test_public_forms_and_webhooks_survive_hostile_input(client, targets, payload):
    data = dict.fromkeys(FIELDS, payload)
    for method, url in targets:
        if method == "get":
            assert_safe(client.get(url, data))
        else:
            assert_safe(client.post(url, data))
            assert_safe(client.post(url, payload, content_type="text/plain"))


@pytest.mark.parametrize("token", [SCRIPT, "a" * 3000, "..%2f..%2fetc%2fpasswd", "1.2:x"])
def test_token_urls_survive_hostile_tokens(client, token):
    from urllib.parse import quote

    for prefix in (
        "/lettre/confirmation/",
        "/lettre/desabonnement/",
        "/lettre/preferences/",
        "/lettre/l/",
        "/lettre/suivi/",
        "/ressources/telecharger/",
    ):
        assert_safe(client.get(f"{prefix}{quote(token, safe='')}/"))
