"""Who receives the newsletter: subscribers, their consent per list and preference changes, the
suppression list, saved segments, and the personal data of queued subscription tasks."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from renouveau.profiles import VisitorProfile


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "En attente de confirmation"
        CONFIRMED = "confirmed", "Abonné (confirmé)"
        UNSUBSCRIBED = "unsubscribed", "Désabonné"
        BOUNCED = "bounced", "Adresse en échec (rebond)"
        COMPLAINED = "complained", "Plainte pour spam"

    Profile = VisitorProfile  # the list every public form shares

    # Stored lower-cased (see subscriptions.normalize_email); unique case-insensitively too.
    email = models.EmailField("adresse électronique", max_length=254)
    first_name = models.CharField("prénom", max_length=100, blank=True)
    profile = models.CharField("profil", max_length=20, choices=Profile.choices, blank=True)
    communes = models.ManyToManyField(
        "cites_pages.Commune",
        verbose_name="communes d'intérêt",
        blank=True,
        related_name="subscribers",
    )
    # What this address receives (preferences page), each list chosen explicitly (its consent in
    # ConsentRecord). A visitor who only follows a cité gets its alerts, nothing else.
    newsletter = models.BooleanField("reçoit la lettre d'information", default=True)
    webinar_announcements = models.BooleanField("reçoit les annonces de webinaires", default=False)
    cites = models.ManyToManyField(
        "cites_pages.CityPage",
        verbose_name="cités suivies",
        blank=True,
        related_name="followers",
    )

    class AlertFrequency(models.TextChoices):
        DAILY = "daily", "Chaque soir"
        WEEKLY = "weekly", "Une fois par semaine"

    # How often the followed cités' news arrive (delivery/cite_alerts.py): the evening's alert
    # or the week's digest.
    alert_frequency = models.CharField(
        "alertes des cités suivies",
        max_length=10,
        choices=AlertFrequency.choices,
        default=AlertFrequency.DAILY,
        db_default=AlertFrequency.DAILY,
    )
    # Empty: this follower got every update its frequency's runs announced. Set when it switches
    # frequency (audience/preferences.py): it got the updates published until then and none
    # after; the next run of its new frequency sends it those since, then empties it
    # (delivery/cite_alerts.py). So each update reaches it once, whatever the switches.
    alerts_covered_until = models.DateTimeField(
        "nouveautés des cités envoyées jusqu'au", null=True, blank=True
    )
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    # Consent proof (CNIL): when, where, which wording, and when it was confirmed.
    consent_at = models.DateTimeField("consentement donné le", null=True, blank=True)
    consent_source = models.CharField("source du consentement", max_length=300, blank=True)
    consent_text_version = models.CharField("version du texte de consentement", max_length=40)
    consent_ip_hash = models.CharField(
        "empreinte de l'adresse IP",
        max_length=64,
        blank=True,
        help_text="Empreinte (HMAC) de l'adresse IP, jamais l'adresse elle-même.",
    )
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("désabonné le", null=True, blank=True)
    # The campaign whose link or header was used to unsubscribe (campaign report).
    unsubscribed_campaign = models.ForeignKey(
        "Campaign",
        verbose_name="désabonné depuis la campagne",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unsubscribes",
    )
    last_interaction_at = models.DateTimeField("dernière interaction", null=True, blank=True)
    renewal_flagged_at = models.DateTimeField(
        "à renouveler depuis",
        null=True,
        blank=True,
        help_text="Aucune interaction depuis trois ans : consentement à renouveler.",
    )
    # One reminder of the opt-in mail before the 30-day purge (subscriptions.remind_unconfirmed).
    reminder_sent_at = models.DateTimeField(
        "rappel de confirmation envoyé le", null=True, blank=True
    )
    # Consent older than MAILING_REPERMISSION_YEARS asked again once (audience/repermission.py);
    # cleared by « Je reste abonné », unsubscribed 30 days after without an answer.
    repermission_asked_at = models.DateTimeField(
        "renouvellement du consentement demandé le", null=True, blank=True
    )
    transient_bounce_count = models.PositiveIntegerField("rebonds temporaires", default=0)
    suppression_reason = models.CharField("motif de suppression", max_length=300, blank=True)
    # The last failed confirmation mail, as SES said it (e.g. an unverified sender): staff see it.
    mail_error = models.CharField("erreur d'envoi", max_length=500, blank=True)
    mail_error_at = models.DateTimeField("erreur d'envoi le", null=True, blank=True)
    # The CSV import that brought this person in (their consent proof: audience/csv_io.py).
    subscriber_import = models.ForeignKey(
        "SubscriberImport",
        verbose_name="importé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscribers",
    )

    class Meta:
        verbose_name = "abonné"
        verbose_name_plural = "abonnés"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="mailing_subscriber_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.email


class PreferenceChange(models.Model):
    """What a subscriber changed on the preferences page (or by following a cité), with the
    consent proof of the moment: wording version, source, keyed hash of the IP."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name="abonné",
        on_delete=models.CASCADE,
        related_name="preference_changes",
    )
    at = models.DateTimeField("le", auto_now_add=True)
    changes = models.JSONField("modifications", default=dict)
    source = models.CharField("source", max_length=300, blank=True)
    consent_text_version = models.CharField("version du texte de consentement", max_length=40)
    ip_hash = models.CharField("empreinte de l'adresse IP", max_length=64, blank=True)

    class Meta:
        verbose_name = "modification des préférences"
        verbose_name_plural = "modifications des préférences"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.subscriber_id} {self.at:%d/%m/%Y %H:%M}"


