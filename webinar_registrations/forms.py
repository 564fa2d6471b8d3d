"""The public registration form (French labels and messages)."""

from django import forms

from mailing.forms import SubscriptionForm
from renouveau.abuse import HoneypotForm
from renouveau.profiles import VisitorProfile


class RegistrationForm(HoneypotForm):
    name = forms.CharField(
        label="Prénom et nom",
        max_length=150,
        error_messages={"required": "Saisissez votre prénom et votre nom."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = SubscriptionForm.base_fields["email"]  # the same field and messages everywhere
    organisation = forms.CharField(
        label="Organisation (facultatif)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    profile = forms.ChoiceField(
        label="Vous êtes",
        choices=[("", "—"), *VisitorProfile.choices],
        error_messages={
            "required": "Choisissez ce qui vous décrit le mieux.",
            "invalid_choice": "Choisissez une réponse de la liste.",
        },
    )

    # The fields as the template lists them, required ones marked.
    required_fields = ("name", "email", "profile")
