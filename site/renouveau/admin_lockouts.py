"""« Connexions bloquées »: the admin logins django-axes is holding back, in the Wagtail admin
(the Django admin is not where staff work), with a button to unlock each one. Superusers only."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
def lockouts_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        # The row's id in the body, never the username or the address in a URL.
        attempt_id = request.POST.get("attempt", "")
        if not attempt_id.isdigit():
            messages.error(request, "Choisissez la connexion à débloquer.")
            return redirect("renouveau_admin_lockouts")
        deleted, _ = AccessAttempt.objects.filter(pk=int(attempt_id)).delete()
        if deleted:
            messages.success(request, "Connexion débloquée : la personne peut se reconnecter.")
        else:
            messages.warning(request, "Cette connexion n'est plus bloquée.")
        return redirect("renouveau_admin_lockouts")
    attempts = AccessAttempt.objects.order_by("-attempt_time")[:200]
    return TemplateResponse(
        request,
        "renouveau/admin/lockouts.html",
        {"attempts": attempts, "limit": settings.AXES_FAILURE_LIMIT},
    )


def admin_urls() -> list:
    return [path("connexions-bloquees/", lockouts_view, name="renouveau_admin_lockouts")]
