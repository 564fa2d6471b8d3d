"""Transport: one personalised raw MIME mail per recipient handed to SES v2, at the account's
rate, with throttling and 5xx retried with backoff and every failure classified.

Each mail is assembled by the site's one MIME builder (`renouveau.mime.build_personalised`) from
the issue encoded once per campaign, and sent by the site's one sender (`renouveau.mail.send_raw`):
to SES v2 with one boto3 client shared by the sending threads, or to Django's backend (console in
development). Django's EmailMessage + django-anymail (used before) cost ~5 ms of CPU per 45 kB
issue, and encoding the issue again for each recipient ~2 ms, which made the worker CPU-bound
(bench/send.py). A test send (`test_sends.py`) is built here too, by `campaign_mail`.

What a worker process keeps between batches (the rate limiter, the thread pool, one SES client per
sending thread, MIME skeletons) lives in one `SenderState` object, rebuilt when settings change or
after a fork (an RQ work-horse must not reuse its parent's threads and sockets).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import boto3
from botocore import exceptions as botocore_exceptions
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.mail import get_connection
from django.core.signals import setting_changed
from django.dispatch import receiver

from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER
from renouveau.mail import (
    new_ses_client,
    reply_to_addresses,
    send_raw,
    uses_ses,
)
from renouveau.mime import MimeSkeleton, build_personalised
from renouveau.mime import skeleton as mime_skeleton

from ..audience.tokens import personal_unsubscribe
from ..models import Campaign
from .rate_limit import shared_limiter
from .sections import has_parts, parse_key, splice

logger = logging.getLogger(__name__)


# --- Rate ---


def ses_max_send_rate() -> float | None:
    """The account's maximum rate: MAILING_MAX_SEND_RATE if set (0 = no limit), else SES's
    GetSendQuota (SES v1 API; SES v2's GetAccount gives the same figure)."""
    configured = settings.MAILING_MAX_SEND_RATE  # 0: no limit
    if configured is not None:
        return float(configured) or None
    if not uses_ses():
        return None  # console or test backends: no SES account to protect
    try:
        client = boto3.client("ses", region_name=settings.AWS_REGION)
        try:
            quota = client.get_send_quota()
        finally:
            client.close()
    except (BotoCoreError, ClientError) as exc:
        # Sending will probably fail too, but never faster than SES's sandbox rate.
        logger.warning("SES GetSendQuota failed (%s): sending at 1 message per second", exc)
        return 1.0
    return float(quota["MaxSendRate"]) or None


class RateLimiter:
    """Spaces calls at `rate` per second across threads (no burst beyond one call)."""

    def __init__(self, rate: float | None):
        self.interval = 1.0 / rate if rate else 0.0
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(self._next, now)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


# --- Per-worker state ---


class SendOutcome:
    SENT = "sent"
    FAILED = "failed"  # permanent for this recipient
    UNCERTAIN = "uncertain"  # the request may have reached SES: never resent blindly
    RETRY_LATER = "retry_later"  # nothing was sent (throttled, refused for now); back to pending
    UNREACHABLE = "unreachable"  # nothing was sent: the endpoint cannot be reached; back to pending
    # Nothing was sent and nothing of the account can be (sending paused, account suspended,
    # MAIL FROM domain unverified…): the campaign pauses, every delivery not sent goes back.
    ACCOUNT_PAUSED = "account_paused"


# Outcomes that sent nothing and may succeed later: the delivery goes back to the pool.
NOT_SENT_FOR_NOW = frozenset(
    {SendOutcome.RETRY_LATER, SendOutcome.UNREACHABLE, SendOutcome.ACCOUNT_PAUSED}
)


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    subscriber_id: int
    email: str
    sections: str = ""  # the digest sections this recipient gets (sections.py); "": all


class SenderState:
    """What one worker process keeps between batches: the rate limiter (the SES quota re-read
    every ten minutes), the pool of sending threads, one SES client (or Django mail connection)
    per sending thread, and the MIME skeleton of each campaign."""

    QUOTA_TTL = 600.0

    def __init__(self) -> None:
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._limiter: RateLimiter | None = None
        self._limiter_rate: float | None = None
        self._limiter_read_at = 0.0
        self._executor: ThreadPoolExecutor | None = None
        self._local = threading.local()
        self._clients: list[Any] = []
        self._ses: Any = None
        self._skeletons: dict[tuple[int, str], MimeSkeleton] = {}

    def limiter(self) -> RateLimiter:
        with self._lock:
            stale = time.monotonic() - self._limiter_read_at > self.QUOTA_TTL
            if self._limiter is None or stale:
                rate = ses_max_send_rate()
                if self._limiter is None or rate != self._limiter_rate:
                    # Shared by every worker through Redis when there is one (rate_limit.py).
                    self._limiter = shared_limiter(rate, fallback=RateLimiter(rate))
                    self._limiter_rate = rate
                self._limiter_read_at = time.monotonic()
            return self._limiter

    def pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=concurrency(), thread_name_prefix="mailing-send"
                )
            return self._executor

    def ses_client(self):
        """One boto3 SES v2 client for all sending threads (boto3 clients are thread-safe; its
        pool holds MAILING_CONCURRENCY connections). Built once per process, before any delivery
        is claimed (`warm`): loading botocore's service model costs a second of CPU, more on a
        busy machine, and must not happen while messages are marked in flight."""
        with self._lock:
            client = self._ses
            if client is None:
                client = self._ses = new_ses_client(max(4, concurrency()))
                self._clients.append(client)
            return client

    def warm(self) -> None:
        """Everything slow to build, built before the batch is claimed."""
        self.pool()
        self.limiter()
        if uses_ses():
            self.ses_client()

    def thread_cached(self, name: str, factory):
        """One Django mail connection per sending thread (non-SES backends)."""
        item = getattr(self._local, name, None)
        if item is None:
            item = factory()
            setattr(self._local, name, item)
            with self._lock:
                self._clients.append(item)
        return item

    def skeleton(self, campaign: Campaign, sections: str = "") -> MimeSkeleton:
        """The campaign's headers and bodies, encoded once (a campaign's content is frozen);
        for a digest, once per set of sections (its deliveries are created set by set)."""
        key = (campaign.pk, campaign.subject, len(campaign.html), len(campaign.text), sections)
        with self._lock:
            found = self._skeletons.get(key)
        if found is None:
            found = campaign_skeleton(campaign, sections)
            with self._lock:
                if len(self._skeletons) > 32:
                    self._skeletons.clear()
                self._skeletons[key] = found
        return found

    def close(self) -> None:
        if self._executor is not None and self.pid == os.getpid():
            self._executor.shutdown(wait=False)
        self._executor = None
        for client in self._clients:
            with contextlib.suppress(Exception):  # closing is best effort
                client.close()
        self._clients = []
        self._ses = None


