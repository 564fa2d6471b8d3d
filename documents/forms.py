from django import forms

from renouveau.abuse import HoneypotForm
from renouveau.profiles import VisitorProfile


class DocumentRequestForm(HoneypotForm):
    name = forms.CharField(label="Nom et prénom", max_length=150)
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Le lien de téléchargement vous est envoyé à cette adresse.",
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
        },
    )
    organisation = forms.CharField(
        label="Organisme", max_length=150, required=False, help_text="Facultatif."
    )
    profile = forms.ChoiceField(
        label="Vous êtes",
        choices=[("", "— Choisissez —"), *VisitorProfile.choices],
        error_messages={"invalid_choice": "Choisissez un profil dans la liste."},
    )
    purpose = forms.CharField(
        label="Usage prévu du document",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="En quelques mots (1 000 caractères au plus).",
    )
    consent = forms.BooleanField(
        label="J'accepte que mes coordonnées soient conservées pour le suivi des demandes de "
        "documents (12 mois au plus).",
        error_messages={"required": "Votre accord est nécessaire pour traiter la demande."},
    )
    newsletter = forms.BooleanField(
        label="Je souhaite aussi recevoir la lettre d'information (un e-mail de confirmation "
        "me sera envoyé).",
        required=False,
        initial=False,
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
