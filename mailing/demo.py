"""Demo subscribers (example.org addresses only): confirmed ones of every profile, and two
pending opt-ins. Idempotent: found again by address."""

from datetime import timedelta

from django.utils import timezone

from cites_pages.models import Commune

from .models import Subscriber

DEMO_SUBSCRIBERS = [
    # email, first name, profile, status, communes of interest (names, when A's demo has them)
    ("habitante.conde@example.org", "Nadia", "habitant", "confirmed", ["Condé-sur-l'Escaut"]),
    ("elu.vicq@example.org", "Bernard", "elu", "confirmed", ["Vicq"]),
    ("bailleur@example.org", "", "bailleur", "confirmed", []),
    ("association.drocourt@example.org", "Sylvie", "association", "confirmed", ["Drocourt"]),
    ("architecte@example.org", "Karim", "professionnel", "confirmed", ["Rouvroy", "Vicq"]),
    ("curieux@example.org", "", "autre", "confirmed", []),
    ("en-attente@example.org", "Paul", "habitant", "pending", ["Sallaumines"]),
    ("nouvelle@example.org", "", "", "pending", []),
]


def load(home) -> None:
    now = timezone.now()
    for i, (email, first_name, profile, status, communes) in enumerate(DEMO_SUBSCRIBERS):
        if Subscriber.objects.filter(email=email).exists():
            continue
        consent_at = now - timedelta(days=60 - i)
        subscriber = Subscriber.objects.create(
            email=email,
            first_name=first_name,
            profile=profile,
            status=status,
            consent_at=consent_at if status == "confirmed" else now - timedelta(days=1),
            consent_source="/lettre/abonnement/",
            consent_text_version="2026-11-v1",
            confirmed_at=consent_at + timedelta(minutes=7) if status == "confirmed" else None,
            last_interaction_at=consent_at if status == "confirmed" else None,
        )
        subscriber.communes.set(Commune.objects.filter(name__in=communes))
