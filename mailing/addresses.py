"""The bottom of the mailing app: addresses normalised and hashed, and the site's absolute
links in mails. Plain functions over settings only, used by the audience and the delivery."""

from django.conf import settings
from django.utils.crypto import salted_hmac


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_ip(ip: str | None) -> str:
    """A keyed hash of the visitor's IP (proof of consent without keeping the address)."""
    if not ip:
        return ""
    return salted_hmac("mailing.consent-ip", ip, algorithm="sha256").hexdigest()


def address_hash(email: str) -> str:
    """Keyed hash (HMAC-SHA256, MAILING_SUPPRESSION_KEY or SECRET_KEY) of the normalised
    address: what the suppression list keeps of someone who left."""
    key = getattr(settings, "MAILING_SUPPRESSION_KEY", "") or None
    return salted_hmac(
        "mailing.suppression", normalize_email(email), secret=key, algorithm="sha256"
    ).hexdigest()


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
