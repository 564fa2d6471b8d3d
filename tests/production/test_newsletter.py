"""Issue 11, items 2 and 3: a campaign created and sent by the real worker, with media on S3,
reaches subscribers with links that all work, and none that expire; one-click unsubscribe.
"""

import html
import re
import secrets
from urllib.parse import urlsplit

import pytest

from tests.production.visitors import html_part, mails_to, request, text_part

EXPIRING = re.compile(r"X-Amz-|Signature=|Expires=|AWSAccessKeyId=", re.IGNORECASE)

CREATE_SUBSCRIBERS = """
import json
from django.utils import timezone
from mailing.models import Subscriber
for email in {emails!r}:
    Subscriber.objects.create(
        email=email, status=Subscriber.Status.CONFIRMED, consent_at=timezone.now(),
        confirmed_at=timezone.now(), consent_source="production tests",
        consent_text_version="tests",
    )
print(json.dumps(True))
"""

SEND_ISSUE = """
import json
from mailing.delivery import Segment, create_campaign, start_campaign
from newsletter.models import NewsletterIssuePage
issue = NewsletterIssuePage.objects.live().filter(number=2).first().specific
campaign = create_campaign(issue, Segment())
start_campaign(campaign)
print(json.dumps({"campaign": campaign.pk, "recipients": campaign.recipient_count}))
"""


def links_of(message) -> dict[str, set[str]]:
    """Every URL of the delivered message, by where it appears."""
    body = html_part(message)
    attributes = {html.unescape(v) for v in re.findall(r'(?:href|src)="([^"]+)"', body)}
    images = {html.unescape(v) for v in re.findall(r'<img[^>]+src="([^"]+)"', body)}
    text = set(re.findall(r"https?://[^\s<>\"')\]]+", text_part(message)))
    headers = set(re.findall(r"<(https?://[^>]+)>", message["List-Unsubscribe"] or ""))
    return {
        "html": {u for u in attributes if not u.startswith(("mailto:", "tel:", "#"))},
        "images": images,
        "text": text,
        "headers": headers,
    }


@pytest.fixture(scope="module")
def delivered(production, moto_server) -> dict:
    """Issue N°2 sent by the worker to two new confirmed subscribers: {address: message}."""
    emails = [f"lectrice.{secrets.token_hex(4)}@example.org" for _ in range(2)]
    production.shell(CREATE_SUBSCRIBERS.format(emails=emails))
    # With media on S3: the issue's images are frozen into the bucket (item 3).
    sent = production.shell(SEND_ISSUE)
    assert sent["recipients"] >= 2
    return {email: mails_to(moto_server, email, timeout=90)[0] for email in emails}


def test_a_campaign_reaches_subscribers_with_links_that_work(production, moto_server, delivered):
    site = urlsplit(production.site_url).netloc
    moto = urlsplit(moto_server.url).netloc
    problems = []
    for mail in delivered.values():
        links = links_of(mail)
        everything = set().union(*links.values())
        assert everything, "no link at all in the mail"
        read_online = re.search(r'<a href="([^"]+)"[^>]*>Lire en ligne</a>', html_part(mail))
        if not read_online or not read_online.group(1).startswith(production.site_url + "/"):
            found = read_online.group(1) if read_online else None
            problems.append(f"« Lire en ligne » is not on SITE_URL: {found}")
        wrong_host = sorted(
            u
            for u in everything
            if urlsplit(u).netloc not in (site, moto)
            or (urlsplit(u).netloc == site and not u.startswith(production.site_url + "/"))
        )
        if wrong_host:
            problems.append(f"links neither on SITE_URL nor on the media storage: {wrong_host}")
        if not links["images"]:
            problems.append("no image in the issue")
        expiring = sorted(u for u in links["images"] if EXPIRING.search(u))
        if expiring:
            problems.append(f"image URLs that expire: {expiring}")
        broken = {}
        for url in sorted(everything):
            try:
                status = request(url, follow=True).status
            except OSError as error:
                status = repr(error)
            if status != 200:
                broken[url] = status
        if broken:
            problems.append(f"links that do not answer 200: {broken}")
        if problems:
            break  # the second recipient's mail has the same links
    assert not problems, "\n".join(problems)


def test_one_click_unsubscribe_from_the_mail_headers(production, delivered):
    """RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the https address."""
    emails = list(delivered)
    mail = delivered[emails[0]]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [https_url] = links_of(mail)["headers"]
    assert https_url.startswith(production.site_url + "/")
    response = request(
        https_url,
        method="POST",
        body=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200, response.text[:2000]
    rows = production.sql(
        "SELECT email, status FROM mailing_subscriber WHERE email = ANY(%s)", (emails,)
    )
    assert dict(rows) == {emails[0]: "unsubscribed", emails[1]: "confirmed"}
