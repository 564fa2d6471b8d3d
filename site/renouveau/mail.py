"""The one outbound-mail path of the site: every mail (transactional, test sends, campaigns) is
assembled by `renouveau.mime` and handed to `send_raw`, the one sender.

`send_raw` gives the raw bytes to Amazon SES v2 (boto3, `SendEmail` with raw content: our own
headers such as List-Unsubscribe reach the reader as written) when EMAIL_BACKEND is `SESBackend`
(tests, production), and to Django's configured backend otherwise (the console in development
unless SEND_MAIL_VIA_SES=1), as the same bytes. Django's own mail reaches the same sender
through `SESBackend`.

Transient failures (throttling, 5xx, connection errors) are retried by `send_mail_message` with
exponential backoff, a bounded number of times (MAIL_SEND_ATTEMPTS, MAIL_RETRY_BASE_DELAY);
anything else (e.g. SES's MessageRejected for an unverified sender) is raised at once. Callers
record what `describe_error` says on the row the mail was for, so that staff see it. Campaigns
call `send_raw` from their own loop (mailing.delivery.transport), which classifies every attempt.
"""

from __future__ import annotations

import email
import logging
import os
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionError, HTTPClientError
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

from .mime import Attachment, build_mail

logger = logging.getLogger(__name__)

# The EMAIL_BACKEND that means "Amazon SES" (defined below): Django's own mail goes through it.
SES_BACKEND = "renouveau.mail.SESBackend"

TRANSIENT_CODES = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "LimitExceededException",
    "ServiceUnavailable",
    "InternalFailure",
    "RequestTimeout",
}

# botocore's own retries off: every attempt is ours to classify, since a timed-out request may
# have been sent (a retry would then send the mail twice).
_NO_RETRIES = {
    "retries": {"total_max_attempts": 1},
    "connect_timeout": 5,
    "read_timeout": 30,
}


def uses_ses() -> bool:
    return settings.EMAIL_BACKEND == SES_BACKEND


def new_ses_client(max_pool_connections: int = 4) -> Any:
    """A boto3 SES v2 client configured as the site's SES settings say (region; endpoint from
    AWS_ENDPOINT_URL[_SESV2], e.g. moto_server), botocore retries off. Thread-safe."""
    config = Config(**_NO_RETRIES, max_pool_connections=max_pool_connections)
    return boto3.session.Session().client("sesv2", config=config, region_name=settings.AWS_REGION)


_client_lock = threading.Lock()
_default_client: tuple[tuple, Any] | None = None


def _process_ses_client() -> Any:
    """This process's client for one-off mails, built once (loading botocore's model is slow)
    and again after a fork or when the endpoint or region changes."""
    global _default_client
    key = (
        os.getpid(),
        os.environ.get("AWS_ENDPOINT_URL_SESV2"),
        os.environ.get("AWS_ENDPOINT_URL"),
        settings.AWS_REGION,
    )
    with _client_lock:
        if _default_client is None or _default_client[0] != key:
            _default_client = (key, new_ses_client())
        return _default_client[1]


class RawEmailMessage(EmailMessage):
    """Bytes already assembled by `renouveau.mime`, for Django's non-SES backends (console,
    SMTP, file, locmem): they all ask `message()` for the MIME object and `recipients()`."""

    def __init__(self, raw: bytes, *, from_email: str, to: Sequence[str], connection=None):
        super().__init__(from_email=from_email, to=list(to), connection=connection)
        self.raw = raw

    def message(self, *, policy=None):  # noqa: ARG002 - the bytes are final
        return email.message_from_bytes(self.raw)


