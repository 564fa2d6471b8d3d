"""Signed links of a subscriber (double opt-in confirmation, unsubscribe, preferences) and the
list headers every mail carries (RFC 2919 List-Id, RFC 2369/8058 one-click unsubscribe)."""

from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ..addresses import absolute_url
from ..models import Subscriber

CONFIRMATION_MAX_AGE = timedelta(days=7)
_CONFIRM_SALT = "mailing.confirm"
_UNSUBSCRIBE_SALT = "mailing.unsubscribe"


def confirmation_token(subscriber: Subscriber) -> str:
    # Bound to this consent: a new opt-in (new consent_at) invalidates older links.
    stamp = int(subscriber.consent_at.timestamp()) if subscriber.consent_at else 0
    return signing.dumps([subscriber.pk, stamp], salt=_CONFIRM_SALT, compress=True)


def read_confirmation_token(token: str) -> tuple[int, int]:
    """(subscriber id, consent stamp) of a confirmation link; signing.SignatureExpired past
    CONFIRMATION_MAX_AGE, signing.BadSignature (or ValueError, TypeError) if not ours."""
    pk, stamp = signing.loads(
        token, salt=_CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE.total_seconds()
    )
    return pk, stamp


def confirmation_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("mailing:confirm", args=[confirmation_token(subscriber)]))


def unsubscribe_token(subscriber_id: int) -> str:
    """Never expires: an issue received years ago must still unsubscribe its reader."""
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(str(subscriber_id))


def unsubscribe_url(subscriber_id: int) -> str:
    return absolute_url(reverse("mailing:unsubscribe", args=[unsubscribe_token(subscriber_id)]))


def unsubscribe_address() -> str:
    """The address of the List-Unsubscribe mailto: (MAILING_UNSUBSCRIBE_MAILTO or the sender)."""
    address = settings.MAILING_UNSUBSCRIBE_MAILTO or (parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    return address.strip().lower()


def unsubscribe_mailto(subscriber_id: int) -> str:
    return _mailto("desabonnement " + unsubscribe_token(subscriber_id))


def _mailto(subject: str) -> str:
    return f"mailto:{unsubscribe_address()}?subject={quote(subject)}"


def list_id() -> str:
    """The list's identity (RFC 2919): mail clients and filters group and label the letter by
    it, whatever the subject. Derived from SITE_URL's host, so it stays the same for years."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"Renouveau du Bassin Minier <lettre.{host}>"


def list_headers(unsubscribe: str, mailto_subject: str) -> dict[str, str]:
    """RFC 2919 list identity, RFC 2369 + RFC 8058 one-click unsubscribe headers."""
    return {
        "List-Id": list_id(),
        "List-Unsubscribe": f"<{unsubscribe}>, <{_mailto(mailto_subject)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def personal_unsubscribe(subscriber_id: int) -> tuple[str, dict[str, str]]:
    """A subscriber's unsubscribe URL and list headers, their token signed once (per mail)."""
    token = unsubscribe_token(subscriber_id)
    url = absolute_url(reverse("mailing:unsubscribe", args=[token]))
    return url, list_headers(url, "desabonnement " + token)


def subscriber_from_unsubscribe_token(token: str) -> Subscriber | None:
    try:
        pk = int(signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Subscriber.objects.filter(pk=pk).first()


def preferences_url(subscriber_id: int) -> str:
    return absolute_url(reverse("mailing:preferences", args=[unsubscribe_token(subscriber_id)]))