class ConsentRecord(models.Model):
    """One list's consent given or withdrawn (the letter, webinar announcements, one cité): the
    proof of what this person chose, with the wording they saw, when and where."""

    class Topic(models.TextChoices):
        NEWSLETTER = "newsletter", "Lettre d'information"
        WEBINARS = "webinars", "Annonces de webinaires"
        CITE = "cite", "Suivi d'une cité"

    subscriber = models.ForeignKey(
        Subscriber, verbose_name="abonné", on_delete=models.CASCADE, related_name="consents"
    )
    topic = models.CharField("liste", max_length=20, choices=Topic.choices)
    cite = models.ForeignKey(
        "cites_pages.CityPage",
        verbose_name="cité",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    given = models.BooleanField("consentement donné", help_text="Faux : retiré.")
    # Now, unless the consent was given elsewhere earlier (an imported row's own date).
    at = models.DateTimeField("le", default=timezone.now)
    source = models.CharField("source", max_length=300, blank=True)
    wording_version = models.CharField("version du texte de consentement", max_length=40)
    ip_hash = models.CharField("empreinte de l'adresse IP", max_length=64, blank=True)

    class Meta:
        verbose_name = "consentement"
        verbose_name_plural = "consentements"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.subscriber_id} {self.topic} {'oui' if self.given else 'non'}"


class SubscriberImport(models.Model):
    """One CSV import confirmed by a staff member: who, when, which file, what it did. The
    people it created point to it (their consent proof); the file itself is not kept."""

    created_at = models.DateTimeField("importé le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField("nom du fichier", max_length=255, blank=True)
    description = models.CharField("description du fichier", max_length=300, blank=True)
    consent_text_version = models.CharField("version du texte de consentement", max_length=40)
    rows = models.PositiveIntegerField("lignes", default=0)
    created_count = models.PositiveIntegerField("abonnés créés", default=0)
    known_count = models.PositiveIntegerField("déjà connus", default=0)
    rejected_count = models.PositiveIntegerField("lignes écartées", default=0)

    class Meta:
        verbose_name = "import d'abonnés"
        verbose_name_plural = "imports d'abonnés"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import n°{self.pk} du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


class PendingImport(models.Model):
    """An uploaded CSV between its preview and « Confirmer l'import », held on the server under
    a random key (never in the session or the URL), deleted at confirmation and purged after a
    day (retention register)."""

    key = models.CharField("clé", max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField("déposé le", default=timezone.now, db_index=True)
    file_name = models.CharField("nom du fichier", max_length=255, blank=True)
    description = models.CharField("description du fichier", max_length=300, blank=True)
    consent_text_version = models.CharField("version du texte de consentement", max_length=40)
    content = models.TextField("contenu")
    # The lines the preview showed as new: the confirmation creates no one else.
    new_lines = models.JSONField("lignes nouvelles", default=list)

    class Meta:
        verbose_name = "import en attente de confirmation"
        verbose_name_plural = "imports en attente de confirmation"

    def __str__(self) -> str:
        return self.file_name


class SuppressedAddress(models.Model):
    """An address that unsubscribed, kept only as a keyed hash (HMAC of the normalised address):
    enough to refuse it in an import, never enough to write to it."""

    address_hash = models.CharField("empreinte de l'adresse", max_length=64, unique=True)
    reason = models.CharField("motif", max_length=40)
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "adresse supprimée"
        verbose_name_plural = "adresses supprimées"

    def __str__(self) -> str:
        return self.address_hash[:12]


class TaskInput(models.Model):
    """What a background task needs that is personal (an address, a name): held here and handed
    to the task by id, so that the task backend's arguments and results never hold it. The task
    deletes the row as it reads it; a row no worker took is purged (retention register)."""

    payload = models.JSONField("données")
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "données d'une tâche"
        verbose_name_plural = "données des tâches"

    def __str__(self) -> str:
        return f"{self.pk}"

    @classmethod
    def hold(cls, payload: dict) -> int:
        """Keep `payload` for a task; the id is what the task is given."""
        return cls.objects.create(payload=payload).pk

    @classmethod
    def take(cls, pk: int) -> dict | None:
        """The payload held under `pk`, deleted as it is read; None if already taken or purged."""
        task_input = cls.objects.filter(pk=pk).first()
        if task_input is None:
            return None
        task_input.delete()
        return task_input.payload


class SavedSegment(models.Model):
    """A named audience built from what people declared (profile, communes or EPCI of interest,
    followed cités) within one list they chose — never from behaviour (segments.py)."""

    class List(models.TextChoices):
        NEWSLETTER = "newsletter", "Lettre d'information"
        WEBINARS = "webinars", "Annonces de webinaires"

    name = models.CharField("nom", max_length=150, unique=True)
    mailing_list = models.CharField(
        "liste", max_length=20, choices=List.choices, default=List.NEWSLETTER
    )
    profiles = models.JSONField("profils", default=list, blank=True)
    communes = models.ManyToManyField(
        "cites_pages.Commune", verbose_name="communes", blank=True, related_name="+"
    )
    epcis = models.ManyToManyField(
        "cites_pages.EPCI", verbose_name="intercommunalités", blank=True, related_name="+"
    )
    cites = models.ManyToManyField(
        "cites_pages.CityPage", verbose_name="cités suivies", blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "segment"
        verbose_name_plural = "segments"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