def campaign_skeleton(campaign: Campaign, sections: str = "") -> MimeSkeleton:
    """What every mail of the campaign shares, encoded (From, Subject, Reply-To, bodies); for a
    digest, what its recipients of these sections share."""
    subject, html, text = campaign.subject, campaign.html, campaign.text
    if has_parts(html) or has_parts(text):
        chosen = parse_key(sections) if sections else None
        html, text = splice(html, chosen), splice(text, chosen)
        subject = campaign.section_subjects.get(sections, subject)
    return mime_skeleton(
        subject,
        html=html,
        text=text,
        placeholder=UNSUBSCRIBE_URL_PLACEHOLDER,
        reply_to=reply_to_addresses(),
    )


_state: SenderState | None = None
_state_lock = threading.Lock()


def sender_state() -> SenderState:
    """This process's sender state (a new one after a fork)."""
    global _state
    with _state_lock:
        if _state is None or _state.pid != os.getpid():
            _state = SenderState()
        return _state


def reset_sending_state() -> None:
    """Forget cached connections and the rate limiter (settings or endpoint changed)."""
    global _state
    with _state_lock:
        old, _state = _state, None
    if old is not None:
        old.close()


@receiver(setting_changed)
def _settings_changed(setting: str, **kwargs: Any) -> None:
    if setting.startswith(("MAILING_", "AWS_", "EMAIL_")):
        reset_sending_state()


def concurrency() -> int:
    """SES calls in flight per worker: also the most deliveries a killed worker leaves
    uncertain."""
    return max(1, int(settings.MAILING_CONCURRENCY))


def limiter() -> RateLimiter:
    return sender_state().limiter()


# --- Sending one message ---


