"""« Importer des abonnés »: a CSV file of people who consented elsewhere (audience/csv_io.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from ..audience.consents import CONSENT_TEXT_VERSION
from ..audience.csv_io import IMPORT_COLUMNS, import_subscribers


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Colonnes : " + ", ".join(IMPORT_COLUMNS) + " (seule « email » est obligatoire).",
    )
    source = forms.CharField(
        label="Source du consentement",
        max_length=250,
        help_text="Où et comment ces personnes ont accepté de recevoir la lettre, par exemple "
        "« Fiches papier, réunion publique de Rouvroy, 12/05/2026 ».",
    )
    consent_text_version = forms.CharField(
        label="Version du texte de consentement", max_length=40, initial=CONSENT_TEXT_VERSION
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("Fichier trop volumineux (10 Mo au plus).")
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError("Encodage du fichier non reconnu (UTF-8 attendu).")


@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("mailing.add_subscriber"):
        raise PermissionDenied
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = import_subscribers(
            form.cleaned_data["file"],
            source=form.cleaned_data["source"],
            consent_text_version=form.cleaned_data["consent_text_version"],
        )
        messages.success(
            request,
            f"{report.created} abonné(s) importé(s), {report.skipped} ligne(s) écartée(s).",
        )
    return TemplateResponse(
        request,
        "mailing/admin/import.html",
        {"form": form, "report": report},
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )
