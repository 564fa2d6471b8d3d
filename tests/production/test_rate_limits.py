"""Issue 11, item 6: behind the proxy, rate limits and consent proofs use the visitor's own
address (the one nginx appends to X-Forwarded-For), not the proxy's, and a forged
X-Forwarded-For does not buy a fresh allowance.

Loopback is 127.0.0.0/8: requests bound to 127.0.0.5 and 127.0.0.6 reach nginx from two
different client addresses, as two visitors would."""

import secrets

from tests.production.visitors import scripted_subscription as subscribe
from tests.production.visitors import wait_for

HASH = """
import json
from mailing.addresses import hash_ip
from mailing.models import Subscriber
subscriber = Subscriber.objects.get(email={email!r})
print(json.dumps(subscriber.consent_ip_hash == hash_ip({ip!r})))
"""


def test_subscriptions_are_limited_per_visitor_not_per_proxy(production):
    site = production.site_url
    statuses = [
        subscribe(site, "127.0.0.5", f"v5.{n}.{secrets.token_hex(3)}@example.org", f"10.9.8.{n}")
        for n in range(11)
    ]
    # Ten per hour for one visitor, whatever X-Forwarded-For they make up.
    assert statuses[:10] == [302] * 10, statuses
    assert statuses[10] == 429, statuses

    # Another visitor behind the same proxy is not blocked, and their consent proof is theirs.
    email = f"v6.{secrets.token_hex(3)}@example.org"
    assert subscribe(site, "127.0.0.6", email) == 302
    # The worker records the subscription (record_subscription task).
    wait_for(
        lambda: production.sql("SELECT 1 FROM mailing_subscriber WHERE email = %s", (email,)),
        timeout=60,
        message=f"{email} recorded",
    )
    assert production.shell(HASH.format(email=email, ip="127.0.0.6")) is True
