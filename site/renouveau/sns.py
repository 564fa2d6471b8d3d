"""Amazon SNS over HTTPS: verify message signatures and confirm subscriptions.

Any app that receives SNS notifications (SES bounces/complaints, SES inbound mail) goes through
these functions; they are plain and framework-light so a view only has to do::

    try:
        message = parse_sns_message(request.body)
        verify_sns_message(message, topic_arns=settings.MY_TOPIC_ARNS)
    except SNSVerificationError:
        return HttpResponseBadRequest()
    if message["Type"] == "SubscriptionConfirmation":
        confirm_subscription(message)
    elif message["Type"] == "Notification":
        ...  # message["Message"] is the payload (a JSON string for SES)

Settings (all optional):

- ``SNS_CERT_HOST_PATTERN``: regular expression the host of ``SigningCertURL`` and
  ``SubscribeURL`` must fully match. Default: ``sns.<region>.amazonaws.com`` (and ``.com.cn``).
- ``SNS_CERT_URL_SCHEMES``: allowed URL schemes, default ``["https"]``. Only tests, serving their
  own certificate from a local HTTP server, add ``"http"``.
- ``SNS_CERT_CACHE_SECONDS``: how long a fetched certificate is cached (default one day).
- ``SNS_CERT_FAILURE_CACHE_SECONDS``: how long a failed certificate fetch is remembered (default
  60 s): forged messages naming a known topic cannot make the site fetch again and again.
- ``SNS_MAX_MESSAGE_AGE``: refuse messages whose ``Timestamp`` is older (seconds, default one
  hour: replays) or more than five minutes in the future.

``SigningCertURL`` must also have the path AWS uses, ``/SimpleNotificationService-<id>.pem``.
Views read the body with ``read_sns_body``, which refuses (413) anything larger than an SNS
message can be before reading it.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CERT_PATH_PATTERN = r"/SimpleNotificationService-[A-Za-z0-9-]+\.pem"
MAX_CERT_BYTES = 64 * 1024
FETCH_TIMEOUT_SECONDS = 5
MAX_FUTURE_SKEW_SECONDS = 300
# An SNS message is at most 256 KiB; the JSON envelope (signature, URLs, escaping) adds a little.
MAX_BODY_BYTES = 256 * 1024 + 16 * 1024
_FAILED = "failed"

# The keys that make up the signed string, in the order AWS documents, per message type.
_NOTIFICATION_KEYS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
_SUBSCRIPTION_KEYS = (
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
)
SIGNED_KEYS: dict[str, tuple[str, ...]] = {
    "Notification": _NOTIFICATION_KEYS,
    "SubscriptionConfirmation": _SUBSCRIPTION_KEYS,
    "UnsubscribeConfirmation": _SUBSCRIPTION_KEYS,
}
_HASHES = {"1": hashes.SHA1, "2": hashes.SHA256}

# Parsed certificates of this process, by URL (the PEM text is also in Django's cache).
_certificates: dict[str, x509.Certificate] = {}
_failed_urls: set[str] = set()  # whose failure may be in the cache (to forget in tests)
_certificates_lock = threading.Lock()


class SNSVerificationError(Exception):
    """The message is not a genuine, well-formed SNS message; the caller answers 400/403."""


class SNSBodyTooLarge(SNSVerificationError):
    """The request body is larger than any SNS message: answer 413 without reading it."""


def read_sns_body(request: Any, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body of a Django request SNS posted, refused before reading when too large."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise SNSBodyTooLarge("Corps de requête trop volumineux pour un message SNS.")
    body = request.read(limit + 1)
    if len(body) > limit:
        raise SNSBodyTooLarge("Corps de requête trop volumineux pour un message SNS.")
    return body


def parse_sns_message(body: bytes | str) -> dict[str, Any]:
    """Decode the JSON body SNS posts; raise SNSVerificationError if it is not an SNS message."""
    try:
        message = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SNSVerificationError("Le corps n'est pas du JSON valide.") from exc
    if not isinstance(message, dict) or message.get("Type") not in SIGNED_KEYS:
        raise SNSVerificationError("Ce n'est pas un message SNS.")
    return message


def string_to_sign(message: Mapping[str, Any]) -> bytes:
    """The canonical "Key\\nValue\\n" string SNS signs, for the message's type."""
    keys = SIGNED_KEYS.get(str(message.get("Type")))
    if keys is None:
        raise SNSVerificationError("Type de message SNS inconnu.")
    parts: list[str] = []
    for key in keys:
        if key not in message:
            if key == "Subject":  # the only optional signed key
                continue
            raise SNSVerificationError(f"Champ SNS manquant : {key}.")
        value = message[key]
        if not isinstance(value, str):
            raise SNSVerificationError(f"Champ SNS invalide : {key}.")
        parts.append(f"{key}\n{value}\n")
    return "".join(parts).encode()


def check_sns_url(url: str) -> str:
    """Return `url` if it is on an allowed SNS host and scheme, else raise SNSVerificationError.

    Used for both SigningCertURL and SubscribeURL, so a forged message can neither supply its own
    certificate nor make the site fetch an arbitrary URL.
    """
    if not isinstance(url, str) or not url:
        raise SNSVerificationError("URL SNS manquante.")
    parts = urlsplit(url)
    schemes = [s.lower() for s in settings.SNS_CERT_URL_SCHEMES]
    pattern = settings.SNS_CERT_HOST_PATTERN
    if parts.scheme.lower() not in schemes:
        raise SNSVerificationError("L'URL SNS doit être en HTTPS.")
    host = parts.hostname or ""
    if parts.username or parts.password or not re.fullmatch(pattern, host):
        raise SNSVerificationError("L'URL SNS n'est pas sur un hôte SNS autorisé.")
    return url


