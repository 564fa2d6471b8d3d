"""The one outbound-mail path of the site. Every app sends through `send_mail_message`.

Behind it is Django's configured e-mail backend: Amazon SES v2 through boto3 (django-anymail)
in tests and production, the console in development unless SEND_MAIL_VIA_SES=1.
"""

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django_tasks import task


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
    connection=None,
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
        headers=dict(headers or {}),
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    if tags:
        # SES message tags (e.g. the delivery id), echoed back in SES event notifications.
        message.esp_extra = {"EmailTags": [{"Name": k, "Value": v} for k, v in tags.items()]}
    return message


def send_mail_message(**kwargs) -> str | None:
    """Send one message now. Returns the provider's message id when there is one (SES)."""
    message = build_message(**kwargs)
    message.send(fail_silently=False)
    status = getattr(message, "anymail_status", None)
    return status.message_id if status is not None else None


def open_connection():
    """A reusable connection (one boto3 client) for sending many messages in a row."""
    return get_connection(fail_silently=False)


@task(queue_name="mail")
def send_mail_task(
    to: list[str], subject: str, text: str, html: str | None = None, headers: dict | None = None
) -> str | None:
    """Background variant: the web process enqueues, a worker (`db_worker`) sends."""
    return send_mail_message(to=to, subject=subject, text=text, html=html, headers=headers)
