"""« Envoyer aux abonnés »: one form (audience, schedule, acknowledgement, confirmed count) and
the launch_campaign() service behind it. The issue is rendered once, for the warnings shown
and for the campaign itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cites_pages.models import Commune
from newsletter.checks import issue_checks
from newsletter.models import NewsletterIssuePage
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue

from .. import delivery
from ..models import Campaign, SavedSegment, Subscriber
from .permissions import can_send

SEGMENT_FIELDS = ("saved_segment", "profiles", "communes", "webinar_announcement")


class SendForm(forms.Form):
    """The audience (a GET updates the count), then on POST the schedule, the acknowledgement
    of the warnings and the recipient count the editor saw."""

    saved_segment = forms.ModelChoiceField(
        label="Segment enregistré",
        queryset=SavedSegment.objects.all(),
        required=False,
        empty_label="Aucun : les critères ci-dessous",
        help_text="Sa liste et ses critères ; ceux cochés ci-dessous le restreignent encore.",
        error_messages={"invalid_choice": "Ce segment n'existe plus : choisissez-en un autre."},
    )
    profiles = forms.MultipleChoiceField(
        label="Profils",
        choices=Subscriber.Profile.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : tous les profils.",
    )
    communes = forms.ModelMultipleChoiceField(
        label="Communes d'intérêt",
        queryset=Commune.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune cochée : toutes les communes (et les abonnés sans commune).",
    )
    webinar_announcement = forms.BooleanField(
        label="Annonce de webinaire",
        required=False,
        help_text="Coché : envoyer aux abonnés qui ont choisi les annonces de webinaires (qu'ils "
        "reçoivent la lettre ou non), au lieu des abonnés à la lettre.",
    )
    scheduled_for = forms.DateTimeField(
        label="Programmer l'envoi (facultatif)",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Laissez vide pour envoyer tout de suite. Heure de Paris. Annulable jusqu'au "
        "départ de l'envoi.",
        error_messages={
            "invalid": "Saisissez une date et une heure valides, par exemple 12/01/2027 09:00."
        },
    )
    acknowledge_warnings = forms.BooleanField(required=False)
    # Not required and never an error: a missing or stale count is refused by launch_campaign.
    confirm_count = forms.CharField(required=False)

    def clean_scheduled_for(self):
        when = self.cleaned_data.get("scheduled_for")
        if when is None:
            return None
        now = timezone.now()
        if when <= now + timedelta(minutes=1):
            raise forms.ValidationError("Choisissez une date et une heure à venir.")
        if when > now + timedelta(days=366):
            raise forms.ValidationError("Programmez l'envoi dans l'année qui vient.")
        return when

    def segment_errors(self) -> bool:
        return self.is_bound and any(name in self.errors for name in SEGMENT_FIELDS)

    def segment(self) -> delivery.Segment:
        if not self.is_bound:
            return delivery.Segment()
        self.is_valid()  # cleans every field: a bad date leaves the audience fields clean
        data = self.cleaned_data
        saved = data.get("saved_segment")
        return delivery.Segment(
            saved_segment_id=saved.pk if saved else None,
            profiles=tuple(data.get("profiles") or ()),
            commune_ids=tuple(c.pk for c in data.get("communes") or ()),
            webinar_announcement=bool(data.get("webinar_announcement")),
        )

    def expected_count(self) -> int | None:
        count = self.cleaned_data.get("confirm_count", "")
        return int(count) if count.isdigit() else None


def presend_rendering(issue) -> Any:
    """The published issue (the page row holds it) rendered as a campaign sends it."""
    return render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)


def _launch(request: HttpRequest, issue, form: SendForm, rendered, warnings) -> Campaign:
    when = form.cleaned_data.get("scheduled_for")
    campaign = delivery.launch_campaign(
        issue,
        form.segment(),
        expected_count=form.expected_count(),
        user=request.user,
        rendered=rendered,
        warnings=warnings,
        when=when,
    )
    if when:
        local = timezone.localtime(when)
        messages.success(
            request, f"Envoi de « {campaign.subject} » programmé le {local:%d/%m/%Y à %H:%M}."
        )
    else:
        messages.success(
            request,
            f"Envoi de « {campaign.subject} » lancé pour "
            f"{campaign.recipient_count} destinataire(s).",
        )
    return campaign


@require_http_methods(["GET", "POST"])
def send_to_subscribers(request: HttpRequest, page_id: int) -> HttpResponse:
    if not can_send(request.user):
        raise PermissionDenied
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    posted = request.method == "POST"
    form = SendForm(request.POST if posted else request.GET or None)
    if form.segment_errors():
        return TemplateResponse(
            request, "mailing/admin/send.html", {"issue": issue, "form": form}, status=400
        )
    segment = form.segment()
    audience = delivery.recipients(segment)
    problems: list[str] = []
    if not issue.live:
        problems.append("La lettre n'est pas publiée : publiez-la avant de l'envoyer.")
    if posted:
        problems.extend(form.errors.get("scheduled_for", []))
    rendered = presend_rendering(issue) if issue.live else None
    # The one list of checks (newsletter.checks.issue_checks): its warnings need the tick.
    warnings = issue_checks(issue, rendered).warnings if rendered else []
    if posted and warnings and not form.cleaned_data.get("acknowledge_warnings"):
        problems.append("Cochez la case pour confirmer que vous avez lu les avertissements.")
    if posted and not problems:
        try:
            campaign = _launch(request, issue, form, rendered, warnings)
        except delivery.CampaignError as error:
            problems.extend(error.problems)
        else:
            return redirect("mailing_admin_campaign", campaign.pk)
    return TemplateResponse(
        request,
        "mailing/admin/send.html",
        {
            "issue": issue,
            "form": form,
            "segment_label": segment.label(),
            "count": audience.count(),
            "preview": audience.order_by("email").only("email", "first_name", "profile")[:20],
            "problems": problems,
            "warnings": warnings,
            "previous": Campaign.objects.filter(issue=issue).order_by("-created_at")[:5],
            "unpublished_changes": issue.has_unpublished_changes,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[issue.pk]),
        },
        status=422 if problems and posted else 200,
    )
