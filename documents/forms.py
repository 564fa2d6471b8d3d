from django import forms

from renouveau.abuse import HoneypotForm
from renouveau.profiles import VisitorProfile


class DocumentRequestForm(HoneypotForm):
    name = forms.CharField(
        label="Nom et prénom",
        max_length=150,
        error_messages={"required": "Indiquez votre nom et votre prénom."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Le lien de téléchargement vous est envoyé à cette adresse.",
        error_messages={
            "required": "Indiquez votre adresse e-mail.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label="Organisme",
        max_length=150,
        required=False,
        help_text="Facultatif.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    profile = forms.ChoiceField(
        label="Vous êtes",
        choices=[("", "— Choisissez —"), *VisitorProfile.choices],
        error_messages={
            "required": "Choisissez ce qui vous décrit le mieux.",
            "invalid_choice": "Choisissez un profil dans la liste.",
        },
    )
    purpose = forms.CharField(
        label="Usage prévu du document",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="En quelques mots (1 000 caractères au plus).",
        error_messages={
            "required": "Indiquez en quelques mots l’usage prévu du document.",
            "max_length": "Décrivez l’usage en 1 000 caractères au plus.",
        },
    )
    consent = forms.BooleanField(
        label="J'accepte que mes coordonnées soient conservées pour le suivi des demandes de "
        "documents (12 mois au plus).",
        error_messages={
            "required": "Cochez la case pour accepter la conservation de vos coordonnées\u00a0: "
            "sans cet accord, la demande ne peut pas être traitée."
        },
    )
    newsletter = forms.BooleanField(
        label="Je souhaite aussi recevoir la lettre d'information (un e-mail de confirmation "
        "me sera envoyé).",
        required=False,
        initial=False,
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
