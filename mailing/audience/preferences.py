"""The personal preferences page (signed link in every mail, no account): profile, communes and
cités followed, newsletter yes/no, webinar announcements yes/no, and « tout arrêter ». Each change
is logged with the consent proof of the moment (`PreferenceChange`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone

from cites_pages.models import CityPage, Commune

from ..models import CiteUpdate, Subscriber
from .consents import WEBINARS_CONSENT_TEXT, WEBINARS_CONSENT_TEXT_VERSION, Topic, record_consents
from .follow import FOLLOW_CONSENT_TEXT_VERSION, log_preference_change, public_cites

PREFERENCES_TEXT_VERSION = "2026-12-preferences-v1"
FREQUENCY_ERROR = "Choisissez « chaque soir » ou « une fois par semaine »."


class PreferencesForm(forms.Form):
    newsletter = forms.BooleanField(
        label="Recevoir la lettre d'information (quelques numéros par an)", required=False
    )
    webinar_announcements = forms.BooleanField(label=WEBINARS_CONSENT_TEXT, required=False)
    cites = forms.ModelMultipleChoiceField(
        label="Cités suivies : un courriel quand une actualité, un retour d'expérience, un "
        "webinaire ou un document les concerne",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choisissez des cités de la liste."},
    )
    alert_frequency = forms.ChoiceField(
        label="Nouveautés des cités suivies",
        choices=Subscriber.AlertFrequency.choices,
        initial=Subscriber.AlertFrequency.DAILY,
        required=False,  # absent: unchanged
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": FREQUENCY_ERROR},
    )
    profile = forms.ChoiceField(
        label="Vous êtes", choices=[("", "—")] + list(Subscriber.Profile.choices), required=False
    )
    communes = forms.ModelMultipleChoiceField(
        label="Communes qui vous intéressent",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choisissez des communes de la liste."},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Only cités the public can see may be offered (and followed): never a private, draft
        # or expired one.
        self.fields["cites"].queryset = public_cites().order_by("title")
        self.fields["communes"].queryset = Commune.objects.order_by("name")

    @classmethod
    def for_subscriber(cls, subscriber: Subscriber, data=None) -> PreferencesForm:
        return cls(data, initial=current_preferences(subscriber))


def current_preferences(subscriber: Subscriber) -> dict[str, Any]:
    # After « Tout arrêter » nothing is received, so nothing shows ticked (whatever older rows
    # still hold).
    active = subscriber.status in (Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED)
    return {
        "newsletter": active and subscriber.newsletter,
        "webinar_announcements": active and subscriber.webinar_announcements,
        "cites": list(subscriber.cites.values_list("pk", flat=True)) if active else [],
        "alert_frequency": subscriber.alert_frequency,
        "profile": subscriber.profile,
        "communes": list(subscriber.communes.values_list("pk", flat=True)),
    }


def save_preferences(
    subscriber: Subscriber, data: dict[str, Any], *, ip_hash: str = "", source: str = ""
) -> dict[str, Any]:
    """Apply the form's cleaned data; returns the changes (empty: nothing changed). An address
    that had unsubscribed and asks for something again is subscribed again: the signed link
    proves it reads this mailbox, and the change is logged as its new consent."""
    before = current_preferences(subscriber)
    after = {
        "newsletter": bool(data.get("newsletter")),
        "webinar_announcements": bool(data.get("webinar_announcements")),
        "cites": sorted(c.pk for c in data.get("cites") or []),
        "alert_frequency": data.get("alert_frequency") or subscriber.alert_frequency,
        "profile": data.get("profile") or "",
        "communes": sorted(c.pk for c in data.get("communes") or []),
    }
    changes = {
        key: {"avant": _readable(key, before[key]), "après": _readable(key, value)}
        for key, value in after.items()
        if (sorted(before[key]) if isinstance(value, list) else before[key]) != value
    }
    wants_something = after["newsletter"] or after["webinar_announcements"] or after["cites"]
    resubscribe = subscriber.status == Subscriber.Status.UNSUBSCRIBED and wants_something
    if not changes and not resubscribe:
        return {}
    now = timezone.now()
    with transaction.atomic():
        fields = {
            "newsletter": after["newsletter"],
            "webinar_announcements": after["webinar_announcements"],
            "alert_frequency": after["alert_frequency"],
            "profile": after["profile"],
            "last_interaction_at": now,
        }
        if after["alert_frequency"] != subscriber.alert_frequency:
            # What the old frequency sent until now: the new one sends the rest, once.
            covered = subscriber.alerts_covered_until
            fields["alerts_covered_until"] = covered or CiteUpdate.announced_until(
                subscriber.alert_frequency
            )
        if resubscribe:
            changes["statut"] = {"avant": "désabonné", "après": "abonné"}
            fields.update(
                status=Subscriber.Status.CONFIRMED,
                consent_at=now,
                confirmed_at=now,
                consent_source=source[:300],
                consent_text_version=PREFERENCES_TEXT_VERSION,
                consent_ip_hash=ip_hash,
                unsubscribed_at=None,
            )
        Subscriber.objects.filter(pk=subscriber.pk).update(**fields)
        subscriber.cites.set(after["cites"])
        subscriber.communes.set(after["communes"])
        log_preference_change(
            subscriber, changes, source=source, version=PREFERENCES_TEXT_VERSION, ip_hash=ip_hash
        )
        _record_list_consents(subscriber, before, after, source=source, ip_hash=ip_hash)
    return changes


def _record_list_consents(
    subscriber: Subscriber, before: dict, after: dict, *, source: str, ip_hash: str
) -> None:
    """One consent record per list ticked or unticked on the page."""
    versions = {
        Topic.NEWSLETTER: PREFERENCES_TEXT_VERSION,
        Topic.WEBINARS: WEBINARS_CONSENT_TEXT_VERSION,
        Topic.CITE: FOLLOW_CONSENT_TEXT_VERSION,
    }
    for given in (True, False):
        record_consents(
            subscriber,
            given=given,
            newsletter=after["newsletter"] is given and before["newsletter"] is not given,
            webinars=after["webinar_announcements"] is given
            and before["webinar_announcements"] is not given,
            cites=set(after["cites"] if given else before["cites"])
            - set(before["cites"] if given else after["cites"]),
            source=source,
            versions=versions,
            ip_hash=ip_hash,
        )


def unfollow_cite(subscriber: Subscriber, cite: CityPage, *, source: str = "") -> bool:
    """One click from an alert: stop following this cité only."""
    if not subscriber.cites.filter(pk=cite.pk).exists():
        return False
    subscriber.cites.remove(cite)
    log_preference_change(
        subscriber,
        {"cites_removed": [cite.title]},
        source=source,
        version=PREFERENCES_TEXT_VERSION,
    )
    return True


def _readable(key: str, value: Any) -> Any:
    """The logged value as staff read it (names, not ids)."""
    if key == "cites":
        return list(
            CityPage.objects.filter(pk__in=value).order_by("title").values_list("title", flat=True)
        )
    if key == "alert_frequency":
        return Subscriber.AlertFrequency(value).label
    if key == "communes":
        return list(
            Commune.objects.filter(pk__in=value).order_by("name").values_list("name", flat=True)
        )
    return value
