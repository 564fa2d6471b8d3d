"""The redirect behind the letter's links: one more click on that link (at most one per client
and hour, links.first_click_of_client), nothing else recorded (no per-click row, IP, cookie or
subscriber), then on to the address stored at creation."""

from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from renouveau.client_ip import client_ip

from .delivery.links import first_click_of_client, read_token
from .models import TrackedLink


@never_cache  # every click must reach us (a cached redirect would not be counted)
@require_safe
def follow_link(request: HttpRequest, token: str) -> HttpResponse:
    key = read_token(token)
    link = TrackedLink.objects.filter(campaign_id=key[0], position=key[1]).first() if key else None
    if link is None:
        return render(request, "mailing/link_invalid.html", status=404)
    # A HEAD (link checkers) reads no page: not a click; nor a client's second GET this hour.
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    if request.method == "GET" and first_click_of_client(link.pk, client_ip(request), user_agent):
        TrackedLink.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    # Only ever the stored address (never one from the request): not an open redirect.
    response = HttpResponseRedirect(link.url)
    response["Referrer-Policy"] = "no-referrer"
    return response
