"""E-mail addresses and visitors' IPs as every app that records a person keeps them (mailing,
webinar registrations): addresses normalised, IPs only as a keyed hash, links absolute."""

from django.conf import settings
from django.utils.crypto import salted_hmac


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_ip(ip: str | None) -> str:
    """A keyed hash of the visitor's IP (proof of consent without keeping the address). The salt
    keeps its first owner's name (the mailing app): hashes already recorded stay comparable."""
    if not ip:
        return ""
    return salted_hmac("mailing.consent-ip", ip, algorithm="sha256").hexdigest()


def absolute_url(path: str) -> str:
    """A path of the site as a link in a mail (SITE_URL in front)."""
    return f"{settings.SITE_URL}{path}"
