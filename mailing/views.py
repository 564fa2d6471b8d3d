"""Public pages of the subscription: subscribe, confirm, unsubscribe, SES notifications."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from renouveau.abuse import email_ratelimit_key
from renouveau.client_ip import client_ip
from renouveau.sns import SNSBodyTooLarge, read_sns_body

from . import notifications
from .forms import SubscriptionForm
from .subscriptions import (
    Confirmation,
    check_confirmation_token,
    confirm_subscription,
    start_subscription,
    subscriber_from_unsubscribe_token,
    unsubscribe,
)

logger = logging.getLogger(__name__)


def _rate(name: str, default: str) -> str:
    return getattr(settings, name, default)


@never_cache  # the form carries the visitor's own CSRF token
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # The sign-up fields of the footer and the home page are GET forms that land here with
        # the address typed (?email=): the visitor then completes and consents on this page.
        form = SubscriptionForm(
            initial={
                "source": request.GET.get("source", ""),
                "email": request.GET.get("email", "").strip()[:254],
            }
        )
        return render(request, "mailing/subscribe.html", {"form": form})

    if is_ratelimited(
        request,
        group="mailing.subscribe.ip",
        key="ip",
        rate=_rate("MAILING_SUBSCRIBE_RATE_PER_IP", "10/h"),
        increment=True,
    ):
        return render(request, "mailing/rate_limited.html", status=429)

    form = SubscriptionForm(request.POST)
    if form.is_bot():
        # Same answer as a real subscription; nothing recorded, nothing sent.
        return HttpResponseRedirect(reverse("mailing:subscribe_done"))
    if not form.is_valid():
        return render(request, "mailing/subscribe.html", {"form": form}, status=400)

    # Per address: a limited address gets the same answer as any other, but no new mail.
    address_limited = is_ratelimited(
        request,
        group="mailing.subscribe.email",
        key=email_ratelimit_key,
        rate=_rate("MAILING_SUBSCRIBE_RATE_PER_EMAIL", "3/d"),
        increment=True,
    )
    if not address_limited:
        data = form.cleaned_data
        start_subscription(
            email=data["email"],
            first_name=data["first_name"],
            profile=data["profile"],
            communes=data["communes"],
            source=data["source"] or request.path,
            ip=client_ip(request),
        )
    return HttpResponseRedirect(reverse("mailing:subscribe_done"))


def subscribe_done(request: HttpRequest) -> HttpResponse:
    return render(request, "mailing/subscribe_done.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms, idempotently."""
    if request.method == "POST":
        result = confirm_subscription(token)
    else:
        result, _ = check_confirmation_token(token)
        if result is Confirmation.CONFIRMED:
            return render(request, "mailing/confirm.html", {"token": token})
    status = {Confirmation.EXPIRED: 410, Confirmation.INVALID: 400}.get(result, 200)
    return render(request, "mailing/confirm_result.html", {"result": result.value}, status=status)


def unsubscribe_help(request: HttpRequest) -> HttpResponse:
    return render(request, "mailing/unsubscribe_help.html")


@never_cache
@csrf_exempt  # RFC 8058 one-click: mail providers POST without a CSRF token or a session.
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "mailing/unsubscribe_invalid.html", status=404)
    if request.method == "GET":
        # Changes nothing: link scanners and previews must not unsubscribe anyone.
        return render(request, "mailing/unsubscribe.html", {"token": token})
    unsubscribe(subscriber)
    return render(request, "mailing/unsubscribe_done.html")


@csrf_exempt  # Amazon SNS posts here; the message signature is the authentication.
@require_POST
def ses_notifications(request: HttpRequest) -> HttpResponse:
    try:
        body = read_sns_body(request)  # refused (413) before reading when larger than SNS sends
    except SNSBodyTooLarge:
        return HttpResponse("Message too large.", status=413, content_type="text/plain")
    outcome = notifications.handle_sns_request(body)
    return HttpResponse(outcome.message, status=outcome.status, content_type="text/plain")
