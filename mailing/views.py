"""Public pages of the subscription: subscribe, confirm, unsubscribe, SES notifications."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cites_pages.models import CityPage
from renouveau import abuse
from renouveau.client_ip import client_ip
from renouveau.sns import SNSBodyTooLarge, read_sns_body

from .audience.consents import what_they_receive
from .audience.follow import (
    FOLLOW_CONSENT_TEXT_VERSION,
    add_followed_cite,
    public_cites,
    read_follow_token,
)
from .audience.preferences import PreferencesForm, save_preferences, unfollow_cite
from .audience.repermission import renew_consent
from .audience.subscriptions import (
    Confirmation,
    check_confirmation_token,
    confirm_subscription,
    hash_ip,
    start_subscription,
    subscriber_from_unsubscribe_token,
    unsubscribe,
)
from .delivery import notifications
from .forms import FollowForm, SubscriptionForm
from .models import Subscriber

logger = logging.getLogger(__name__)


def ip_limited(request: HttpRequest) -> bool:
    """Subscribing and following a cité share one budget per IP…"""
    return abuse.ip_limited(request, "mailing.subscribe.ip", settings.MAILING_SUBSCRIBE_RATE_PER_IP)


def _address_rate() -> str:
    # Enough for a person's normal use within the hour (subscribe, follow a few cités, come
    # back after « Tout arrêter »); the per-IP budget and the hourly caps stop floods.
    return settings.MAILING_SUBSCRIBE_RATE_PER_EMAIL


def address_limited(request: HttpRequest) -> bool:
    """…and one per address typed (the form's `email`)."""
    return abuse.address_limited(request, "mailing.subscribe.email", _address_rate())


_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def period_in_words(rate: str) -> str:
    """The window of a django-ratelimit rate ("6/h", "3/d", "10/15m") in French words."""
    period = rate.partition("/")[2] or "h"
    seconds = int(period[:-1] or 1) * _UNIT_SECONDS.get(period[-1], 3600)
    if seconds <= 3600:
        minutes = max(seconds // 60, 1)
        return f"{minutes}\u00a0minute{'s' if minutes > 1 else ''}"
    hours = seconds // 3600
    return f"{hours}\u00a0heures"


def address_limited_answer(request: HttpRequest) -> HttpResponse:
    """A limited address is told so in words (never a silent « check your mailbox »); the
    answer depends only on the address typed, not on whether we know it."""
    return render(
        request,
        "mailing/address_limited.html",
        {"period": period_in_words(_address_rate())},
        status=429,
    )


@never_cache  # the form carries the visitor's own CSRF token
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = SubscriptionForm(initial={"source": request.GET.get("source", "")})
        return render(request, "mailing/subscribe.html", {"form": form})

    if ip_limited(request):
        return render(request, "mailing/rate_limited.html", status=429)

    form = SubscriptionForm(request.POST)
    if form.is_bot():
        # Same answer as a real subscription; nothing recorded, nothing sent.
        return HttpResponseRedirect(reverse("mailing:subscribe_done"))
    if not form.is_valid():
        return render(request, "mailing/subscribe.html", {"form": form}, status=400)

    if address_limited(request):
        return address_limited_answer(request)
    data = form.cleaned_data
    start_subscription(
        email=data["email"],
        first_name=data["first_name"],
        profile=data["profile"],
        communes=data["communes"],
        webinar_announcements=data["webinar_announcements"],
        source=data["source"] or request.path,
        ip=client_ip(request),
    )
    return HttpResponseRedirect(reverse("mailing:subscribe_done"))


def _typed_address(request: HttpRequest) -> str:
    return request.POST.get("email", "").strip()[:254]


@never_cache
@csrf_exempt  # renders the form and changes nothing: cached pages' short forms carry no token
@require_POST
def subscribe_start(request: HttpRequest) -> HttpResponse:
    """The footer's and home page's sign-up field POSTs its address here (never in a URL that
    access logs keep); the visitor completes and consents on the full form."""
    source = request.POST.get("source", "")
    form = SubscriptionForm(initial={"source": source, "email": _typed_address(request)})
    return render(request, "mailing/subscribe.html", {"form": form})


@never_cache
@csrf_exempt  # as subscribe_start: the cité page stays cacheable, the address stays out of URLs
@require_POST
def follow_start(request: HttpRequest, cite_id: int) -> HttpResponse:
    cite = public_cites().filter(pk=cite_id).first()
    if cite is None:
        return render(request, "mailing/cite_unavailable.html", status=404)
    form = FollowForm(initial={"email": _typed_address(request)})
    return render(request, "mailing/follow.html", {"cite": cite, "form": form})


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
    context = {"result": result.value}
    if result in (Confirmation.CONFIRMED, Confirmation.ALREADY_CONFIRMED):
        # Exactly what this address will receive (never the letter when it was not chosen).
        _, subscriber = check_confirmation_token(token)
        context["lists"] = what_they_receive(subscriber) if subscriber else []
    status = {Confirmation.EXPIRED: 410, Confirmation.INVALID: 400}.get(result, 200)
    return render(request, "mailing/confirm_result.html", context, status=status)


@csrf_exempt  # a test mail's one-click List-Unsubscribe POSTs here: it answers, changing nothing
@require_http_methods(["GET", "POST"])
def unsubscribe_help(request: HttpRequest) -> HttpResponse:
    return render(request, "mailing/unsubscribe_help.html")


def _followed_cite(subscriber: Subscriber, value: str | None) -> CityPage | None:
    """The cité named by `?cite=` (a link of an alert), if this subscriber follows it."""
    if not (value or "").isdigit():
        return None
    return subscriber.cites.filter(pk=int(value)).first()


@never_cache
@csrf_exempt  # RFC 8058 one-click: mail providers POST without a CSRF token or a session.
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link of every mail: unsubscribe from everything in one click (the
    List-Unsubscribe URL), stop following one cité (`?cite=` from an alert), or go on to the
    preferences page."""
    subscriber = subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "mailing/unsubscribe_invalid.html", status=404)
    cite = _followed_cite(subscriber, request.GET.get("cite"))
    if request.method == "GET":
        # Changes nothing: link scanners and previews must not unsubscribe anyone.
        return render(
            request,
            "mailing/unsubscribe.html",
            {"token": token, "cite": cite, "subscriber": subscriber},
        )
    if cite is not None and request.POST.get("scope") == "cite":
        unfollow_cite(subscriber, cite, source=request.path)
        return render(request, "mailing/unfollow_done.html", {"cite": cite, "token": token})
    unsubscribe(subscriber)
    return render(request, "mailing/unsubscribe_done.html", {"token": token})


@never_cache
@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest, token: str) -> HttpResponse:
    """« Je reste abonné » (audience/repermission.py): GET shows the button (mail scanners open
    links), POST renews the consent."""
    subscriber = subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "mailing/unsubscribe_invalid.html", status=404)
    context = {"token": token, "lists": what_they_receive(subscriber)}
    if request.method == "POST":
        context["renewed"] = renew_consent(subscriber, ip_hash=hash_ip(client_ip(request)))
    context["asked"] = (
        subscriber.status == Subscriber.Status.CONFIRMED
        and subscriber.repermission_asked_at is not None
    )
    return render(request, "mailing/renew.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "mailing/unsubscribe_invalid.html", status=404)
    context = {"token": token, "subscriber": subscriber}
    suppressed = subscriber.status in (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED)
    if request.method == "GET" or suppressed:
        context["form"] = PreferencesForm.for_subscriber(subscriber)
        outcome = request.GET.get("enregistre")  # after the redirect below
        if outcome in ("1", "0"):
            context.update(saved=True, changes=outcome == "1")
        return render(request, "mailing/preferences.html", context)
    form = PreferencesForm.for_subscriber(subscriber, request.POST)
    if not form.is_valid():
        context["form"] = form
        return render(request, "mailing/preferences.html", context, status=400)
    changes = save_preferences(
        subscriber, form.cleaned_data, ip_hash=hash_ip(client_ip(request)), source=request.path
    )
    # POST/redirect/GET: reloading the answer page does not post the choices again.
    return HttpResponseRedirect(f"{request.path}?enregistre={1 if changes else 0}", status=303)


@never_cache  # the form carries the visitor's own CSRF token
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, cite_id: int) -> HttpResponse:
    """« Suivre cette cité »: the same double opt-in, abuse limits and answer as subscribing."""
    cite = public_cites().filter(pk=cite_id).first()
    if cite is None:
        return render(request, "mailing/cite_unavailable.html", status=404)
    context = {"cite": cite}
    if request.method == "GET":
        context["form"] = FollowForm()
        return render(request, "mailing/follow.html", context)
    if ip_limited(request):
        return render(request, "mailing/rate_limited.html", status=429)
    form = FollowForm(request.POST)
    if form.is_bot():
        return HttpResponseRedirect(reverse("mailing:follow_done", args=[cite.pk]))
    if not form.is_valid():
        context["form"] = form
        return render(request, "mailing/follow.html", context, status=400)
    if address_limited(request):
        return address_limited_answer(request)
    start_subscription(
        email=form.cleaned_data["email"],
        source=request.path,
        consent_text_version=FOLLOW_CONSENT_TEXT_VERSION,
        ip=client_ip(request),
        cite_ids=[cite.pk],
        alert_frequency=form.cleaned_data["alert_frequency"],
        newsletter=form.cleaned_data["newsletter"],
        webinar_announcements=form.cleaned_data["webinar_announcements"],
    )
    return HttpResponseRedirect(reverse("mailing:follow_done", args=[cite.pk]))


def follow_done(request: HttpRequest, cite_id: int) -> HttpResponse:
    cite = public_cites().filter(pk=cite_id).first()
    if cite is None:
        return render(request, "mailing/cite_unavailable.html", status=404)
    return render(request, "mailing/follow_done.html", {"cite": cite})


@never_cache
@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A confirmed subscriber confirms a new cité. GET shows a button (mail scanners follow
    links); POST applies it, idempotently."""
    found = read_follow_token(token)
    if found is None:
        return render(request, "mailing/confirm_result.html", {"result": "invalid"}, status=400)
    subscriber, cite, newsletter, webinars = found
    if request.method == "GET":
        context = {"cite": cite, "token": token, "newsletter": newsletter, "webinars": webinars}
        return render(request, "mailing/follow_confirm.html", context)
    add_followed_cite(
        subscriber,
        cite,
        newsletter=newsletter,
        webinars=webinars,
        source=request.path,
        ip_hash=hash_ip(client_ip(request)),
    )
    subscriber.refresh_from_db()
    return render(
        request,
        "mailing/follow_confirmed.html",
        {"cite": cite, "lists": what_they_receive(subscriber)},
    )


@csrf_exempt  # Amazon SNS posts here; the message signature is the authentication.
@require_POST
def ses_notifications(request: HttpRequest) -> HttpResponse:
    try:
        body = read_sns_body(request)  # refused (413) before reading when larger than SNS sends
    except SNSBodyTooLarge:
        return HttpResponse("Message too large.", status=413, content_type="text/plain")
    outcome = notifications.handle_sns_request(body)
    return HttpResponse(outcome.message, status=outcome.status, content_type="text/plain")
