"""Click counting without tracking: links rewritten once at creation to a signed redirect that
counts clicks per link (no subscriber identifier), the same for every recipient; a link that
shows its address kept; the privacy pages say so. The report itself: test_report.py."""

import re

import pytest
from django.test import Client
from wagtail.models import Page

from mailing.delivery.links import link_token, track_links
from mailing.models import Campaign, TrackedLink
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER
from tests.mailing.conftest import handmade_campaign, make_subscribers, send

pytestmark = pytest.mark.django_db

TRACKED = re.compile(r"https?://[^\s\"'<>]+/lettre/l/(\d+)\.(\d+):[\w-]+/")


# --- Rewriting ---


def test_every_content_link_is_rewritten_once_and_subscription_links_are_left(settings):
    campaign = handmade_campaign(settings)
    track_links(campaign)

    links = list(
        TrackedLink.objects.filter(campaign=campaign).values_list("position", "url", "label")
    )
    assert links == [
        (1, "https://www.example.org/cites?a=1&b=2", "La carte des cités"),
        (2, f"{settings.SITE_URL}/actualites/", "Photo du chantier"),  # an image's alt text
        (3, "https://www.example.org/cites?a=1&b=2", "Encore la carte"),  # same URL, own place
        (4, "https://www.example.org/formule", '=HYPERLINK("http://x.example")'),
        (5, "https://www.example.org/texte", "Seulement dans le texte"),  # text part only
    ]
    campaign.refresh_from_db()
    hrefs = re.findall(r"""href=["']([^"']*)""", campaign.html)
    assert [TRACKED.fullmatch(h).groups() for h in hrefs[:3]] == [
        (str(campaign.pk), "1"),
        (str(campaign.pk), "2"),
        (str(campaign.pk), "3"),
    ]
    assert TRACKED.fullmatch(hrefs[4]).groups() == (str(campaign.pk), "4")
    assert [hrefs[3], *hrefs[5:]] == [
        "=HYPERLINK(1)",
        "mailto:contact@example.org",
        "#haut",
        f"{settings.SITE_URL}/lettre/preferences/abc/",
        UNSUBSCRIBE_URL_PLACEHOLDER,
        "https://preferences.invalid/__TOKEN__",
        "http://[::1",
    ]
    assert "example.org/cites" not in campaign.html
    assert 'style="x">La <b>carte</b> des cités</a>' in campaign.html  # the rest is kept
    # The text part: the same address counts for its first place in the HTML.
    lines = campaign.text.splitlines()
    assert TRACKED.search(lines[0]).groups() == (str(campaign.pk), "1")
    assert TRACKED.search(lines[1]).groups() == (str(campaign.pk), "5")
    assert lines[1].endswith("/.")  # the sentence's full stop stays out of the address
    assert lines[2] == f"Se désabonner : {UNSUBSCRIBE_URL_PLACEHOLDER}"


def test_the_sent_mails_carry_the_same_links_for_every_recipient(issue, ses, fast_sending):
    first, second = make_subscribers(2)
    campaign = send(issue)
    archive = issue.get_full_url()
    featured = Page.objects.get(slug="page-mise-en-avant").get_full_url()  # tests/pages.py
    assert list(campaign.links.values_list("position", "url", "label")) == [
        (1, archive, "Lire cette lettre dans votre navigateur"),
        (2, featured, "Lire"),  # the call to action
        (3, featured, "Lire la suite →"),  # the teaser of the same page: a place of its own
        (4, "https://example.org/inscription", "S’inscrire"),  # the webinar's registration
        (5, archive, "Lire en ligne"),
    ]
    found = {}
    for message in ses.messages():
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        assert archive not in html + text and featured not in html + text
        found[message["To"]] = (TRACKED.findall(html), TRACKED.findall(text))
        # The headers and the unsubscribe link stay personal, and untouched.
        unsubscribe = message["List-Unsubscribe"].split(",")[0].strip(" <>")
        assert "/lettre/desabonnement/" in unsubscribe and unsubscribe in html
        assert "/lettre/l/" not in message["List-Unsubscribe"]
    pk = str(campaign.pk)
    assert found[first.email] == found[second.email]
    # In the text part an address counts for its first place in the HTML.
    html_places = [(pk, str(n)) for n in range(1, 6)]
    assert found[first.email] == (html_places, [(pk, n) for n in ("1", "2", "2", "4", "1")])


# --- Redirect ---


def test_the_redirect_counts_the_click_and_goes_to_the_stored_address_only(settings):
    campaign = handmade_campaign(settings)
    track_links(campaign)
    url = f"/lettre/l/{link_token(campaign.pk, 1)}/"
    client = Client()

    for expected in (1, 2):  # two readers (one click per client and hour counts)
        response = client.get(url, REMOTE_ADDR=f"198.51.100.{expected}")
        assert response.status_code == 302
        assert response["Location"] == "https://www.example.org/cites?a=1&b=2"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies and "Set-Cookie" not in response
        assert TrackedLink.objects.get(campaign=campaign, position=1).clicks == expected
    assert client.head(url).status_code == 302  # link checkers: not a click
    assert TrackedLink.objects.get(campaign=campaign, position=1).clicks == 2
    assert client.post(url).status_code == 405
    assert not client.cookies

    token = link_token(campaign.pk, 1)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # bad signature
        token.replace(f"{campaign.pk}.1:", f"{campaign.pk}.2:"),  # another link, same signature
        link_token(campaign.pk, 99),  # signed, but no such link
        "evil.example",
    ]
    for bad in forged:
        response = client.get(f"/lettre/l/{bad}/")
        assert response.status_code == 404, bad
        assert "Lien non valable" in response.content.decode()
    assert list(TrackedLink.objects.order_by("position").values_list("clicks", flat=True)) == [
        2,
        0,
        0,
        0,
        0,
    ]


def test_a_link_that_shows_its_address_keeps_it(settings):
    campaign = Campaign.objects.create(
        subject="Adresses visibles",
        html='<p><a href="https://www.example.org/rapport">www.example.org/rapport</a> et '
        '<a href="https://www.example.org/carte">la carte</a></p>',
        text="",
    )
    track_links(campaign)
    campaign.refresh_from_db()
    # Rewritten, its text would show one site and its target another: what phishing looks like.
    assert '<a href="https://www.example.org/rapport">www.example.org/rapport</a>' in campaign.html
    assert list(TrackedLink.objects.values_list("url", flat=True)) == [
        "https://www.example.org/carte"
    ]
