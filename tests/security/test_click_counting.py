"""Issue 26 item 6: one client cannot inflate a link's click count (once per keyed hash of
IP and user agent, per link and hour), and nothing personal is kept."""

import pytest
from django.core.cache import cache
from django.test import Client

from mailing.delivery.links import link_token, track_links
from mailing.models import Campaign, TrackedLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def url():
    campaign = Campaign.objects.create(
        subject="Essai",
        html='<a href="https://www.example.org/cites">La carte des cités</a>',
        text="La carte des cités : https://www.example.org/cites\n",
    )
    track_links(campaign)
    return f"/lettre/l/{link_token(campaign.pk, 1)}/"


def clicks() -> int:
    return TrackedLink.objects.get(position=1).clicks


def test_two_hundred_gets_from_one_client_are_one_click(url):
    client = Client(HTTP_USER_AGENT="robot/1.0")
    for _ in range(200):
        assert client.get(url, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert clicks() == 1
    client.get(url, REMOTE_ADDR="198.51.100.8")  # another reader
    Client(HTTP_USER_AGENT="Firefox").get(url, REMOTE_ADDR="198.51.100.7")  # another device
    assert clicks() == 3


def test_the_cache_keeps_no_address(url):
    Client(HTTP_USER_AGENT="Firefox").get(url, REMOTE_ADDR="198.51.100.7")
    keys = list(cache._cache.keys())  # the local-memory cache of the tests
    assert keys and not any("198.51.100.7" in key or "Firefox" in key for key in keys)
