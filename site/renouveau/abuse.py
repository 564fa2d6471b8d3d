"""What every public form that sends mail uses against abuse: one honeypot, one rate-limit key,
and one notion of « the same mailbox » for every limit on mail sent by the site."""

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

# Providers known to deliver every dotted spelling of a local part to the same mailbox.
_DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}


class HoneypotForm(forms.Form):
    # Hidden from people (CSS `.honeypot`, aria-hidden, tabindex -1), filled in by naive bots.
    website = forms.CharField(label="Ne pas remplir ce champ", required=False)

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


def canonical_email(email: str) -> str:
    """The mailbox an address reaches, for counting: lower case, no `+tag`, no dots in the local
    part. « Jeanne.Dupont+x@Example.org » and « jeannedupont@example.org » count as one address
    (stricter than needed for providers that honour dots, which is what a limit wants)."""
    email = str(email or "").strip().lower()
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    local = local.split("+", 1)[0].replace(".", "")
    domain = _DOMAIN_ALIASES.get(domain.rstrip("."), domain.rstrip("."))
    return f"{local}@{domain}"


def email_domain(email: str) -> str:
    return canonical_email(email).rpartition("@")[2]


def email_ratelimit_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit key: the mailbox of the address typed in the form (canonical_email), so
    that `+tag` and dotted variants share one counter."""
    return canonical_email(request.POST.get("email", ""))


def ip_limited(request: HttpRequest, group: str, rate: str) -> bool:
    """One more attempt from this visitor's IP; True once over `rate` (e.g. "10/h")."""
    return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)


def address_limited(request: HttpRequest, group: str, rate: str) -> bool:
    """One more attempt for the mailbox typed in the form; True once over `rate`. Forms answer
    a limited address as any other (no enumeration), but send it nothing."""
    return is_ratelimited(request, group=group, key=email_ratelimit_key, rate=rate, increment=True)


def hourly_mail_cap_reason(recent: QuerySet, email: str, *, per_site: int, per_domain: int) -> str:
    """Why no confirmation mail may go now ('' when one may): `recent` holds the requests of the
    last hour (without this one), capped for the whole site and per address domain, since
    anyone can type anyone's address."""
    if recent.count() >= per_site:
        return f"Confirmation non envoyée\u00a0: plafond du site ({per_site} par heure)."
    domain = email_domain(email)
    if recent.filter(email__iendswith=f"@{domain}").count() >= per_domain:
        return (
            f"Confirmation non envoyée\u00a0: plafond du domaine {domain} ({per_domain} par heure)."
        )
    return ""
