"""Public pages: the registration form (never cached: it carries the visitor's CSRF token; the
cached webinar page only links to it), its answer, and the personal cancel link."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cites_pages.models import WebinarPage
from renouveau.abuse import address_limited, ip_limited
from renouveau.client_ip import client_ip
from renouveau.visibility import public_pages

from . import mails, registrations
from .forms import RegistrationForm
from .models import Registration


def _public_webinar(request: HttpRequest, page_id: int) -> WebinarPage:
    webinar = public_pages(WebinarPage.objects.filter(pk=page_id), request).first()
    if webinar is None:
        raise Http404("Webinaire introuvable")
    return webinar


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, page_id: int) -> HttpResponse:
    webinar = _public_webinar(request, page_id)
    context = {"webinar": webinar, "webinar_url": webinar.get_url(request)}
    if not registrations.registration_open(webinar):
        return render(request, "webinar_registrations/closed.html", context, status=410)
    context["full"] = registrations.is_full(webinar)
    if request.method == "GET":
        context["form"] = RegistrationForm()
        return render(request, "webinar_registrations/register.html", context)

    if ip_limited(
        request,
        "webinar_registrations.register.ip",
        settings.WEBINAR_REGISTER_RATE_PER_IP,
    ):
        return render(request, "webinar_registrations/rate_limited.html", context, status=429)

    form = RegistrationForm(request.POST)
    # The answer says only what any visitor would be told now (full or not), never what
    # happened to this address: already registered or not, the page is the same.
    done = reverse("webinar_registrations:done", args=[webinar.pk])
    if context["full"]:
        done += "?attente=1"
    if form.is_bot():
        return HttpResponseRedirect(done)  # nothing recorded, nothing sent
    if not form.is_valid():
        context["form"] = form
        return render(request, "webinar_registrations/register.html", context, status=400)
    if not address_limited(
        request,
        "webinar_registrations.register.email",
        settings.WEBINAR_REGISTER_RATE_PER_EMAIL,
    ):
        data = form.cleaned_data
        registrations.start_registration(
            webinar,
            email=data["email"],
            name=data["name"],
            organisation=data["organisation"],
            profile=data["profile"],
            ip=client_ip(request),
        )
    return HttpResponseRedirect(done)


def register_done(request: HttpRequest, page_id: int) -> HttpResponse:
    webinar = _public_webinar(request, page_id)
    context = {
        "webinar": webinar,
        "webinar_url": webinar.get_url(request),
        "waiting": request.GET.get("attente") == "1",
    }
    return render(request, "webinar_registrations/register_done.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST cancels, idempotently."""
    registration = mails.registration_from_cancel_token(token)
    if registration is None:
        return render(request, "webinar_registrations/cancel_invalid.html", status=404)
    webinar = registration.webinar
    context = {
        "webinar": webinar,
        "webinar_url": webinar.get_url(request),
        "registration": registration,
        "token": token,
    }
    if registration.status == Registration.Status.CANCELLED:
        return render(request, "webinar_registrations/cancel_done.html", context)
    if not webinar.is_upcoming:
        return render(request, "webinar_registrations/closed.html", context, status=410)
    if request.method == "GET":
        return render(request, "webinar_registrations/cancel.html", context)
    registrations.cancel(registration)
    return render(request, "webinar_registrations/cancel_done.html", context)
