"""The visitor's address behind our proxies: rate limits and consent proofs count visitors, not
the load balancer (issue 11, item 6)."""

import pytest
from django.test import RequestFactory

from renouveau.client_ip import client_ip

PROXY = "10.0.0.5"


def request(forwarded: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_peer_is_the_visitor(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request("203.0.113.9")) == PROXY  # a forged header changes nothing


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # The visitor forged a first entry; our proxy appended the real address last.
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # CDN then load balancer: the visitor is the second address from the right.
        (2, "1.2.3.4, 198.51.100.7, 130.176.0.1", "198.51.100.7"),
        # Fewer entries than proxies, or garbage: fall back on the peer.
        (2, "198.51.100.7", PROXY),
        (1, "not-an-address", PROXY),
        (1, "[2001:db8::1]:4711", "2001:db8::1"),
    ],
)
def test_trusted_proxies_are_counted_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(forwarded)) == expected


@pytest.mark.django_db
def test_subscription_rate_limit_counts_each_visitor_behind_the_proxy(settings, client, home_page):
    """Behind one load balancer, one visitor's eleventh try is refused; another visitor still
    gets through."""
    from django.core.cache import cache

    cache.clear()
    settings.TRUSTED_PROXY_COUNT = 1
    settings.MAILING_SUBSCRIBE_RATE_PER_IP = "3/h"

    def subscribe(visitor: str, number: int):
        return client.post(
            "/lettre/abonnement/",
            {"email": f"personne{number}@example.org", "consent": "on"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=visitor,
        )

    codes = [subscribe("198.51.100.7", n).status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]
    assert subscribe("203.0.113.20", 9).status_code == 302
    cache.clear()
