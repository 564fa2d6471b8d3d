"""How each issue went out: campaigns, one delivery per recipient, their events, counted links,
SES bounce records, and the cité updates the alerts announce."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .audience import Subscriber


class Campaign(models.Model):
    """One issue sent to one segment: the rendered issue is frozen here at creation."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        SCHEDULED = "scheduled", "Programmée"
        SENDING = "sending", "Envoi en cours"
        PAUSED = "paused", "En pause"
        CANCELLED = "cancelled", "Annulée"
        DONE = "done", "Terminée"

    class Kind(models.TextChoices):
        NEWSLETTER = "newsletter", "Lettre d'information"
        CITE_ALERT = "cite_alert", "Alerte « cité suivie »"
        TEST = "test", "Envoi de test"

    kind = models.CharField(
        "type", max_length=20, choices=Kind.choices, default=Kind.NEWSLETTER, db_index=True
    )
    issue = models.ForeignKey(
        "newsletter.NewsletterIssuePage",
        verbose_name="numéro",
        null=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    subject = models.CharField("objet", max_length=300)
    preheader = models.CharField("texte d'aperçu", max_length=300, blank=True)
    html = models.TextField("HTML figé")
    text = models.TextField("texte figé")
    segment = models.JSONField("segment", default=dict, blank=True)
    segment_label = models.CharField("destinataires", max_length=300, blank=True)
    # A digest whose recipients each get some of its sections (delivery/sections.py): the
    # subject of each set of sections, keyed as `Delivery.sections`.
    section_subjects = models.JSONField("objets par sections", default=dict, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    pause_reason = models.CharField("motif de la pause", max_length=300, blank=True)

    class PauseCause(models.TextChoices):
        NONE = "", "—"
        STAFF = "staff", "Par l'équipe"
        HEALTH = "health", "Taux de rebonds ou de plaintes"
        ERRORS = "errors", "Erreurs d'envoi"
        ACCOUNT = "account", "Envois suspendus par Amazon SES"

    pause_cause = models.CharField(
        "cause de la pause", max_length=20, choices=PauseCause.choices, blank=True
    )
    # When the current pause began: an account-wide pause is tried again after a while.
    paused_at = models.DateTimeField("en pause depuis", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    scheduled_for = models.DateTimeField("envoi programmé le", null=True, blank=True)
    started_at = models.DateTimeField("commencée le", null=True, blank=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    heartbeat_at = models.DateTimeField("dernière activité", null=True, blank=True)
    # The bounce/complaint rate is measured over the recent sends made since this moment (the
    # start, or the last resume): bounces of before a resume no longer count.
    health_window_from = models.DateTimeField("rebonds comptés depuis", null=True, blank=True)
    health_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="reprise malgré les rebonds par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    health_override_at = models.DateTimeField(
        "reprise malgré les rebonds le", null=True, blank=True
    )
    # The campaign's figures, recorded as deliveries change state (counters.py) by the sender
    # and the SES notifications webhook, never recomputed from the delivery rows: a GDPR erasure
    # deletes those, and must not change what a past campaign did.
    recipient_count = models.PositiveIntegerField("destinataires", default=0)
    sent_count = models.PositiveIntegerField("envoyés", default=0)
    failed_count = models.PositiveIntegerField("échecs", default=0)
    delivered_count = models.PositiveIntegerField("remis", default=0)
    bounce_count = models.PositiveIntegerField("rebonds définitifs", default=0)
    soft_bounce_count = models.PositiveIntegerField("rebonds temporaires", default=0)
    complaint_count = models.PositiveIntegerField("plaintes", default=0)
    unsubscribe_count = models.PositiveIntegerField("désabonnements", default=0)

    class Meta:
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"
        ordering = ["-created_at"]
        permissions = [("send_campaign", "Peut envoyer la lettre aux abonnés")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.created_at:%d/%m/%Y})" if self.created_at else self.subject


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "À envoyer"
        SENDING = "sending", "Envoi en cours"
        SENT = "sent", "Envoyé"
        FAILED = "failed", "Échec"
        UNCERTAIN = "uncertain", "Incertain (à vérifier)"
        SKIPPED = "skipped", "Écarté"

    campaign = models.ForeignKey(
        Campaign, verbose_name="campagne", on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, verbose_name="abonné", on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # The status the campaign's counters last counted (counters.count_deliveries).
    counted_status = models.CharField(
        "statut compté",
        max_length=20,
        default=Status.PENDING,
        db_default=Status.PENDING,  # rows inserted in SQL (snapshot_recipients) too
        editable=False,
    )
    # The sections of the campaign this recipient gets (« 12,40 »: cité ids, sections.py);
    # empty: the whole campaign.
    sections = models.CharField("sections", max_length=500, blank=True, default="", db_default="")
    ses_message_id = models.CharField("identifiant SES", max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    error = models.CharField("erreur", max_length=500, blank=True)
    claimed_by = models.CharField("pris en charge par", max_length=200, blank=True)
    claimed_at = models.DateTimeField("pris en charge le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    # Set by SES notifications: the campaign's health is measured from these.
    bounced_at = models.DateTimeField("rebond définitif le", null=True, blank=True)
    soft_bounced_at = models.DateTimeField("rebond temporaire le", null=True, blank=True)
    delivered_at = models.DateTimeField("remis le", null=True, blank=True)
    complained_at = models.DateTimeField("plainte le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi"
        verbose_name_plural = "envois"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"], name="mailing_delivery_unique_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="mailing_delivery_progress"),
            models.Index(fields=["campaign", "sent_at"], name="mailing_delivery_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.subscriber_id}"


class CampaignEvent(models.Model):
    """What happened to a campaign besides sending: automatic pauses and recoveries, resumes
    (with who overrode the bounce pause), shown on the campaign page."""

    class Kind(models.TextChoices):
        RECOVERY = "recovery", "Reprise automatique"
        PAUSE = "pause", "Pause"
        RESUME = "resume", "Reprise"
        OVERRIDE = "override", "Reprise malgré les rebonds"
        SKIP = "skip", "Destinataires écartés"
        SCHEDULE = "schedule", "Programmation"
        WARNINGS = "warnings", "Avertissements acceptés"
        FAULT = "fault", "Incident d'envoi"
        CANCEL = "cancel", "Annulation"
        REQUEUE = "requeue", "Remise en file"

    campaign = models.ForeignKey(
        Campaign, verbose_name="campagne", on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("le", auto_now_add=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    message = models.CharField("détail", max_length=500)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "événement de campagne"
        verbose_name_plural = "événements de campagne"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.kind} {self.at:%d/%m/%Y %H:%M}"


class TrackedLink(models.Model):
    """A link of a campaign, reached through a redirect that carries no subscriber identifier:
    the report counts clicks per link, never who clicked."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="campagne", on_delete=models.CASCADE, related_name="links"
    )
    position = models.PositiveIntegerField("rang dans la lettre")
    url = models.URLField("adresse", max_length=2000)
    label = models.CharField("texte du lien", max_length=300, blank=True)
    clicks = models.PositiveIntegerField("clics", default=0)

    class Meta:
        verbose_name = "lien suivi"
        verbose_name_plural = "liens suivis"
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "position"], name="mailing_trackedlink_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.url


class CiteUpdate(models.Model):
    """A published page or document that concerns a cité, waiting for the followers' alert
    (grouped with the day's other updates into one mail per follower)."""

    cite = models.ForeignKey(
        "cites_pages.CityPage",
        verbose_name="cité",
        on_delete=models.CASCADE,
        related_name="follow_updates",
    )
    source = models.CharField("source", max_length=60, help_text="« page:12 », « document:5 »")
    kind = models.CharField("type de contenu", max_length=60)
    title = models.CharField("titre", max_length=300)
    url = models.URLField("adresse", max_length=2000)
    summary = models.TextField("résumé", blank=True)
    published_at = models.DateTimeField("publié le")
    alerted_at = models.DateTimeField("alerte envoyée le", null=True, blank=True, db_index=True)
    # The weekly digest announces it on its own schedule (followers who chose « une fois par
    # semaine »).
    weekly_alerted_at = models.DateTimeField(
        "résumé hebdomadaire envoyé le", null=True, blank=True, db_index=True
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="envoi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cite_updates",
    )

    class Meta:
        verbose_name = "nouveauté d'une cité"
        verbose_name_plural = "nouveautés des cités"
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["cite", "source"], name="mailing_citeupdate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cite_id}: {self.title}"

    # Each frequency announces an update once, stamped in its own field by its run.
    STAMP = {"daily": "alerted_at", "weekly": "weekly_alerted_at"}

    @classmethod
    def announced_until(cls, frequency: str):
        """When this frequency's last run that had something to announce ran: the updates
        published until then went to its followers, those after did not (None: never)."""
        stamp = cls.STAMP[frequency]
        return cls.objects.aggregate(last=models.Max(stamp))["last"]


class BounceRecord(models.Model):
    """One bounce or complaint SES reported for a subscriber, with its type, sub-type and the
    receiving server's diagnostic (addresses masked): shown on the subscriber's page."""

    class Kind(models.TextChoices):
        PERMANENT = "Permanent", "Rebond définitif"
        TRANSIENT = "Transient", "Rebond temporaire"
        UNDETERMINED = "Undetermined", "Rebond indéterminé"
        COMPLAINT = "Complaint", "Plainte pour spam"

    subscriber = models.ForeignKey(
        Subscriber, verbose_name="abonné", on_delete=models.CASCADE, related_name="bounces"
    )
    delivery = models.ForeignKey(
        Delivery,
        verbose_name="envoi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("le", default=timezone.now, db_index=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    sub_type = models.CharField("sous-type", max_length=60, blank=True)
    diagnostic = models.CharField("diagnostic", max_length=500, blank=True)
    suppressed = models.BooleanField("adresse écartée", default=False)

    class Meta:
        verbose_name = "rebond"
        verbose_name_plural = "rebonds"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.subscriber_id} {self.kind} {self.at:%d/%m/%Y}"
