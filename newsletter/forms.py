import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .testsend import MAX_TEST_RECIPIENTS


class SendTestForm(forms.Form):
    addresses = forms.CharField(
        label="Adresses de test",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Une à {MAX_TEST_RECIPIENTS} adresses, séparées par des virgules ou des "
        "retours à la ligne.",
    )

    def clean_addresses(self) -> list[str]:
        raw = [part for part in re.split(r"[\s,;]+", self.cleaned_data["addresses"]) if part]
        if not raw:
            raise ValidationError("Saisissez au moins une adresse.")
        invalid = []
        for address in raw:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
        if invalid:
            raise ValidationError("Adresse(s) non valide(s) : " + ", ".join(invalid[:5]))
        addresses = list(dict.fromkeys(address.lower() for address in raw))
        if len(addresses) > MAX_TEST_RECIPIENTS:
            raise ValidationError(f"Pas plus de {MAX_TEST_RECIPIENTS} adresses pour un test.")
        return addresses


class AddPagesForm(forms.Form):
    addresses = forms.CharField(
        label="Adresses des pages",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Une adresse par ligne, dans l'ordre voulu (par exemple /actualites/comite/ "
        "ou l'adresse complète copiée depuis le site). Chaque page devient un bloc « Page mise "
        "en avant » modifiable, ajouté à la fin de la lettre.",
    )

    def clean_addresses(self) -> list:
        from .compose import find_page_by_address

        lines = [line.strip() for line in self.cleaned_data["addresses"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise ValidationError("Saisissez au moins une adresse.")
        if len(lines) > 30:
            raise ValidationError("Pas plus de 30 pages à la fois.")
        pages, unknown = [], []
        for line in lines:
            page = find_page_by_address(line)
            if page is None:
                unknown.append(line)
            else:
                pages.append(page)
        if unknown:
            raise ValidationError("Aucune page publiée à ces adresses : " + ", ".join(unknown[:5]))
        return pages
