"""No address in a URL that access logs keep: the short sign-up forms of cacheable pages POST the
address to a page that only pre-fills the full form."""

import re

import pytest

pytestmark = pytest.mark.django_db


def forms_with_an_address(html: str) -> list[tuple[str, str]]:
    """(method, action) of each form holding an e-mail field."""
    found = []
    for form in re.findall(r"<form\b.*?</form>", html, flags=re.S):
        if re.search(r'<input[^>]*type="email"', form):
            method = re.search(r'method="(\w+)"', form)
            action = re.search(r'action="([^"]*)"', form)
            found.append(((method.group(1) if method else "get").lower(), action.group(1)))
    return found


def test_every_form_with_an_address_posts_it(client, cites):
    lemay, _ = cites
    for url in ("/", lemay.url, "/lettre/abonnement/", f"/lettre/suivre/{lemay.pk}/"):
        forms = forms_with_an_address(client.get(url).content.decode())
        assert forms, url
        assert {method for method, _ in forms} == {"post"}, (url, forms)


def test_the_short_forms_lead_to_the_full_form_prefilled(client, cites):
    lemay, _ = cites
    page = client.post("/lettre/abonnement/commencer/", {"email": "claire@example.org"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="claire@example.org"' in html
    assert 'name="consent"' in html  # nothing recorded yet: consent is asked here
    followed = client.post(f"/lettre/suivre/{lemay.pk}/commencer/", {"email": "c@example.org"})
    assert 'value="c@example.org"' in followed.content.decode()
    # The address typed in a URL is not echoed back (nothing invites a GET with it).
    assert (
        "claire@example.org"
        not in client.get("/lettre/abonnement/?email=claire@example.org").content.decode()
    )
