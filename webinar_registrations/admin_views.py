"""Staff side: webinars with their counts, each webinar's registrants (attendance, places,
CSV export). Defined here, only registered in wagtail_hooks.py."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cites_pages.models import WebinarPage
from renouveau.csv_export import csv_lines

from . import registrations
from .models import Registration

VIEW_PERMISSION = "webinar_registrations.view_registration"
CHANGE_PERMISSION = "webinar_registrations.change_registration"

EXPORT_COLUMNS = [
    "nom",
    "email",
    "organisation",
    "profil",
    "statut",
    "inscrit_le",
    "present",
    "annule_le",
]


def can_view(user) -> bool:
    return user.is_active and (user.has_perm(VIEW_PERMISSION) or user.has_perm(CHANGE_PERMISSION))


def can_change(user) -> bool:
    return user.is_active and user.has_perm(CHANGE_PERMISSION)


def index_view(request: HttpRequest) -> HttpResponse:
    if not can_view(request.user):
        raise PermissionDenied
    webinars = (
        WebinarPage.objects.defer_streamfields()
        .annotate(**registrations.count_annotations("registrations__"))
        .order_by("-start")
    )
    return TemplateResponse(
        request, "webinar_registrations/admin/index.html", {"webinars": webinars[:200]}
    )


class SettingsForm(forms.Form):
    capacity = forms.IntegerField(
        label="Nombre de places",
        min_value=1,
        required=False,
        help_text="Vide\u00a0: sans limite. Au-delà, les inscrits sont placés sur liste d'attente.",
    )
    open = forms.BooleanField(label="Inscriptions ouvertes sur le site", required=False)


@require_http_methods(["GET", "POST"])
def webinar_view(request: HttpRequest, page_id: int) -> HttpResponse:
    if not can_view(request.user):
        raise PermissionDenied
    webinar = get_object_or_404(WebinarPage, pk=page_id)
    current = registrations.settings_for(webinar)
    form = SettingsForm(initial={"capacity": current.capacity, "open": current.open})
    status = 200
    if request.method == "POST":
        if not can_change(request.user):
            raise PermissionDenied
        if request.POST.get("action") == "attendance":
            registrations.set_attended(webinar, request.POST.getlist("attended"))
            messages.success(request, "Présences enregistrées.")
            return redirect("webinar_registrations_admin_webinar", webinar.pk)
        form = SettingsForm(request.POST)
        if form.is_valid():
            promoted = registrations.set_capacity(
                webinar, capacity=form.cleaned_data["capacity"], open=form.cleaned_data["open"]
            )
            text = "Réglages enregistrés."
            if promoted:
                text += f" Liste d'attente\u00a0: {len(promoted)} inscrite(s) et prévenue(s)."
            messages.success(request, text)
            return redirect("webinar_registrations_admin_webinar", webinar.pk)
        status = 400
    context = {
        "webinar": webinar,
        "counts": registrations.counts(webinar),
        "capacity": current.capacity,
        "registrations": Registration.objects.filter(webinar=webinar).order_by(
            "status", "registered_at", "pk"
        ),
        "form": form,
        "can_change": can_change(request.user),
    }
    template = "webinar_registrations/admin/webinar.html"
    return TemplateResponse(request, template, context, status=status)


def export_rows(rows: Iterable[Registration]) -> Iterator[list[str]]:
    yield EXPORT_COLUMNS

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for r in rows:
        yield [
            r.name,
            r.email,
            r.organisation,
            r.get_profile_display() if r.profile else "",
            r.get_status_display(),
            when(r.registered_at),
            "oui" if r.attended else "non",
            when(r.cancelled_at),
        ]


def export_view(request: HttpRequest, page_id: int) -> HttpResponse:
    if not can_view(request.user):
        raise PermissionDenied
    webinar = get_object_or_404(WebinarPage, pk=page_id)
    rows = Registration.objects.filter(webinar=webinar).order_by("registered_at", "pk")
    lines = csv_lines(export_rows(rows.iterator(chunk_size=2000)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscrits-{webinar.slug}.csv"'
    return response


def admin_urls() -> list:
    return [
        path("webinaires-inscriptions/", index_view, name="webinar_registrations_admin"),
        path(
            "webinaires-inscriptions/<int:page_id>/",
            webinar_view,
            name="webinar_registrations_admin_webinar",
        ),
        path(
            "webinaires-inscriptions/<int:page_id>/export.csv",
            export_view,
            name="webinar_registrations_admin_export",
        ),
    ]
