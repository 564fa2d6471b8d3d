"""The mailing app's entries of the retention register (renouveau.retention): the letter (with
webinar announcements) and following cités, each with its purge."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from renouveau.retention import RetentionEntry

from .addresses import address_hash
from .audience.hygiene import purge_unconfirmed
from .audience.pending_imports import PENDING_IMPORT_KEPT, purge_pending_imports
from .audience.subscriptions import PURGE_PENDING_AFTER
from .models import Subscriber, SubscriberImport, SuppressedAddress, TaskInput

# An unsubscribed address stays this long (the preferences link still works, to come back in
# one click), then only its keyed hash is kept, in the suppression list.
UNSUBSCRIBED_KEPT = timedelta(days=30)
# A request no worker took (the worker was down for a day): dropped.
TASK_INPUT_KEPT = timedelta(days=1)


def reduce_to_suppression_list(subscribers: QuerySet[Subscriber], reason: str) -> int:
    """Delete these subscribers (and with them their deliveries, consents and preference
    history), keeping of each only the keyed hash of its address."""
    count = 0
    for pk, email in subscribers.values_list("pk", "email").iterator():
        with transaction.atomic():
            SuppressedAddress.objects.get_or_create(
                address_hash=address_hash(email), defaults={"reason": reason[:40]}
            )
            count += Subscriber.objects.filter(pk=pk).delete()[1].get(Subscriber._meta.label, 0)
    return count


def purge_newsletter() -> dict[str, int]:
    now = timezone.now()
    return {
        "unconfirmed": purge_unconfirmed(now),
        "unsubscribed": reduce_to_suppression_list(
            Subscriber.objects.filter(
                status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at__lt=now - UNSUBSCRIBED_KEPT
            ),
            "désabonnement",
        ),
        "task_inputs": TaskInput.objects.filter(created_at__lt=now - TASK_INPUT_KEPT).delete()[0],
        # A CSV file uploaded for an import and never confirmed; the record of an import (who,
        # when, file name, counts) once nobody it brought in is left.
        "pending_imports": purge_pending_imports(now),
        "imports": SubscriberImport.objects.filter(
            subscribers=None, created_at__lt=now - UNSUBSCRIBED_KEPT
        ).delete()[0],
    }


def purge_followers() -> dict[str, int]:
    """A confirmed address that no longer receives anything (it stopped following its last
    cité, the letter and announcements unticked) is erased the next night."""
    nothing = Subscriber.objects.filter(
        status=Subscriber.Status.CONFIRMED,
        newsletter=False,
        webinar_announcements=False,
        cites=None,
    )
    return {"receiving_nothing": reduce_to_suppression_list(nothing, "plus aucun envoi")}


RETENTION = [
    RetentionEntry(
        key="newsletter",
        processing="Lettre d'information",
        purpose="Envoyer la lettre et les annonces de webinaires aux personnes qui les ont "
        "choisies.",
        data="Adresse électronique, prénom, profil, communes ; preuve de chaque consentement "
        "(pour une liste de partenaire importée : la source et la date indiquées sur la liste, "
        "l'import qui vous a inscrit).",
        period=f"Jusqu'au désabonnement, puis {UNSUBSCRIBED_KEPT.days} jours ; ensuite seule "
        "une empreinte chiffrée de l'adresse est gardée, pour ne plus jamais vous écrire. "
        f"Adresses non confirmées : supprimées après {PURGE_PENDING_AFTER.days} jours. Sans "
        "aucune interaction pendant 3 ans, le consentement est redemandé. Fichier d'une liste de "
        f"partenaire : gardé au plus {PENDING_IMPORT_KEPT.days * 24} heures, le temps de "
        "vérifier l'import avant de le confirmer, puis effacé.",
        purge=purge_newsletter,
        daily_at="03:10",
    ),
    RetentionEntry(
        key="cite-follow",
        processing="Suivi de cités",
        purpose="Vous prévenir des nouvelles des cités que vous suivez.",
        data="Adresse électronique, cités suivies.",
        period="Jusqu'à ce que vous cessiez de suivre votre dernière cité (l'adresse est alors "
        "effacée la nuit suivante, si vous ne recevez plus rien d'autre) ou vous désabonniez.",
        purge=purge_followers,
        daily_at="03:15",
    ),
]
