"""What every public form that sends mail uses against abuse: one honeypot, one rate-limit key."""

from django import forms
from django.http import HttpRequest


class HoneypotForm(forms.Form):
    # Hidden from people (CSS `.honeypot`, aria-hidden, tabindex -1), filled in by naive bots.
    website = forms.CharField(label="Ne pas remplir ce champ", required=False)

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


def email_ratelimit_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit key: the address typed in the form, as it is stored (trimmed, lower)."""
    return str(request.POST.get("email", "")).strip().lower()
