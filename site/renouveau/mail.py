"""The one outbound-mail path of the site. Every app sends through `send_mail_message`.

Behind it is Django's configured e-mail backend: Amazon SES v2 through boto3 (django-anymail)
in tests and production, the console in development unless SEND_MAIL_VIA_SES=1.

Transient failures (throttling, 5xx, connection errors) are retried here with exponential
backoff, a bounded number of times (MAIL_SEND_ATTEMPTS, MAIL_RETRY_BASE_DELAY); anything else
(e.g. SES's MessageRejected for an unverified sender) is raised at once. Callers record what
`describe_error` says on the row the mail was for, so that staff see it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django_tasks import task

logger = logging.getLogger(__name__)

TRANSIENT_CODES = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "LimitExceededException",
    "ServiceUnavailable",
    "InternalFailure",
    "RequestTimeout",
}


def build_message(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    reply_to: Sequence[str] | None = None,
    from_email: str | None = None,
    tags: Mapping[str, str] | None = None,
    attachments: Sequence[tuple[str, bytes | str, str]] | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """`attachments`: (filename, content, MIME type) triples, e.g. a webinar's `.ics`."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
        headers=dict(headers or {}),
        attachments=list(attachments or []),
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    if tags:
        # SES message tags (e.g. the delivery id), echoed back in SES event notifications.
        message.esp_extra = {"EmailTags": [{"Name": k, "Value": v} for k, v in tags.items()]}
    return message


def reply_to_addresses() -> list[str]:
    """The Reply-To of mails sent to subscribers (MAILING_REPLY_TO), as a list ([] if unset)."""
    address = (getattr(settings, "MAILING_REPLY_TO", "") or "").strip()
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
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    cause = _root_cause(exc)
    if isinstance(cause, ClientError):
        code = cause.response.get("Error", {}).get("Code", "")
        status = cause.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0
        return is_retryable_answer(code, status)
    if isinstance(cause, ConnectionError | HTTPClientError | OSError | TimeoutError):
        return True
    status = getattr(exc, "status_code", None)  # anymail errors without a botocore cause
    return bool(status and (status == 429 or status >= 500))


def describe_error(exc: BaseException) -> str:
    """A one-line description for staff, e.g. « MessageRejected: Email address is not verified »."""
    from botocore.exceptions import ClientError

    cause = _root_cause(exc)
    if isinstance(cause, ClientError):
        error = cause.response.get("Error", {})
        return f"{error.get('Code', 'Erreur')}: {error.get('Message', '')}"[:500]
    return f"{type(cause).__name__}: {cause}"[:500]


def _send_once(**kwargs) -> str | None:
    message = build_message(**kwargs)
    message.send(fail_silently=False)
    status = getattr(message, "anymail_status", None)
    return status.message_id if status is not None else None


def send_mail_message(*, attempts: int | None = None, **kwargs) -> str | None:
    """Send one message now. Returns the provider's message id when there is one (SES).

    Transient errors are retried `attempts` times in all (MAIL_SEND_ATTEMPTS, default 3) with
    exponential backoff from MAIL_RETRY_BASE_DELAY seconds (default 0.5); the last error, or
    the first permanent one, is raised.
    """
    attempts = max(1, attempts or int(getattr(settings, "MAIL_SEND_ATTEMPTS", 3)))
    delay = float(getattr(settings, "MAIL_RETRY_BASE_DELAY", 0.5))
    for attempt in range(attempts):
        try:
            return _send_once(**kwargs)
        except Exception as exc:
            if not is_transient(exc) or attempt + 1 >= attempts:
                raise
            logger.warning("Transient mail error, retrying: %s", describe_error(exc))
            time.sleep(delay * 2**attempt)
    return None  # pragma: no cover - the loop returns or raises


def open_connection():
    """A reusable connection (one boto3 client) for sending many messages in a row."""
    return get_connection(fail_silently=False)


@task(queue_name="mail")
def send_mail_task(
    to: list[str], subject: str, text: str, html: str | None = None, headers: dict | None = None
) -> str | None:
    """Background variant: the web process enqueues, a worker (`db_worker`) sends."""
    return send_mail_message(to=to, subject=subject, text=text, html=html, headers=headers)
