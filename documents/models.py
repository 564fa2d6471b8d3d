"""The document library: Wagtail documents with the metadata the public library shows, the
library page, and the requests for documents sent on request (by the form or by e-mail)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index

from cites_pages.models import CityPage, WebinarPage
from renouveau.abuse import canonical_email
from renouveau.models import BasePage
from renouveau.profiles import VisitorProfile

from .storage import documents_files


class DocumentKind(models.TextChoices):
    REFERENTIEL = "referentiel", "Référentiel"
    CAHIER_TECHNIQUE = "cahier-technique", "Cahier technique"
    COMPTE_RENDU = "compte-rendu", "Compte rendu"
    PRESENTATION = "presentation", "Présentation"
    ETUDE = "etude", "Étude"
    AUTRE = "autre", "Autre"


class Availability(models.TextChoices):
    PUBLIC = "public", "Téléchargement libre"
    ON_REQUEST = "on-request", "Sur demande"


def documents_storage():
    """The private storage of library documents (STORAGES["documents"]), never public media."""
    return documents_files


def related_page_choices() -> Q:
    """The pages a document can be about: cités and webinars."""
    content_types = ContentType.objects.get_for_models(CityPage, WebinarPage).values()
    return Q(content_type__in=[content_type.pk for content_type in content_types])


class LibraryDocument(AbstractDocument):
    """Every Wagtail document of the site (WAGTAILDOCS_DOCUMENT_MODEL)."""

    file = models.FileField("fichier", upload_to="documents", storage=documents_storage)

    kind = models.CharField(
        "type de document", max_length=20, choices=DocumentKind.choices, default=DocumentKind.AUTRE
    )
    date = models.DateField("date", null=True, blank=True)
    description = models.TextField("description", blank=True, max_length=1000)
    availability = models.CharField(
        "disponibilité",
        max_length=12,
        choices=Availability.choices,
        default=Availability.PUBLIC,
        help_text="« Sur demande » : le fichier n'est envoyé que par un lien personnel et limité "
        "dans le temps.",
    )
    keywords = models.CharField(
        "mots-clés de reconnaissance",
        max_length=255,
        blank=True,
        help_text="Séparés par des virgules. Servent à reconnaître le document demandé dans un "
        "e-mail (objet ou texte), en plus du titre. Par exemple : « référentiel, ambitions ».",
    )
    theme = models.ForeignKey(
        "cites_pages.Theme",
        verbose_name="thème",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    related_pages = models.ManyToManyField(
        "wagtailcore.Page",
        verbose_name="cités et webinaires liés",
        blank=True,
        related_name="library_documents",
        limit_choices_to=related_page_choices,
    )

    admin_form_fields = (
        *Document.admin_form_fields,
        "kind",
        "date",
        "description",
        "theme",
        "availability",
        "keywords",
        "related_pages",
    )
    search_fields = [
        *AbstractDocument.search_fields,
        index.SearchField("description"),
        index.SearchField("keywords"),
        index.FilterField("kind"),
        index.FilterField("availability"),
    ]

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"

    @property
    def is_public(self) -> bool:
        return self.availability == Availability.PUBLIC

    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    def request_url(self) -> str:
        """Absolute address of this document's request form in the live library, or ""."""
        library = DocumentLibraryPage.objects.live().first()
        if library is None or self.is_public:
            return ""
        base = library.get_full_url()
        return base + library.reverse_subpage("request", args=[self.pk]) if base else ""


