"""« Importer des abonnés »: a partner's CSV of people who consented elsewhere, in two steps —
upload and preview (nothing written), then « Confirmer l’import » (audience/pending_imports.py
holds the file between them; audience/csv_io.py reads and writes the rows)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from ..audience.consents import CONSENT_TEXT_VERSION
from ..audience.csv_io import (
    IMPORT_COLUMNS,
    REQUIRED_COLUMNS,
    ImportFileError,
    ImportReport,
    decode_csv,
)
from ..audience.pending_imports import confirm_import, hold_import

SHOWN_ROWS = 200  # rows of the problems table; the total is said above it


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Colonnes obligatoires\u00a0: "
        + ", ".join(REQUIRED_COLUMNS)
        + "\u00a0; facultatives\u00a0: "
        + ", ".join(c for c in IMPORT_COLUMNS if c not in REQUIRED_COLUMNS)
        + ". « listes »\u00a0: «\u00a0lettre\u00a0», «\u00a0webinaires\u00a0» ou les deux, "
        "séparées par «\u00a0;\u00a0». 10\u00a0Mo au plus.",
    )
    description = forms.CharField(
        label="Description du fichier (facultatif)",
        max_length=300,
        required=False,
        help_text="D’où vient ce fichier, par exemple «\u00a0Liste de la CA Lens-Liévin, "
        "transmise le 3\u00a0décembre 2026\u00a0». La source et la date du consentement de "
        "chaque personne sont dans ses colonnes.",
    )
    consent_text_version = forms.CharField(
        label="Version du texte de consentement", max_length=40, initial=CONSENT_TEXT_VERSION
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:  # before reading it
            raise forms.ValidationError("Fichier trop volumineux (10\u00a0Mo au plus).")
        try:
            return decode_csv(upload.read())
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc


def _context(report: ImportReport) -> dict:
    problems = report.problems()
    return {"report": report, "problems": problems[:SHOWN_ROWS], "problem_count": len(problems)}


@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("mailing.add_subscriber"):
        raise PermissionDenied
    if request.method == "POST" and "key" in request.POST:  # step 2: « Confirmer l’import »
        report = confirm_import(request.POST["key"][:64], user=request.user)
        if report is None:
            messages.error(
                request,
                "Cet import a déjà été confirmé ou a expiré\u00a0: déposez le fichier à nouveau.",
            )
            return TemplateResponse(
                request, "mailing/admin/import.html", {"form": ImportForm()}, status=400
            )
        messages.success(request, f"Import n°{report.record.pk} enregistré.")
        return TemplateResponse(
            request, "mailing/admin/import.html", {"form": ImportForm(), **_context(report)}
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():  # step 1: the preview, nothing written
        try:
            key, report = hold_import(
                form.cleaned_data["file"],
                user=request.user,
                file_name=request.FILES["file"].name,
                description=form.cleaned_data["description"],
                consent_text_version=form.cleaned_data["consent_text_version"],
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return TemplateResponse(
                request,
                "mailing/admin/import_preview.html",
                {"key": key, "file_name": request.FILES["file"].name, **_context(report)},
            )
    return TemplateResponse(
        request,
        "mailing/admin/import.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
