"""The RGAA accessibility statement (loi n° 2005-102 art. 47, décret n° 2019-768), in the
official structure, driven by an audit grid editable in the admin: the conformity rate and the
status (« non conforme », « partiellement conforme », « totalement conforme ») are computed from
the criteria results, and the footer's mandatory « Accessibilité : … » mention follows them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from .models import BasePage

LEGAL_RICH_TEXT = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class Conformity(models.TextChoices):
    NONE = "non", "non conforme"
    PARTIAL = "partiel", "partiellement conforme"
    FULL = "total", "totalement conforme"


@dataclass(frozen=True)
class AuditSummary:
    conforming: int
    non_conforming: int
    not_applicable: int

    @property
    def applicable(self) -> int:
        return self.conforming + self.non_conforming

    @property
    def rate(self) -> float | None:
        """RGAA's rate: conforming criteria among the applicable ones, in percent."""
        if not self.applicable:
            return None
        return round(100 * self.conforming / self.applicable, 1)

    @property
    def status(self) -> Conformity:
        """RGAA 4.1 rule: 100 % totally, 50 % or more partially, below 50 % (or no audit)
        not conforming."""
        rate = self.rate
        if rate is None:
            return Conformity.NONE
        if self.non_conforming == 0:
            return Conformity.FULL
        return Conformity.PARTIAL if rate >= 50 else Conformity.NONE

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def rate_display(self) -> str:
        rate = self.rate
        if rate is None:
            return ""
        text = str(int(rate)) if rate == int(rate) else str(rate).replace(".", ",")
        return f"{text} %"


class AccessibilityStatementPage(BasePage):
    entity = models.CharField(
        "entité responsable",
        max_length=250,
        help_text="L'organisme qui s'engage à rendre le site accessible.",
    )
    site_name = models.CharField(
        "nom du site", max_length=200, default="Renouveau du Bassin Minier"
    )
    rgaa_version = models.CharField("version du RGAA", max_length=20, default="4.1.2")
    statement_date = models.DateField("date de la déclaration")
    audit_date = models.DateField("date de l'audit", null=True, blank=True)
    auditor = models.CharField(
        "audit réalisé par",
        max_length=250,
        blank=True,
        help_text="Prestataire ou service ; « auto-évaluation » si l'audit est interne.",
    )
    technologies = models.CharField(
        "technologies utilisées", max_length=250, default="HTML5, CSS, JavaScript, WAI-ARIA"
    )
    test_environment = RichTextField(
        "environnement de test",
        blank=True,
        features=LEGAL_RICH_TEXT,
        help_text="Combinaisons navigateur et technologie d'assistance, outils utilisés.",
    )
    audited_pages = RichTextField(
        "pages ayant fait l'objet de la vérification", blank=True, features=LEGAL_RICH_TEXT
    )
    non_conformities = RichTextField(
        "contenus non accessibles : non-conformités",
        blank=True,
        features=LEGAL_RICH_TEXT,
        help_text="En plus des critères non conformes de la grille, listés automatiquement.",
    )
    disproportionate_burden = RichTextField(
        "dérogations pour charge disproportionnée", blank=True, features=LEGAL_RICH_TEXT
    )
    exempt_content = RichTextField(
        "contenus non soumis à l'obligation d'accessibilité", blank=True, features=LEGAL_RICH_TEXT
    )
    contact_email = models.EmailField("adresse de contact", blank=True)
    contact_page = models.ForeignKey(
        Page,
        verbose_name="formulaire de contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_address = models.TextField("adresse postale de contact", blank=True)
    multi_year_plan = RichTextField(
        "schéma pluriannuel et plan d'action", blank=True, features=LEGAL_RICH_TEXT
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("entity"),
                FieldPanel("site_name"),
                FieldRowPanel([FieldPanel("statement_date"), FieldPanel("rgaa_version")]),
            ],
            heading="Déclaration",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("audit_date"), FieldPanel("auditor")]),
                FieldPanel("technologies"),
                FieldPanel("test_environment"),
                FieldPanel("audited_pages"),
            ],
            heading="Audit",
        ),
        InlinePanel(
            "criteria",
            heading="Grille d'audit (critères RGAA)",
            label="critère",
            help_text="Le taux et l'état de conformité sont calculés à partir de cette grille.",
        ),
        FieldPanel("non_conformities"),
        FieldPanel("disproportionate_burden"),
        FieldPanel("exempt_content"),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_page"),
                FieldPanel("contact_address"),
            ],
            heading="Retour d'information et contact",
        ),
        FieldPanel("multi_year_plan"),
    ]
    max_count = 1
    parent_page_types = ["renouveau.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "déclaration d'accessibilité"
        verbose_name_plural = "déclarations d'accessibilité"

    def audit_summary(self) -> AuditSummary:
        counts = dict(self.criteria.values_list("result").annotate(n=models.Count("pk")).order_by())
        return AuditSummary(
            conforming=counts.get(AccessibilityCriterion.Result.CONFORMING, 0),
            non_conforming=counts.get(AccessibilityCriterion.Result.NON_CONFORMING, 0),
            not_applicable=counts.get(AccessibilityCriterion.Result.NOT_APPLICABLE, 0),
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["audit"] = self.audit_summary()
        context["failed_criteria"] = self.criteria.filter(
            result=AccessibilityCriterion.Result.NON_CONFORMING
        )
        return context


class AccessibilityCriterion(Orderable):
    class Result(models.TextChoices):
        CONFORMING = "C", "conforme"
        NON_CONFORMING = "NC", "non conforme"
        NOT_APPLICABLE = "NA", "non applicable"

    page = ParentalKey(
        AccessibilityStatementPage, on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.CharField("critère", max_length=10, help_text="Par exemple : 1.1")
    title = models.CharField("intitulé", max_length=300, blank=True)
    result = models.CharField("résultat", max_length=2, choices=Result.choices)
    note = models.TextField(
        "observation",
        blank=True,
        help_text="Pour un critère non conforme : ce qui ne va pas, publié dans la déclaration.",
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("result")]),
        FieldPanel("title"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "critère RGAA"
        verbose_name_plural = "critères RGAA"

    def __str__(self) -> str:
        return f"{self.number} : {self.get_result_display()}"


def site_accessibility_status() -> tuple[AccessibilityStatementPage | None, AuditSummary | None]:
    """The live statement and its audit summary, for the footer mention."""
    statement = AccessibilityStatementPage.objects.live().public().first()
    if statement is None:
        return None, None
    return statement, statement.audit_summary()
