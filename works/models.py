"""The works tracker of a cité: one operation (landlord, dwellings planned) made of phases with
planned and actual dates, the dwellings handed over each month, before/after photos and dated
« notes de chantier ».

Edited as one snippet per cité (« Suivi des travaux » in the admin menu), its parts as inline
panels: the editors who record a delivery or a works note are rarely those who edit the cité's
presentation, and a delivery recorded this way is public at once, with no page to republish.
`cites_pages` never imports this app (works sits above it and above mailing)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from cites_pages.models import CityPage, Landlord
from renouveau.models import SiteImage


class EnergyLabel(models.TextChoices):
    """DPE (diagnostic de performance énergétique) classes, best first."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"


class Operation(ClusterableModel):
    city = models.OneToOneField(
        CityPage, verbose_name="cité", on_delete=models.CASCADE, related_name="works_operation"
    )
    landlord = models.ForeignKey(
        Landlord,
        verbose_name="bailleur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="works_operations",
        help_text="Vide : le bailleur de la fiche de la cité.",
    )
    dwellings_planned = models.PositiveIntegerField(
        "logements à rénover", validators=[MinValueValidator(1)]
    )
    is_demo = models.BooleanField(
        "données de démonstration",
        default=False,
        help_text="Affiché « données de démonstration » sur le site et dans les données ouvertes.",
    )
    updated_at = models.DateTimeField("dernière mise à jour", auto_now=True)

    panels = [
        FieldPanel("city"),
        FieldRowPanel([FieldPanel("landlord"), FieldPanel("dwellings_planned")]),
        FieldPanel("is_demo"),
        InlinePanel("phases", heading="Phases", label="Phase"),
        InlinePanel("deliveries", heading="Logements livrés par mois", label="Livraison"),
        InlinePanel("notes", heading="Notes de chantier", label="Note de chantier"),
        InlinePanel("photos", heading="Photos avant / après", label="Paire de photos"),
    ]

    class Meta:
        verbose_name = "opération de travaux"
        verbose_name_plural = "opérations de travaux"
        ordering = ["city__sort_title"]

    def __str__(self) -> str:
        return f"Travaux – {self.city.title}"

    def save(self, *args, **kwargs):
        if self.landlord_id is None and self.city_id is not None:
            self.landlord_id = self.city.landlord_id
        super().save(*args, **kwargs)


class Phase(Orderable):
    class Kind(models.TextChoices):
        STUDIES = "etudes", "Études"
        CONSULTATION = "concertation", "Concertation"
        DIAGNOSTIC = "diagnostic", "Diagnostic"
        WORKS = "travaux", "Travaux"
        HANDOVER = "livraisons", "Livraisons"
        PUBLIC_SPACES = "espaces_publics", "Espaces publics"

    operation = ParentalKey(Operation, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField("type de phase", max_length=20, choices=Kind.choices)
    label = models.CharField(
        "libellé", max_length=100, blank=True, help_text="Par exemple : « Tranche 2 »."
    )
    dwellings = models.PositiveIntegerField("logements", null=True, blank=True)
    planned_start = models.DateField("début prévu", null=True, blank=True)
    planned_end = models.DateField("fin prévue", null=True, blank=True)
    actual_start = models.DateField("début réel", null=True, blank=True)
    actual_end = models.DateField("fin réelle", null=True, blank=True)
    label_before = models.CharField(
        "étiquette DPE avant", max_length=1, choices=EnergyLabel.choices, blank=True
    )
    label_after = models.CharField(
        "étiquette DPE après", max_length=1, choices=EnergyLabel.choices, blank=True
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("label"), FieldPanel("dwellings")]),
        FieldRowPanel([FieldPanel("planned_start"), FieldPanel("planned_end")]),
        FieldRowPanel([FieldPanel("actual_start"), FieldPanel("actual_end")]),
        FieldRowPanel([FieldPanel("label_before"), FieldPanel("label_after")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "phase"
        verbose_name_plural = "phases"

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """« Travaux – tranche 2 », or the kind alone."""
        kind = self.get_kind_display()
        return f"{kind} – {self.label}" if self.label else kind

    def clean(self):
        super().clean()
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = "La fin prévue doit suivre le début prévu."
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = "La fin réelle doit suivre le début réel."
        if self.actual_end and not self.actual_start:
            errors["actual_start"] = "Indiquez le début réel d'une phase terminée."
        if bool(self.label_before) != bool(self.label_after):
            errors["label_after"] = "Indiquez les deux étiquettes DPE (avant et après), ou aucune."
        if errors:
            raise ValidationError(errors)


class MonthlyDelivery(Orderable):
    """Dwellings handed over to their tenants in one month (« 16 logements livrés en mai »)."""

    operation = ParentalKey(Operation, on_delete=models.CASCADE, related_name="deliveries")
    month = models.DateField("mois", help_text="Le premier jour du mois, par exemple 01/05/2026.")
    dwellings = models.PositiveIntegerField("logements livrés", validators=[MinValueValidator(1)])

    panels = [FieldRowPanel([FieldPanel("month"), FieldPanel("dwellings")])]

    class Meta(Orderable.Meta):
        verbose_name = "livraison du mois"
        verbose_name_plural = "livraisons par mois"

    def save(self, *args, **kwargs):
        self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)


class WorksNote(Orderable):
    """A dated works note; the first save announces it to the cité's followers (works.notes)."""

    operation = ParentalKey(Operation, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField("date")
    title = models.CharField("titre", max_length=200)
    text = models.TextField("texte", max_length=2000)
    announced_at = models.DateTimeField("annoncée aux abonnés le", null=True, editable=False)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("title")]), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = "note de chantier"
        verbose_name_plural = "notes de chantier"

    def __str__(self) -> str:
        return self.title


class BeforeAfterPhoto(Orderable):
    """Two photos shown side by side (no slider: both visible, each with its own text)."""

    operation = ParentalKey(Operation, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField("légende", max_length=200)
    before = models.ForeignKey(
        SiteImage, verbose_name="avant", on_delete=models.PROTECT, related_name="+"
    )
    before_alt = models.CharField("texte alternatif de la photo « avant »", max_length=250)
    after = models.ForeignKey(
        SiteImage, verbose_name="après", on_delete=models.PROTECT, related_name="+"
    )
    after_alt = models.CharField("texte alternatif de la photo « après »", max_length=250)

    panels = [
        FieldPanel("caption"),
        MultiFieldPanel([FieldPanel("before"), FieldPanel("before_alt")], heading="Avant"),
        MultiFieldPanel([FieldPanel("after"), FieldPanel("after_alt")], heading="Après"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "photos avant / après"
        verbose_name_plural = "photos avant / après"
