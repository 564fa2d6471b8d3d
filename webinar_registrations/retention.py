"""Webinar registrations in the retention register (renouveau.retention)."""

from renouveau.retention import RetentionEntry

from .registrations import anonymise_old_registrations

RETENTION = [
    RetentionEntry(
        key="webinar-registrations",
        processing="Inscriptions aux webinaires",
        purpose="Inscrire les participants aux webinaires et leur envoyer le lien de connexion.",
        data="Nom, adresse électronique, organisme, profil.",
        period="Un an après le webinaire ; ensuite seul le nombre d'inscrits est gardé.",
        purge=anonymise_old_registrations,
        daily_at="03:40",
        job_name="webinar-registrations-retention",
    ),
]
