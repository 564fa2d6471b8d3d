"""Logs an operator can follow: a request id on every line of a request (set by
`RequestIdMiddleware`, echoed in the `X-Request-ID` response header), JSON lines in production,
and no e-mail address anywhere (subscribers' addresses are personal data: replaced by
« [e-mail] » in every message, traceback and Sentry event)."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver
from gunicorn.glogging import Logger

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# An id from the proxy in front (nginx's $request_id, a load balancer's) is kept, so that its
# logs and ours join; anything else is replaced.
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


# Personal links sent by mail (unsubscribe, preferences, confirmations, a document's download,
# a webinar cancellation): their token is as good as the person's consent, so access logs and
# error lines never keep it.
PERSONAL_TOKEN = re.compile(
    r"(/lettre/(?:desabonnement|preferences|confirmation|suivi)/"
    r"|/ressources/telecharger/|/webinaires/inscription/annuler/)[^/\s?\"']+"
)


# An address in a query string, « @ » percent-encoded (an old GET form, a crafted link).
ENCODED_EMAIL = re.compile(r"[\w.+-]+%40[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def redact(text: str) -> str:
    text = ENCODED_EMAIL.sub("[e-mail]", EMAIL.sub("[e-mail]", text))
    return PERSONAL_TOKEN.sub(r"\1[jeton]", text)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        value = incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex
        # Kept until the request is finished (not reset on the way out): Django logs the
        # response's status (« Not Found: … », errors) after the middleware has returned.
        request_id.set(value)
        request.request_id = value
        response = self.get_response(request)
        response["X-Request-ID"] = value
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs) -> None:
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, request id, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def scrub_sentry_event(event: dict, hint: dict) -> dict:
    """Sentry's before_send: the same redaction over the whole event."""
    return json.loads(redact(json.dumps(event)))


class GunicornLogger(Logger):
    """gunicorn's Logger with the access line redacted (addresses, personal tokens): the
    Procfile's `--logger-class renouveau.logs.GunicornLogger`."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
