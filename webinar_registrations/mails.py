"""The mails of a registration (confirmation, waiting list, seat freed, reminders, replay) and
the signed cancel link they carry."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cites_pages.models import WebinarPage
from cites_pages.webinars import calendar
from renouveau.addresses import absolute_url
from renouveau.mail import describe_error, reply_to_addresses, send_mail_message
from renouveau.mail_layout import render_mail

from .models import Registration

logger = logging.getLogger(__name__)

_CANCEL_SALT = "webinar_registrations.cancel"
SUBJECTS = {
    "registered": "Inscription confirmée\u00a0: {title}",
    "waiting": "Liste d'attente\u00a0: {title}",
    "promoted": "Une place s'est libérée\u00a0: {title}",
    "reminder_day": "Rappel\u00a0: {title}, demain",
    "reminder_hour": "Rappel\u00a0: {title}, dans une heure",
    "replay": "Le replay est en ligne\u00a0: {title}",
}
_SEAT_PREHEADER = "Votre place est réservée\u00a0: la date, l’accès et l’événement pour l’agenda."
PREHEADERS = {
    "registered": _SEAT_PREHEADER,
    "waiting": "Nous vous écrirons dès qu’une place se libère.",
    "promoted": _SEAT_PREHEADER,
    "reminder_day": "Le lien pour rejoindre le webinaire, la date et l’heure.",
    "reminder_hour": "Le lien pour rejoindre le webinaire.",
    "replay": "La vidéo du webinaire et ses documents.",
}
_ICS_KINDS = {"registered", "promoted", "reminder_day"}


# --- Cancel link ---


def _stamp(registration: Registration) -> int:
    return int(registration.registered_at.timestamp() * 1_000_000)


def cancel_token(registration: Registration) -> str:
    # Bound to this registration: registering again after a cancellation makes a new link.
    stamp = _stamp(registration)
    # No timestamp in it: every mail of one registration carries the same link.
    return signing.Signer(salt=_CANCEL_SALT).sign_object([registration.pk, stamp], compress=True)


def cancel_url(registration: Registration) -> str:
    return absolute_url(reverse("webinar_registrations:cancel", args=[cancel_token(registration)]))


def registration_from_cancel_token(token: str) -> Registration | None:
    try:
        pk, stamp = signing.Signer(salt=_CANCEL_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    registration = Registration.objects.select_related("webinar").filter(pk=pk).first()
    if registration is None or _stamp(registration) != stamp:
        return None
    return registration


# --- Mails ---


def webinar_url(webinar: WebinarPage) -> str:
    # SITE_URL (as every link in the site's mails), not the Wagtail site's host name.
    parts = webinar.get_url_parts()
    return absolute_url(parts[2]) if parts else settings.SITE_URL


def ics_attachment(webinar: WebinarPage) -> tuple[str, bytes, str]:
    """The registrant's `.ics`: the event with the join link (URL, LOCATION) and the dial-in."""
    # method=PUBLISH as the file says (RFC 6047): a calendar adds the event, asks no reply.
    return (
        f"{webinar.slug}.ics",
        calendar([webinar], registrant=True),
        "text/calendar; method=PUBLISH",
    )


# Mails that give the registrant a seat, hence the way in (join link, dial-in, .ics).
_SEATED_KINDS = {"registered", "promoted", "reminder_day", "reminder_hour"}


def mail_context(registration: Registration, kind: str) -> dict:
    """What the templates of a registrant's mail need: the join link and dial-in only for
    those who have a seat; the button: join (the reminders lead with it), else the page."""
    webinar = registration.webinar
    page_url = webinar_url(webinar)
    seated = kind in _SEATED_KINDS
    join_url = webinar.join_url if seated else ""
    if kind == "replay":
        action = ("Revoir le webinaire", page_url)
    elif join_url:
        action = ("Rejoindre le webinaire", join_url)
    else:
        action = ("Voir la page du webinaire", page_url)
    return {
        "kind": kind,
        "subject": SUBJECTS[kind].format(title=webinar.title),
        "preheader": PREHEADERS[kind],
        "registration": registration,
        "webinar": webinar,
        "webinar_url": page_url,
        "cancel_url": cancel_url(registration),
        "seated": seated,
        "join_url": join_url,
        "dial_in": webinar.dial_in if seated else "",
        "ics": kind in _ICS_KINDS,
        "action_label": action[0],
        "action_url": action[1],
    }


def send_registration_mail(
    registration: Registration, kind: str, *, raise_errors: bool = False
) -> bool:
    """Send one mail of `kind` (see SUBJECTS) now. A failure is recorded on the registration
    (shown to staff) and raised when asked. Returns whether it was sent."""
    webinar = registration.webinar
    context = mail_context(registration, kind)
    html, text = render_mail(
        "webinar_registrations/email/message.html",
        "webinar_registrations/email/message.txt",
        context,
    )
    try:
        send_mail_message(
            to=[registration.email],
            subject=context["subject"],
            text=text,
            html=html,
            # Replies (« je ne pourrai pas venir ») reach people, not the sender's robot.
            reply_to=reply_to_addresses(),
            attachments=[ics_attachment(webinar)] if kind in _ICS_KINDS else None,
            tags={"kind": f"webinar-{kind.replace('_', '-')}"},
        )
    except Exception as exc:
        logger.exception("Webinar mail %s to registration %s failed", kind, registration.pk)
        Registration.objects.filter(pk=registration.pk).update(mail_error=describe_error(exc))
        if raise_errors:
            raise
        return False
    Registration.objects.filter(pk=registration.pk).exclude(mail_error="").update(mail_error="")
    return True