def personalise(campaign: Campaign, subscriber_id: int) -> tuple[str, str, dict[str, str]]:
    """The frozen HTML/text with this recipient's unsubscribe URL, and the RFC 8058 headers."""
    url, headers = personal_unsubscribe(subscriber_id)
    html = campaign.html.replace(UNSUBSCRIBE_URL_PLACEHOLDER, url)
    text = campaign.text.replace(UNSUBSCRIBE_URL_PLACEHOLDER, url)
    return html, text, headers


def campaign_mail(
    campaign: Campaign,
    *,
    to: str,
    unsubscribe: str,
    headers: dict[str, str],
    state: SenderState | None = None,
    sections: str = "",
) -> bytes:
    """One recipient's raw mail: the bodies encoded once (a digest: per set of `sections`),
    `unsubscribe` where the placeholder was (the same content as `personalise` gives)."""
    base = (state or sender_state()).skeleton(campaign, sections)
    return build_personalised(base, to=to, value=unsubscribe, headers=headers)


def _raw(state: SenderState, recipient: Recipient, campaign: Campaign) -> bytes:
    unsubscribe, headers = personal_unsubscribe(recipient.subscriber_id)
    return campaign_mail(
        campaign,
        to=recipient.email,
        unsubscribe=unsubscribe,
        headers=headers,
        state=state,
        sections=recipient.sections,
    )


def send_campaign_mail(state: SenderState, to: str, raw: bytes, tags: dict[str, str]) -> str:
    """One attempt, through the site's one sender, reusing this worker's client/connection."""
    if uses_ses():
        return send_raw(raw, to=[to], tags=tags, client=state.ses_client())
    connection = state.thread_cached("connection", _mail_connection_factory)
    return send_raw(raw, to=[to], tags=tags, connection=connection)


def _mail_connection_factory():
    conn = get_connection(fail_silently=False)
    conn.open()
    return conn


# --- Classifying what SES (or the way to it) answered ---
#
# The one table of outcomes. An answer from SES (a ClientError) says the request was read and
# refused: its error code decides, then its HTTP status. An exception without an answer says how
# far the request got: not connected (nothing sent, try again) or sent and then lost (it may have
# gone out: uncertain, never resent blindly; SES events or staff settle it).

SES_ERROR_OUTCOMES: dict[str, str] = {
    # Throttled or refused for now: nothing was sent, try again after a backoff.
    "Throttling": SendOutcome.RETRY_LATER,
    "ThrottlingException": SendOutcome.RETRY_LATER,
    "TooManyRequestsException": SendOutcome.RETRY_LATER,
    "LimitExceededException": SendOutcome.RETRY_LATER,
    "ServiceUnavailable": SendOutcome.RETRY_LATER,  # 503: the request was not processed
    "ServiceUnavailableException": SendOutcome.RETRY_LATER,
    "RequestTimeout": SendOutcome.RETRY_LATER,  # SES gave up reading the request
    "RequestTimeoutException": SendOutcome.RETRY_LATER,
    # The account or its configuration refuses every mail: pause the campaign, keep the list.
    "SendingPausedException": SendOutcome.ACCOUNT_PAUSED,
    "AccountSuspendedException": SendOutcome.ACCOUNT_PAUSED,
    "MailFromDomainNotVerifiedException": SendOutcome.ACCOUNT_PAUSED,
    "NotFoundException": SendOutcome.ACCOUNT_PAUSED,  # configuration set or identity gone
    # This mail or this recipient is refused: a permanent failure for this delivery.
    "MessageRejected": SendOutcome.FAILED,
    "BadRequestException": SendOutcome.FAILED,
    # SES failed while processing the request: it may have been sent.
    "InternalFailure": SendOutcome.UNCERTAIN,
    "InternalServerError": SendOutcome.UNCERTAIN,
    "InternalServiceErrorException": SendOutcome.UNCERTAIN,
}


def answer_outcome(code: str, status: int) -> str:
    """The outcome of an error answer: its code if the table knows it, else its HTTP status
    (429 and 503: refused before processing; other 5xx: failed after the request was read,
    uncertain; other 4xx: refused)."""
    if code in SES_ERROR_OUTCOMES:
        return SES_ERROR_OUTCOMES[code]
    if status in (429, 503):
        return SendOutcome.RETRY_LATER
    if status >= 500:
        return SendOutcome.UNCERTAIN
    return SendOutcome.FAILED