class DocumentLibraryPage(RoutablePageMixin, BasePage):
    """The public library: every document, with filters, downloads and request forms."""

    intro = models.TextField("chapô", blank=True, max_length=600)
    request_intro = models.TextField(
        "texte du formulaire de demande",
        blank=True,
        default="Ce document est disponible sur simple demande. Indiquez-nous qui vous êtes : "
        "nous vous envoyons par e-mail un lien de téléchargement personnel, valable quelques "
        "jours.",
    )

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("request_intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    subpage_types: list[str] = []
    max_count = 1
    template = "documents/document_library_page.html"  # the app label is site_documents

    class Meta:
        verbose_name = "bibliothèque de documents"
        verbose_name_plural = "bibliothèques de documents"

    def get_context(self, request, *args, **kwargs):
        # Here, not at the top: library.py queries LibraryDocument (page/record split pending).
        from .library import library_context

        context = super().get_context(request, *args, **kwargs)
        context.update(library_context(request))
        return context

    @path("demande/<int:document_id>/", name="request")
    def request_document(self, request, document_id: int):
        # Here, not at the top: views.py imports these models (page/record split pending).
        from .views import request_document_view

        return request_document_view(request, self, document_id)


class RequestSource(models.TextChoices):
    FORM = "form", "Formulaire"
    EMAIL = "email", "E-mail"


class RequestStatus(models.TextChoices):
    SENT = "sent", "Lien envoyé"
    QUEUED = "queued", "À traiter"
    FAILED = "failed", "Échec de l'envoi"
    REFUSED = "refused", "Ignorée (boucle, abus)"


class DocumentRequest(models.Model):
    """One request for a document, by the form or by e-mail. The download link sent for it is
    signed with its id; `download_count` enforces the limited number of uses."""

    document = models.ForeignKey(
        LibraryDocument,
        verbose_name="document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    source = models.CharField("origine", max_length=10, choices=RequestSource.choices)
    status = models.CharField("statut", max_length=10, choices=RequestStatus.choices)
    email = models.EmailField("e-mail")
    # The mailbox, for limits: no +tag, no dots (renouveau.abuse.canonical_email).
    email_key = models.CharField("boîte aux lettres", max_length=254, blank=True, db_index=True)
    name = models.CharField("nom", max_length=150, blank=True)
    organisation = models.CharField("organisme", max_length=150, blank=True)
    profile = models.CharField("profil", max_length=20, choices=VisitorProfile.choices, blank=True)
    purpose = models.TextField("usage prévu", blank=True, max_length=1000)
    consent_at = models.DateTimeField("consentement donné le", null=True, blank=True)
    newsletter_requested = models.BooleanField("abonnement à la lettre demandé", default=False)
    # E-mail requests: what staff need to handle a request the site did not recognise.
    mail_subject = models.CharField("objet de l'e-mail", max_length=255, blank=True)
    mail_excerpt = models.TextField("début de l'e-mail", blank=True)
    mail_s3_key = models.CharField("clé S3 du message", max_length=512, blank=True)
    mail_message_id = models.CharField("Message-ID", max_length=255, blank=True, db_index=True)
    refusal_reason = models.CharField("motif", max_length=100, blank=True)

    created_at = models.DateTimeField("reçue le", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("lien envoyé le", null=True, blank=True)
    sent_message_id = models.CharField("identifiant SES", max_length=255, blank=True)
    download_count = models.PositiveIntegerField("téléchargements", default=0)
    last_download_at = models.DateTimeField("dernier téléchargement", null=True, blank=True)
    # The last failed send (link or staff notification), as SES said it: staff see it.
    mail_error = models.CharField("erreur d'envoi", max_length=500, blank=True)
    mail_error_at = models.DateTimeField("erreur d'envoi le", null=True, blank=True)

    class Meta:
        verbose_name = "demande de document"
        verbose_name_plural = "demandes de documents"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email", "document", "sent_at"])]

    def __str__(self) -> str:
        title = self.document.title if self.document_id else "document non reconnu"
        return f"{self.email} — {title}"

    def save(self, *args, **kwargs):
        self.email_key = canonical_email(self.email)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "email_key"}
        super().save(*args, **kwargs)


class InboundMail(models.Model):
    """One SES inbound notification, recorded as soon as SNS delivers it and processed by a task.

    Unique per SNS MessageId and per SES message id: SNS delivers at least once, and the same
    mail may come through two notifications; each is processed once."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Reçu"
        PROCESSING = "processing", "En cours de traitement"
        DONE = "done", "Traité"
        ERROR = "error", "Inexploitable"

    sns_message_id = models.CharField("message SNS", max_length=100, unique=True)
    ses_message_id = models.CharField("message SES", max_length=255, unique=True)
    payload = models.TextField("notification")
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    route = models.CharField("traitement", max_length=30, blank=True)
    outcome = models.CharField("résultat", max_length=300, blank=True)
    received_at = models.DateTimeField("reçu le", default=timezone.now, db_index=True)
    processed_at = models.DateTimeField("traité le", null=True, blank=True)

    class Meta:
        verbose_name = "e-mail reçu"
        verbose_name_plural = "e-mails reçus"
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.ses_message_id
