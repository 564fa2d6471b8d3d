"""How the tests reach the deployment: a small HTTP client (no cookie jar, no redirects unless
asked, any 127.x.y.z source address, so each request can be another visitor), scripted form
posts, polling, and readers of the mails moto_server captured."""

from __future__ import annotations

import http.client
import secrets
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit


def unverified_ssl_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


# --- A small HTTP client: no cookie jar, no redirects unless asked, any source address ---------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def cookies(self) -> dict[str, str]:
        jar = {}
        for value in self.headers.get_all("Set-Cookie") or []:
            pair = value.split(";", 1)[0]
            if "=" in pair:
                key, _, val = pair.partition("=")
                jar[key.strip()] = val.strip()
        return jar


def request(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    source: str | None = None,
    follow: bool = False,
    timeout: float = 30,
) -> Response:
    """One HTTP(S) request; `source` binds the client address (any 127.x.y.z is this machine),
    so requests through nginx come from distinct visitors."""
    for _ in range(10):
        parts = urlsplit(url)
        source_address = (source, 0) if source else None
        if parts.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname,
                parts.port or 443,
                timeout=timeout,
                context=unverified_ssl_context(),
                source_address=source_address,
            )
        else:
            connection = http.client.HTTPConnection(
                parts.hostname, parts.port or 80, timeout=timeout, source_address=source_address
            )
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        try:
            connection.request(method, path, body=body, headers=headers or {})
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read(), url)
        finally:
            connection.close()
        location = response.header("Location")
        if follow and response.status in (301, 302, 303, 307, 308) and location:
            next_url = (
                location if "://" in location else f"{parts.scheme}://{parts.netloc}{location}"
            )
            if response.status in (301, 302, 303):
                method, body = "GET", None
            url = next_url
            continue
        return response
    raise AssertionError(f"too many redirects from {url}")


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.5, message: str = ""):
    """Poll `predicate` until it returns something truthy, and return that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s: {message}")
        time.sleep(interval)


def mails_to(moto_server, address: str, *, count: int = 1, timeout: float = 60) -> list:
    """The messages SES (moto) captured for `address`, once there are `count` of them."""

    def received():
        found = [m for m in moto_server.messages() if address in (m["To"] or "")]
        return found if len(found) >= count else None

    return wait_for(received, timeout=timeout, message=f"{count} mail(s) to {address}")


def text_part(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(("html",)).get_content()


def scripted_post(
    url: str, fields: dict[str, str], *, source: str | None = None, forged: str | None = None
) -> Response:
    """A form POST from a script: its own CSRF cookie and token, Origin and Referer, as a
    browser would send them (no page fetched first, so no page cache involved)."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    token = secrets.token_hex(16)  # a CSRF secret: 32 characters
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={token}",
        "Origin": origin,
        "Referer": url,
    }
    if forged:
        headers["X-Forwarded-For"] = forged
    body = urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    return request(url, method="POST", headers=headers, body=body, source=source)


def scripted_subscription(site_url: str, source: str, email: str, forged: str | None = None) -> int:
    """The subscription form sent from `source` (a 127.x.y.z address); returns the status."""
    url = f"{site_url}/lettre/abonnement/"
    fields = {"email": email, "consent": "on"}
    return scripted_post(url, fields, source=source, forged=forged).status
