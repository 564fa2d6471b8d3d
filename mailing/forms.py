"""The public subscription form (French labels and messages)."""

from django import forms

from cites_pages.models import Commune
from renouveau.abuse import HoneypotForm

from .audience.consents import CONSENT_TEXT, WEBINARS_CONSENT_TEXT
from .audience.follow import FOLLOW_CONSENT_TEXT
from .audience.preferences import FREQUENCY_ERROR
from .models import Subscriber

# Ids of the form when embedded in another page (block, template tag), distinct from the ids of
# the page's own forms (a document request form also has an "email" field).
EMBEDDED_AUTO_ID = "abonnement-%s"


class SubscriptionForm(HoneypotForm):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        error_messages={
            "required": "Saisissez votre adresse électronique.",
            "invalid": "Saisissez une adresse électronique valide, par exemple nom@exemple.fr.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label="Prénom (facultatif)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    profile = forms.ChoiceField(
        label="Vous êtes (facultatif)",
        choices=[("", "—")] + list(Subscriber.Profile.choices),
        required=False,
    )
    communes = forms.ModelMultipleChoiceField(
        label="Communes qui vous intéressent (facultatif)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choisissez des communes de la liste."},
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "Cochez la case pour confirmer votre accord."},
    )
    # Never ticked in advance: announcements only for those who ask (consent per list).
    webinar_announcements = forms.BooleanField(label=WEBINARS_CONSENT_TEXT, required=False)
    source = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = Commune.objects.order_by("name")

    def clean_source(self) -> str:
        # Only a local path is recorded as the consent source.
        source = self.cleaned_data.get("source") or ""
        return source if source.startswith("/") and not source.startswith("//") else ""


class FollowForm(HoneypotForm):
    """« Suivre cette cité »: an address, the letter too if wanted, and the consent."""

    email = SubscriptionForm.base_fields["email"]
    newsletter = forms.BooleanField(
        label="Recevoir aussi la lettre d'information du Renouveau du Bassin Minier",
        required=False,
    )
    webinar_announcements = SubscriptionForm.base_fields["webinar_announcements"]
    alert_frequency = forms.ChoiceField(
        label="Recevoir les nouveautés",
        choices=Subscriber.AlertFrequency.choices,
        initial=Subscriber.AlertFrequency.DAILY,
        required=False,  # absent: chaque soir
        widget=forms.RadioSelect,
        help_text="Déjà abonné ? Changez-le sur la page « Mes préférences » de vos courriels.",
        error_messages={"invalid_choice": FREQUENCY_ERROR},
    )
    consent = forms.BooleanField(
        label=FOLLOW_CONSENT_TEXT,
        error_messages={"required": "Cochez la case pour confirmer votre accord."},
    )
