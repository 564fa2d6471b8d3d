"""The page shown by django-axes when an admin login is locked (French, with the delay)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    from axes.helpers import get_client_username, get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": minutes,
    }
    return render(request, "renouveau/lockout.html", context, status=429)