def _signing_cert_url(message: Mapping[str, Any]) -> str:
    # HTTP(S) deliveries say SigningCertURL; Lambda events say SigningCertUrl.
    return message.get("SigningCertURL") or message.get("SigningCertUrl") or ""


def _fetch(url: str, *, limit: int = MAX_CERT_BYTES) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "renouveau-sns/1"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
            data = response.read(limit + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SNSVerificationError("Impossible de récupérer l'URL SNS.") from exc
    if len(data) > limit:
        raise SNSVerificationError("Réponse SNS trop volumineuse.")
    return data


def check_cert_url(url: str) -> str:
    """An allowed SNS URL (check_sns_url) whose path is AWS's certificate file name."""
    check_sns_url(url)
    parts = urlsplit(url)
    if parts.query or parts.fragment or not re.fullmatch(CERT_PATH_PATTERN, parts.path):
        raise SNSVerificationError("L'URL du certificat SNS n'a pas la forme attendue.")
    return url


def get_certificate(url: str) -> x509.Certificate:
    """The signing certificate at `url` (checked first), from the caches or fetched once.

    A failed fetch (or an unreadable certificate) is remembered for a short while: a flood of
    forged messages costs one outbound request per URL and period, not one each."""
    check_cert_url(url)
    with _certificates_lock:
        certificate = _certificates.get(url)
    if certificate is not None:
        return certificate
    cache_key = f"sns-cert:{url}"
    failure_seconds = settings.SNS_CERT_FAILURE_CACHE_SECONDS
    pem = cache.get(cache_key)
    if pem == _FAILED:
        raise SNSVerificationError("Certificat SNS indisponible (échec récent).")
    try:
        if pem is None:
            pem = _fetch(url)
        certificate = x509.load_pem_x509_certificate(pem)
    except (SNSVerificationError, ValueError) as exc:
        cache.set(cache_key, _FAILED, failure_seconds)
        with _certificates_lock:
            _failed_urls.add(url)
        if isinstance(exc, SNSVerificationError):
            raise
        raise SNSVerificationError("Certificat SNS illisible.") from exc
    cache.set(cache_key, pem, settings.SNS_CERT_CACHE_SECONDS)
    with _certificates_lock:
        _certificates[url] = certificate
    return certificate


def clear_certificate_cache() -> None:
    """Forget the certificates of this process (tests; a rotated certificate keeps its URL)."""
    with _certificates_lock:
        urls = [*_certificates, *_failed_urls]
        _certificates.clear()
        _failed_urls.clear()
    cache.delete_many([f"sns-cert:{url}" for url in urls])


def _parse_timestamp(value: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SNSVerificationError("Horodatage SNS invalide.") from exc
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def verify_sns_message(
    message: Mapping[str, Any], *, topic_arns: Iterable[str] | None = None
) -> None:
    """Check that `message` was signed by SNS; raise SNSVerificationError otherwise.

    SignatureVersion 1 (SHA1withRSA) and 2 (SHA256withRSA) are accepted. If `topic_arns` is
    given, the message's TopicArn must be one of them (checked before any network access).
    """
    if topic_arns is not None and message.get("TopicArn") not in set(topic_arns):
        raise SNSVerificationError("Sujet SNS non attendu.")
    version = str(message.get("SignatureVersion", ""))
    hash_class = _HASHES.get(version)
    if hash_class is None:
        raise SNSVerificationError("Version de signature SNS non prise en charge.")
    try:
        signature = base64.b64decode(str(message.get("Signature", "")), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SNSVerificationError("Signature SNS mal encodée.") from exc
    if not signature:
        raise SNSVerificationError("Signature SNS manquante.")
    data = string_to_sign(message)

    max_age = settings.SNS_MAX_MESSAGE_AGE
    if max_age:
        age = datetime.now(UTC) - _parse_timestamp(str(message.get("Timestamp", "")))
        if age.total_seconds() > max_age:
            raise SNSVerificationError("Message SNS trop ancien.")
        if age.total_seconds() < -MAX_FUTURE_SKEW_SECONDS:
            raise SNSVerificationError("Message SNS daté du futur.")

    certificate = get_certificate(_signing_cert_url(message))
    now = datetime.now(UTC)
    if not (certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc):
        raise SNSVerificationError("Certificat SNS expiré ou pas encore valide.")
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SNSVerificationError("Clé du certificat SNS inattendue.")
    try:
        public_key.verify(signature, data, padding.PKCS1v15(), hash_class())
    except InvalidSignature as exc:
        raise SNSVerificationError("Signature SNS invalide.") from exc


def confirm_subscription(message: Mapping[str, Any]) -> None:
    """Confirm a (verified) SubscriptionConfirmation by visiting its SubscribeURL.

    Call verify_sns_message() first; the URL is checked again against the allowed SNS hosts so
    that the site never fetches an address chosen by a third party.
    """
    if message.get("Type") != "SubscriptionConfirmation":
        raise SNSVerificationError("Ce n'est pas une demande de confirmation d'abonnement.")
    url = check_sns_url(str(message.get("SubscribeURL", "")))
    _fetch(url)
    logger.info("SNS subscription confirmed for %s", message.get("TopicArn"))
