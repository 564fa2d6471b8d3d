import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from .compose import find_page_by_address
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


# Pages chosen at once on « Ajouter des pages en teasers »: one Wagtail page chooser each.
CHOOSERS = 6


class AddPagesForm(forms.Form):
    """Pages chosen with Wagtail's page chooser (the usual way), or addresses copied from the
    site (kept for editors who have them at hand); chosen pages first, then the addresses."""

    addresses = forms.CharField(
        label="Ou des adresses copiées depuis le site",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Une adresse par ligne, dans l'ordre voulu (par exemple /actualites/comite/ "
        "ou l'adresse complète copiée depuis le site).",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choosers = {
            f"page_{n}": forms.ModelChoiceField(
                queryset=Page.objects.live().filter(depth__gt=1),
                label=f"Page {n}",
                required=False,
                error_messages={
                    "invalid_choice": "Cette page n’est pas publiée\u00a0: un lecteur "
                    "n’aurait rien à ouvrir."
                },
                widget=AdminPageChooser(),
            )
            for n in range(1, CHOOSERS + 1)
        }
        self.fields = {**choosers, "addresses": self.fields["addresses"]}

    def chooser_fields(self) -> list:
        return [self[f"page_{n}"] for n in range(1, CHOOSERS + 1)]

    def clean_addresses(self) -> list:
        lines = [line.strip() for line in self.cleaned_data["addresses"].splitlines()]
        lines = [line for line in lines if line]
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

    def clean(self) -> dict:
        cleaned = super().clean()
        chosen = [cleaned.get(f"page_{n}") for n in range(1, CHOOSERS + 1)]
        pages = [page for page in chosen if page is not None] + cleaned.get("addresses", [])
        if not pages and not self.errors:
            raise ValidationError("Choisissez au moins une page.")
        cleaned["pages"] = pages
        return cleaned
