"""Campaign report without tracking, in a real browser: a campaign goes out through moto's SES,
a reader opens one of its links in a browser of their own (no cookie, no session), the address
carries nothing about them, and staff see the click counted in the report."""

import re

import pytest
from playwright.sync_api import expect

from mailing.audience.tokens import unsubscribe_token
from mailing.delivery.links import read_token
from mailing.models import Subscriber
from tests.e2e.axe import assert_accessible
from tests.mailing.conftest import make_subscribers

pytestmark = pytest.mark.e2e


@pytest.fixture
def site_on_live_server(live_server, settings):
    """Links in mails point at this server."""
    settings.SITE_URL = live_server.url


def test_a_click_is_counted_without_identifying_the_reader(
    site_on_live_server, live_server, letter, ses, settings, browser, page, admin_login
):
    from django.core.cache import cache
    from wagtail.models import Site

    from mailing.delivery import Segment, create_campaign, run_batch, start_campaign

    settings.MAILING_MAX_SEND_RATE = 0
    host, port = live_server.url.split("//")[1].split(":")
    Site.objects.filter(is_default_site=True).update(hostname=host, port=int(port))
    cache.clear()  # Wagtail's site root paths: the issue's own address is on this server too
    readers = make_subscribers(2, prefix="lectrice.e2e")
    campaign = create_campaign(letter, Segment())
    start_campaign(campaign)
    while run_batch(campaign.pk, enqueue_next=False).claimed:
        pass

    tracked = re.compile(re.escape(live_server.url) + r"/lettre/l/[^\s\"'<>]+/")
    mails = {m["To"]: m for m in ses.messages()}
    links = {
        reader.email: tracked.findall(mails[reader.email].get_body(("html",)).get_content())
        for reader in readers
    }
    # Every reader's mail carries the very same links: nothing in them can tell readers apart.
    assert links[readers[0].email] == links[readers[1].email] and links[readers[0].email]
    link = links[readers[0].email][0]
    reader = Subscriber.objects.get(email=readers[0].email)
    token = link.removeprefix(f"{live_server.url}/lettre/l/").rstrip("/")
    assert read_token(token) == (campaign.pk, 1)  # the signed campaign and place, only
    assert re.fullmatch(rf"{campaign.pk}\.1:[A-Za-z0-9_-]+", token)
    for personal in (reader.email, reader.email.split("@")[0], unsubscribe_token(reader.pk)):
        assert personal not in link
    stored = campaign.links.get(position=1)
    assert stored.clicks == 0

    # The reader's own browser: a fresh context, no cookie, no session.
    reader_context = browser.new_context()
    reader_page = reader_context.new_page()
    response = reader_page.goto(link)
    assert response.ok and reader_page.url == stored.url  # on to the page
    redirect = response.request.redirected_from.response()
    assert redirect.status == 302
    headers = redirect.all_headers()
    assert headers["referrer-policy"] == "no-referrer" and "set-cookie" not in headers
    assert "no-store" in headers["cache-control"]
    assert not any(c["domain"] in live_server.url for c in reader_context.cookies())
    reader_context.close()
    stored.refresh_from_db()
    assert stored.clicks == 1

    # Staff open the report from the campaign page and see that click.
    admin_login(page)
    page.goto(f"{live_server.url}/admin/mailing/campagne/{campaign.pk}/")
    page.get_by_role("link", name=re.compile("Rapport de la campagne")).click()
    expect(page.locator("h1")).to_contain_text("Rapport de la campagne")
    expect(page.locator('#report-links tr[data-position="1"] td.clicks')).to_have_text("1")
    expect(page.locator('#report-links tr[data-position="2"] td.clicks')).to_have_text("0")
    sent = page.locator("#report-measures tr", has_text="Envoyés").locator("td").first
    expect(sent).to_have_text(str(campaign.recipient_count))
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/campaign-report.png", full_page=True)

    page.goto(f"{live_server.url}/admin/mailing/campagnes/comparer/")
    expect(page.locator("#compare-table")).to_contain_text(campaign.subject)
    assert_accessible(page)
    page.screenshot(path="/tmp/campaign-compare.png", full_page=True)
