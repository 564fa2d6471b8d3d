"""Registrations to webinars, and each webinar's registration settings (capacity)."""

from django.db import models

from renouveau.profiles import VisitorProfile


class RegistrationSettings(models.Model):
    """Per webinar, edited by staff on the registrants page; no row means open, no limit."""

    webinar = models.OneToOneField(
        "cites_pages.WebinarPage",
        verbose_name="webinaire",
        on_delete=models.CASCADE,
        related_name="registration_settings",
    )
    open = models.BooleanField(
        "inscriptions ouvertes sur le site",
        default=True,
        help_text="Décochez pour ne plus proposer le formulaire d'inscription.",
    )
    capacity = models.PositiveIntegerField(
        "nombre de places",
        null=True,
        blank=True,
        help_text="Vide\u00a0: sans limite. Au-delà, les inscrits sont placés sur liste d'attente.",
    )

    class Meta:
        verbose_name = "réglage des inscriptions"
        verbose_name_plural = "réglages des inscriptions"

    def __str__(self) -> str:
        return f"{self.webinar_id}: {self.capacity or 'sans limite'}"


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", "Inscrit"
        WAITING = "waiting", "Liste d'attente"
        CANCELLED = "cancelled", "Annulé"

    webinar = models.ForeignKey(
        "cites_pages.WebinarPage",
        verbose_name="webinaire",
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    email = models.EmailField("adresse électronique", max_length=254)
    name = models.CharField("nom", max_length=150)
    organisation = models.CharField("organisation", max_length=200, blank=True)
    profile = models.CharField("profil", max_length=20, choices=VisitorProfile.choices)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    attended = models.BooleanField("présent", default=False)
    # The latest (re)registration: the cancel link is bound to it, and reminders skip people
    # who registered after the reminder's moment (their confirmation has just gone out).
    registered_at = models.DateTimeField("inscrit le")
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    promoted_at = models.DateTimeField("sorti de la liste d'attente le", null=True, blank=True)
    ip_hash = models.CharField("empreinte de l'IP", max_length=64, blank=True)
    # Each mail is claimed by setting its stamp before sending (conditional update): two
    # scheduler runs or a retry never send it twice.
    reminder_day_sent_at = models.DateTimeField("rappel J-1 envoyé le", null=True, blank=True)
    reminder_hour_sent_at = models.DateTimeField("rappel H-1 envoyé le", null=True, blank=True)
    replay_sent_at = models.DateTimeField("replay envoyé le", null=True, blank=True)
    mail_error = models.CharField("erreur d'envoi", max_length=500, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "inscription à un webinaire"
        verbose_name_plural = "inscriptions aux webinaires"
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "email"], name="webinar_registrations_unique_email"
            )
        ]
        indexes = [models.Index(fields=["webinar", "status", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