# botocore's exceptions without an answer, most specific first (subclasses before their bases).
TRANSPORT_OUTCOMES: tuple[tuple[type[Exception], str], ...] = (
    # Never connected: nothing was sent.
    (botocore_exceptions.ConnectTimeoutError, SendOutcome.UNREACHABLE),
    (botocore_exceptions.EndpointConnectionError, SendOutcome.UNREACHABLE),
    (botocore_exceptions.ProxyConnectionError, SendOutcome.UNREACHABLE),
    (botocore_exceptions.SSLError, SendOutcome.UNREACHABLE),  # TLS handshake refused
    # Sent, and the answer lost: it may have gone out.
    (botocore_exceptions.ReadTimeoutError, SendOutcome.UNCERTAIN),
    (botocore_exceptions.ConnectionClosedError, SendOutcome.UNCERTAIN),
    (botocore_exceptions.ResponseStreamingError, SendOutcome.UNCERTAIN),
    (botocore_exceptions.IncompleteReadError, SendOutcome.UNCERTAIN),
    (botocore_exceptions.HTTPClientError, SendOutcome.UNCERTAIN),
    # Any other failure to connect.
    (botocore_exceptions.ConnectionError, SendOutcome.UNREACHABLE),
)


def classify(exc: Exception) -> tuple[str, str]:
    """(SendOutcome, message) for an exception raised by one send. Anything the table does not
    know (a bug, a non-SES backend's error) is a failure of this delivery, not a crash."""
    cause = exc.__cause__ or exc
    if isinstance(cause, botocore_exceptions.ClientError):
        error = cause.response.get("Error", {})
        code = error.get("Code", "")
        status = cause.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0
        message = f"{code}: {error.get('Message', '')}"[:500]
        return answer_outcome(code, status), message
    message = f"{type(cause).__name__}: {cause}"[:500]
    for kind, outcome in TRANSPORT_OUTCOMES:
        if isinstance(cause, kind):
            return outcome, message
    return SendOutcome.FAILED, message


_TEMPORARY_NAMES = frozenset(
    [code for code, outcome in SES_ERROR_OUTCOMES.items() if outcome in NOT_SENT_FOR_NOW]
    + [kind.__name__ for kind, outcome in TRANSPORT_OUTCOMES if outcome in NOT_SENT_FOR_NOW]
)


def is_temporary_error(error: str) -> bool:
    """Whether a recorded delivery error (« Code: message », as `classify` writes it) is a
    cause that sent nothing and passes: such a failure may be sent again."""
    return error.partition(":")[0].strip() in _TEMPORARY_NAMES


def send_one(
    campaign: Campaign, recipient: Recipient, state: SenderState | None = None
) -> tuple[str, str, str]:
    """Send one subscriber's mail of a campaign. Returns (outcome, SES message id, error)."""
    state = state or sender_state()
    raw = _raw(state, recipient, campaign)
    tags = {"delivery": str(recipient.delivery_id), "campaign": str(campaign.pk)}
    return send_with_retries(state, recipient.email, raw, tags)


def send_with_retries(
    state: SenderState, to: str, raw: bytes, tags: dict[str, str]
) -> tuple[str, str, str]:
    """Send one mail at the account's rate, retrying what sent nothing (throttling, 503,
    connection refused) with exponential backoff; an attempt that may have been sent (read
    timeout, 5xx after the request was read) is never repeated, and an account-wide refusal
    is returned at once (the campaign pauses)."""
    attempts = settings.MAILING_MAX_ATTEMPTS
    delay = settings.MAILING_RETRY_BASE_DELAY
    rate = state.limiter()
    outcome, error = SendOutcome.RETRY_LATER, ""
    for attempt in range(attempts):
        rate.wait()
        try:
            message_id = send_campaign_mail(state, to, raw, tags)
        except Exception as exc:  # classified below: anything unknown is a failure, not a crash
            outcome, error = classify(exc)
            if outcome not in (SendOutcome.RETRY_LATER, SendOutcome.UNREACHABLE):
                return outcome, "", error  # sent, uncertain, failed or account-wide
            if attempt + 1 < attempts:
                time.sleep(delay * 2**attempt)
            continue
        return SendOutcome.SENT, message_id, ""
    return outcome, "", error
