"""Staff side of one campaign: its progress page and the actions on it (pause, resume — with the
bounce-pause override —, cancel, settle uncertain deliveries, set aside bouncing domains)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .. import delivery
from ..delivery import health
from ..models import Campaign, Delivery
from .permissions import can_send, can_view_campaigns


def _act(request: HttpRequest, campaign: Campaign) -> None:
    action = request.POST.get("action")
    user = request.user
    if action == "pause" and delivery.pause_campaign(campaign, user=user):
        messages.success(request, "Envoi mis en pause.")
    elif action in ("resume", "resume_override"):
        override = action == "resume_override"
        if override and request.POST.get("confirm_override") != "1":
            messages.error(
                request, "Cochez la case de confirmation pour reprendre malgré les rebonds."
            )
            return
        try:
            delivery.resume_campaign(campaign, user=user, override=override)
        except delivery.ResumeRefused as refused:
            messages.error(request, "Reprise refusée : " + " ".join(refused.problems))
        else:
            messages.success(
                request,
                "Envoi repris malgré les rebonds (reprise enregistrée à votre nom)."
                if override
                else "Envoi repris.",
            )
    elif action == "unschedule" and delivery.unschedule_campaign(campaign, user=user):
        messages.success(request, "Programmation annulée : rien n'a été envoyé.")
    elif action == "cancel" and delivery.cancel_campaign(campaign, user=user):
        messages.success(request, "Envoi annulé : les destinataires restants sont écartés.")
    elif action == "resend_uncertain":
        count = delivery.resend_uncertain(campaign)
        messages.success(request, f"{count} envoi(s) incertain(s) remis en file.")
    elif action == "resend_temporary_failures":
        count = delivery.resend_temporary_failures(campaign, user=user)
        messages.success(request, f"{count} échec(s) temporaire(s) remis en file.")
    elif action == "mark_uncertain_sent":
        count = delivery.mark_uncertain_as_sent(campaign)
        messages.success(request, f"{count} envoi(s) incertain(s) marqué(s) comme envoyés.")
    elif action == "set_aside_domains":
        count = health.set_aside(campaign, request.POST.getlist("domains"), user=user)
        suppressed = health.suppress_addresses(campaign, user=user)
        messages.success(
            request,
            f"{count} destinataire(s) écarté(s), {suppressed} adresse(s) en cause suspendue(s).",
        )
    else:
        messages.error(request, "Action impossible dans l'état actuel de l'envoi.")


@require_http_methods(["GET", "POST"])
def campaign_progress(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_view_campaigns(request.user):
        raise PermissionDenied
    campaign = get_object_or_404(
        Campaign.objects.select_related("issue", "created_by", "health_override_by"), pk=pk
    )
    if request.method == "POST":
        if not can_send(request.user):
            raise PermissionDenied
        _act(request, campaign)
        return redirect("mailing_admin_campaign", campaign.pk)
    state = delivery.progress(campaign)
    temporary_failures = delivery.count_temporary_failures(campaign)
    uncertain = campaign.deliveries.filter(status=Delivery.Status.UNCERTAIN).select_related(
        "subscriber"
    )[:50]
    health_pause = (
        campaign.status == Campaign.Status.PAUSED
        and campaign.pause_cause == Campaign.PauseCause.HEALTH
    )
    cause = health.cause(campaign) if health_pause else None
    return TemplateResponse(
        request,
        "mailing/admin/progress.html",
        {
            "campaign": campaign,
            "state": state,
            "uncertain": uncertain,
            "temporary_failures": temporary_failures,
            "health_pause": health_pause,
            "cause": cause,
            "blockers": health.resume_blockers(campaign) if health_pause else [],
            "events": campaign.events.select_related("user")[:30],
            "can_send": can_send(request.user),
            "refresh": campaign.status == Campaign.Status.SENDING,
            "deliveries_url": reverse("mailing_delivery_modeladmin_index")
            + f"?campaign__id__exact={campaign.pk}",
        },
    )