def send_raw(
    raw: bytes,
    *,
    to: Sequence[str],
    from_email: str | None = None,
    tags: Mapping[str, str] | None = None,
    client: Any = None,
    connection: Any = None,
) -> str:
    """Send assembled bytes once, without retrying. Returns SES's message id ("" elsewhere).

    `tags` become SES message tags (e.g. the delivery id), echoed in SES event notifications.
    `client`: an SES v2 client to reuse (campaign threads), `connection`: a Django mail
    connection to reuse (non-SES backends)."""
    if uses_ses():
        params: dict[str, Any] = {
            "Destination": {"ToAddresses": list(to)},
            "Content": {"Raw": {"Data": raw}},
        }
        if tags:
            params["EmailTags"] = [{"Name": k, "Value": v} for k, v in tags.items()]
        configuration_set = settings.AWS_SES_CONFIGURATION_SET
        if configuration_set:
            params["ConfigurationSetName"] = configuration_set
        return (client or _process_ses_client()).send_email(**params).get("MessageId", "")
    message = RawEmailMessage(
        raw,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        connection=connection or get_connection(fail_silently=False),
    )
    message.send(fail_silently=False)
    return ""


def reply_to_addresses() -> list[str]:
    """The Reply-To of mails sent to subscribers (MAILING_REPLY_TO), as a list ([] if unset)."""
    address = settings.MAILING_REPLY_TO.strip()
    return [address] if address else []


def _root_cause(exc: BaseException) -> BaseException:
    seen = set()
    while exc.__cause__ is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc = exc.__cause__
    return exc


def is_retryable_answer(code: str, status: int) -> bool:
    """An SES error answer worth trying again later: throttling or a failure on AWS's side."""
    return code in TRANSIENT_CODES or status == 429 or status >= 500


def is_transient(exc: BaseException) -> bool:
    """Whether trying again later may succeed: throttling, 5xx, connection problems."""
    cause = _root_cause(exc)
    if isinstance(cause, ClientError):
        code = cause.response.get("Error", {}).get("Code", "")
        status = cause.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0
        return is_retryable_answer(code, status)
    return isinstance(cause, ConnectionError | HTTPClientError | OSError | TimeoutError)


def describe_error(exc: BaseException) -> str:
    """A one-line description for staff, e.g. « MessageRejected: Email address is not verified »."""
    cause = _root_cause(exc)
    if isinstance(cause, ClientError):
        error = cause.response.get("Error", {})
        return f"{error.get('Code', 'Erreur')}: {error.get('Message', '')}"[:500]
    return f"{type(cause).__name__}: {cause}"[:500]


class SESBackend(BaseEmailBackend):
    """Django's own mail (error reports to ADMINS, Wagtail's password resets and moderation
    notices) through the site's one sender: the bytes Django builds, handed to `send_raw`."""

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            recipients = message.recipients()
            if not recipients:
                continue
            try:
                raw = message.message().as_bytes(linesep="\r\n")
                send_raw(raw, to=recipients, from_email=message.from_email)
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent


def send_mail_message(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    reply_to: Sequence[str] = (),
    from_email: str | None = None,
    tags: Mapping[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
    attempts: int | None = None,
) -> str:
    """Assemble and send one message now. Returns the provider's message id (SES) or "".

    `attachments`: (filename, content, MIME type) triples, e.g. a webinar's `.ics`. Transient
    errors are retried `attempts` times in all (MAIL_SEND_ATTEMPTS, default 3) with exponential
    backoff from MAIL_RETRY_BASE_DELAY seconds (default 0.5); the last error, or the first
    permanent one, is raised.
    """
    raw = build_mail(
        to=to,
        subject=subject,
        text=text,
        html=html,
        headers=dict(headers or {}),
        reply_to=reply_to,
        from_email=from_email,
        attachments=attachments or (),
    )
    attempts = max(1, attempts or settings.MAIL_SEND_ATTEMPTS)
    delay = settings.MAIL_RETRY_BASE_DELAY
    for attempt in range(attempts):
        try:
            return send_raw(raw, to=to, from_email=from_email, tags=tags)
        except Exception as exc:
            if not is_transient(exc) or attempt + 1 >= attempts:
                raise
            logger.warning("Transient mail error, retrying: %s", describe_error(exc))
            time.sleep(delay * 2**attempt)
    return ""  # pragma: no cover - the loop returns or raises


@task(queue_name="mail")
def send_mail_task(
    to: list[str], subject: str, text: str, html: str | None = None, headers: dict | None = None
) -> str | None:
    """Background variant: the web process enqueues, a worker (`db_worker`) sends."""
    return send_mail_message(to=to, subject=subject, text=text, html=html, headers=headers)
