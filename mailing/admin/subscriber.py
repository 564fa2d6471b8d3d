"""The subscriber's page in the admin (GDPR art. 15, right of access): what staff show a person
who asks what we hold and did with their address — consent proof, each list's consent given or
withdrawn, preference changes, the mails sent to them with their fate, bounces and complaints —
with the erase button. Reached from the subscribers list; for staff who may see subscribers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from ..counters import erase_subscriber
from ..models import BounceRecord, ConsentRecord, Delivery, PreferenceChange, Subscriber
from .permissions import can_view_subscribers

FIELD_LABELS = {
    "newsletter": "Lettre d'information",
    "webinar_announcements": "Annonces de webinaires",
    "cites": "Cités suivies",
    "profile": "Profil",
    "communes": "Communes d'intérêt",
    "statut": "Statut",
}


@dataclass
class Incident:
    delivery: Delivery
    kind: str
    at: Any


@dataclass
class SubscriberFile:
    subscriber: Subscriber
    consents: list[ConsentRecord]
    preference_changes: list[tuple[PreferenceChange, list[tuple[str, str, str]]]]
    deliveries: list[Delivery]
    incidents: list[Incident]
    bounces: list[BounceRecord]  # as SES classified them, with its diagnostic


def _value(value: Any) -> str:
    """A recorded value in French: « oui », « non », a list joined, « — » for nothing."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return "—" if value in (None, "") else str(value)


def _readable_changes(change: PreferenceChange) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field the person changed."""
    rows = []
    for key, values in (change.changes or {}).items():
        values = values if isinstance(values, dict) else {"après": values}
        before, after = values.get("avant"), values.get("après")
        if key == "profile":  # logged as the code (« elu »): shown as the list says it
            profiles = dict(Subscriber.Profile.choices)
            before, after = profiles.get(before, before), profiles.get(after, after)
        rows.append((FIELD_LABELS.get(key, key), _value(before), _value(after)))
    return rows


def subscriber_file(subscriber: Subscriber) -> SubscriberFile:
    """Everything recorded about this subscriber, newest first (six queries)."""
    deliveries = list(
        subscriber.deliveries.select_related("campaign").order_by("-campaign__created_at", "-pk")
    )
    incidents = [
        Incident(delivery, kind, getattr(delivery, field))
        for delivery in deliveries
        for field, kind in (
            ("bounced_at", "Rebond définitif"),
            ("soft_bounced_at", "Rebond temporaire"),
            ("complained_at", "Plainte pour spam"),
        )
        if getattr(delivery, field)
    ]
    return SubscriberFile(
        subscriber=subscriber,
        consents=list(subscriber.consents.select_related("cite")),
        preference_changes=[
            (change, _readable_changes(change)) for change in subscriber.preference_changes.all()
        ],
        deliveries=deliveries,
        incidents=sorted(incidents, key=lambda incident: incident.at, reverse=True),
        bounces=list(subscriber.bounces.all()),
    )


def subscriber_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_view_subscribers(request.user):
        raise PermissionDenied
    subscriber = get_object_or_404(
        # The import record and its author are shown: joined, not two more queries.
        Subscriber.objects.select_related("subscriber_import__created_by").prefetch_related(
            "communes", "cites"
        ),
        pk=pk,
    )
    return TemplateResponse(
        request,
        "mailing/admin/subscriber.html",
        {
            "file": subscriber_file(subscriber),
            "subscriber": subscriber,
            "can_erase": request.user.has_perm("mailing.delete_subscriber"),
        },
    )


@require_http_methods(["GET", "POST"])
def erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("mailing.delete_subscriber"):
        raise PermissionDenied
    subscriber = get_object_or_404(Subscriber, pk=pk)
    if request.method == "POST":
        email = subscriber.email
        erase_subscriber(subscriber)
        messages.success(request, f"Toutes les données de {email} ont été effacées.")
        return redirect("mailing_subscriber_modeladmin_index")
    return TemplateResponse(
        request,
        "mailing/admin/erase.html",
        {"subscriber": subscriber, "deliveries": subscriber.deliveries.count()},
    )
