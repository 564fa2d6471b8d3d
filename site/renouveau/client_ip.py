"""The visitor's IP address, as seen through the trusted reverse proxies in front of the site.

Behind a load balancer every request comes from the proxy's address; the visitor's address is
in X-Forwarded-For, which anyone can also forge. Only the entries appended by our own proxies
are trustworthy: with `TRUSTED_PROXY_COUNT = n`, the visitor is the n-th address from the right
(each proxy appends the address it received the request from). Rate limits, consent proofs and
admin login throttling all read the address here.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [::1]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 1.2.3.4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR with no trusted proxy, else from X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come through all of them (a direct hit
        # on a worker, or a misconfigured proxy). The nearest address we can trust is the peer.
        return remote
    return _valid_ip(forwarded[-proxies]) or remote
