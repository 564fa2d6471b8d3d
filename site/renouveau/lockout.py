"""Admin login throttling (django-axes): who gets locked, and the page they see.

Axes locks the pair (username, client IP) after AXES_FAILURE_LIMIT wrong passwords: a guesser
elsewhere cannot lock a member of staff out, who can still log in from their own address. The
backstop, AXES_IP_FAILURE_LIMIT, locks one client IP that fails too often over any usernames
(password spraying): only that address is stopped, never an account.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def ip_failures(request: HttpRequest, ip_address: str) -> int:
    """Wrong passwords from this client IP, over every username, within the cool-off."""
    since = timezone.now() - get_cool_off(request)
    attempts = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class ThrottlingHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-IP backstop."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        return ip_failures(request, ip_address) >= settings.AXES_IP_FAILURE_LIMIT


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": minutes,
    }
    return render(request, "renouveau/lockout.html", context, status=429)
