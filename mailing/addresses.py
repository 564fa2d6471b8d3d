"""The bottom of the mailing app: what the suppression list keeps of an address, and the
generic address helpers (site/renouveau/addresses.py) the audience and the delivery use."""

from django.conf import settings
from django.utils.crypto import salted_hmac

from renouveau.addresses import absolute_url, hash_ip, normalize_email

__all__ = ["absolute_url", "address_hash", "hash_ip", "normalize_email"]


def address_hash(email: str) -> str:
    """Keyed hash (HMAC-SHA256, MAILING_SUPPRESSION_KEY or SECRET_KEY) of the normalised
    address: what the suppression list keeps of someone who left."""
    key = settings.MAILING_SUPPRESSION_KEY or None
    return salted_hmac(
        "mailing.suppression", normalize_email(email), secret=key, algorithm="sha256"
    ).hexdigest()
