"""The RGAA accessibility statement (loi n° 2005-102 art. 47, décret n° 2019-768), in the
official structure, driven by an audit grid editable in the admin: the conformity rate and the
status (« non conforme », « partiellement conforme », « totalement conforme ») are computed from
the criteria results, and the footer's mandatory « Accessibilité : … » mention follows them.

The grid holds the 106 criteria of RGAA 4.1 (data/rgaa_4_1_criteria.json, from the official
criteria file), each « non audité » until the audit says otherwise: a partial audit can never
read « totalement conforme », and says it is partial, in the admin and on the page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from .pages import BasePage

LEGAL_RICH_TEXT = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


RGAA_CRITERIA_FILE = Path(__file__).parent / "data" / "rgaa_4_1_criteria.json"


@dataclass(frozen=True)
class RgaaCriterion:
    number: str
    theme: str
    title: str


@cache
def rgaa_criteria() -> tuple[RgaaCriterion, ...]:
    """The 106 criteria of RGAA 4.1, in the referential's order."""
    data = json.loads(RGAA_CRITERIA_FILE.read_text(encoding="utf-8"))
    return tuple(
        RgaaCriterion(criterion["number"], theme["title"], criterion["title"])
        for theme in data["themes"]
        for criterion in theme["criteria"]
    )


def criterion_order(number: str) -> tuple[int, ...]:
    """« 10.2 » after « 9.4 »; anything unexpected last."""
    try:
        return tuple(int(part) for part in number.split("."))
    except ValueError:
        return (999,)


class Conformity(models.TextChoices):
    NONE = "non", "non conforme"
    PARTIAL = "partiel", "partiellement conforme"
    FULL = "total", "totalement conforme"


@dataclass(frozen=True)
class AuditSummary:
    conforming: int
    non_conforming: int
    not_applicable: int
    not_audited: int = 0  # « non audité » in the grid, or missing from it

    @property
    def total(self) -> int:
        return self.conforming + self.non_conforming + self.not_applicable + self.not_audited

    @property
    def complete(self) -> bool:
        """Every criterion of the referential audited (conforming, not, or not applicable)."""
        return self.not_audited == 0 and self.total >= len(rgaa_criteria())

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
        """RGAA 4.1 rule: totally only when every applicable criterion was audited and met;
        partially from 50 %; below 50 % (or no audit) not conforming."""
        rate = self.rate
        if rate is None:
            return Conformity.NONE
        if self.non_conforming == 0 and self.complete:
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
        HelpPanel(template="renouveau/admin/accessibility_audit_panel.html", heading="Conformité"),
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
            help_text="Les 106 critères du RGAA 4.1, « non audité » jusqu'à l'audit. Le taux et "
            "l'état de conformité sont calculés à partir de cette grille : « totalement "
            "conforme » seulement quand chaque critère est audité.",
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
        """Counted in Python from the grid as it is (saved, or being edited in the admin)."""
        Result = AccessibilityCriterion.Result
        results = {criterion.number: criterion.result for criterion in self.criteria.all()}
        missing = sum(1 for c in rgaa_criteria() if c.number not in results)
        values = list(results.values())
        return AuditSummary(
            conforming=values.count(Result.CONFORMING),
            non_conforming=values.count(Result.NON_CONFORMING),
            not_applicable=values.count(Result.NOT_APPLICABLE),
            not_audited=values.count(Result.NOT_AUDITED) + missing,
        )

    def complete_grid(self) -> None:
        """Add the RGAA criteria missing from the grid as « non audité », give each criterion
        its official title, and put the grid in the referential's order."""
        titles = {c.number: c.title for c in rgaa_criteria()}
        criteria = list(self.criteria.all())
        present = {criterion.number for criterion in criteria}
        criteria += [
            AccessibilityCriterion(number=c.number, title=c.title)
            for c in rgaa_criteria()
            if c.number not in present
        ]
        for criterion in criteria:
            criterion.title = titles.get(criterion.number, criterion.title)
        criteria.sort(key=lambda criterion: criterion_order(criterion.number))
        for position, criterion in enumerate(criteria):
            criterion.sort_order = position
        self.criteria = criteria

    def save(self, *args, **kwargs):
        # A new statement (or an old one) gets the whole grid; a save of a few columns
        # (update_fields) leaves the grid alone.
        if kwargs.get("update_fields") is None:
            self.complete_grid()
        return super().save(*args, **kwargs)

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
        NOT_AUDITED = "NT", "non audité"

    page = ParentalKey(
        AccessibilityStatementPage, on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.CharField("critère", max_length=10, help_text="Par exemple : 1.1")
    title = models.CharField("intitulé", max_length=400, blank=True)  # RGAA's longest: 308
    result = models.CharField(
        "résultat", max_length=2, choices=Result.choices, default=Result.NOT_AUDITED
    )
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
