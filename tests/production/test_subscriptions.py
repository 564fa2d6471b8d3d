"""Issue 11, item 1: subscribing works for every visitor once the page cache is on.

Each visitor is a fresh, cookieless browser going through nginx; pages are served from the
shared Redis page cache by either gunicorn worker.
"""

import re
import secrets

from playwright.sync_api import expect

from tests.production.visitors import mails_to, request, text_part

CONFIRMATION_LINK = re.compile(r"https?://\S+/lettre/confirmation/\S+/")


def _address(name: str) -> str:
    return f"{name}.{secrets.token_hex(4)}@example.org"


def subscribe(page, url: str, email: str):
    """Fill and send the (first) subscription form of `url`; returns the page's response."""
    response = page.goto(url)
    assert response.status == 200, f"GET {url} → {response.status}"
    form = page.locator("form.subscription-form").first
    form.get_by_label("Adresse électronique").fill(email)
    form.get_by_label(re.compile("J’accepte de recevoir")).check()
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.get_by_role("button", name="S’abonner").click()
    assert posted.value.status == 302, f"POST from {url} → {posted.value.status}"
    expect(page.locator("h1")).to_have_text("Vérifiez votre messagerie")
    return response


def confirmation_link(moto_server, email: str) -> str:
    [mail] = mails_to(moto_server, email)
    link = CONFIRMATION_LINK.search(text_part(mail))
    assert link, text_part(mail)
    return link.group(0)


def test_two_visitors_subscribe_from_the_same_cached_page(production, moto_server, visitor):
    for path in ("/lettre/", "/lettre/abonnement/"):
        url = production.site_url + path
        # Anonymous traffic (crawlers, earlier visitors) has put the page in the cache.
        request(url)
        request(url)

        first, second = _address("premiere"), _address("seconde")
        subscribe(visitor(), url, first)
        subscribe(visitor(), url, second)

        for email in (first, second):
            assert confirmation_link(moto_server, email).startswith(production.site_url + "/")
            [(status,)] = production.sql(
                "SELECT status FROM mailing_subscriber WHERE email = %s", (email,)
            )
            assert status == "pending"


def test_a_link_scanner_does_not_spoil_the_confirmation(production, moto_server, visitor):
    email = _address("scannee")
    subscribe(visitor(), production.site_url + "/lettre/abonnement/", email)
    link = confirmation_link(moto_server, email)

    # The recipient's mail provider fetches every link first (no cookies, no JavaScript).
    for _ in range(2):
        scanned = request(link)
        assert scanned.status == 200, scanned.text[:1000]
    [(status,)] = production.sql("SELECT status FROM mailing_subscriber WHERE email = %s", (email,))
    assert status == "pending"  # opening the link is not confirming

    page = visitor()
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Confirmer votre abonnement")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Je confirme mon abonnement").click()
    assert posted.value.status == 200, f"confirmation POST → {posted.value.status}"
    expect(page.locator("h1")).to_have_text("Abonnement confirmé")
    [(status,)] = production.sql("SELECT status FROM mailing_subscriber WHERE email = %s", (email,))
    assert status == "confirmed"
