"""Case studies (« retours d'expérience »): budget, funding checked against it, key figures."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from renouveau import fragments
from renouveau.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from renouveau.models import BasePage
from renouveau.widgets import CheckboxSelectMultiple

from ..blocks import CONTACT_BLOCKS, DOCUMENT_BLOCKS, KEY_FIGURE_BLOCKS
from ..paging import base_query, live_pages, page_link, paginate
from .common import tabs
from .snippets import Landlord, Organisation, Theme


class CaseStudyIndexPage(RoutablePageMixin, BasePage):
    intro = models.TextField("chapô", blank=True, max_length=800)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["renouveau.HomePage"]
    subpage_types = ["cites_pages.CaseStudyPage"]
    max_count = 1
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    per_page = 12

    class Meta:
        verbose_name = "index des retours d'expérience"
        verbose_name_plural = "index des retours d'expérience"

    @path("")
    def index_route(self, request):
        # Here, not at the top: case_studies.py queries CaseStudyPage (a cycle).
        from ..case_studies import filter_case_studies, filter_options

        options = fragments.cached(
            "case-study-filters", lambda: filter_options(self), request, self.pk
        )
        filters, case_studies = filter_case_studies(request.GET, self, options)
        return self.render(
            request,
            context_overrides={
                "filters": filters,
                "case_studies": paginate(request, case_studies, self.per_page),
                "base_query": base_query(filters.params()),
            },
        )


class CaseStudyPageForm(WagtailAdminPageForm):
    """The funding lines must add up to the budget's total (when both are given)."""

    def clean(self):
        cleaned_data = super().clean()
        budget = self.formsets.get("budget_lines")
        funding = self.formsets.get("funding_lines")
        if budget is None or funding is None or not (budget.is_valid() and funding.is_valid()):
            return cleaned_data

        def total(formset) -> Decimal:
            return sum(
                (
                    form.cleaned_data.get("amount") or Decimal(0)
                    for form in formset.forms
                    if form.cleaned_data and not form.cleaned_data.get("DELETE")
                ),
                Decimal(0),
            )

        budget_total, funding_total = total(budget), total(funding)
        if budget_total and funding_total and budget_total != funding_total:
            self.add_error(
                None,
                f"Les financements totalisent {format_euros(funding_total)} mais le budget "
                f"{format_euros(budget_total)} : les deux montants doivent être égaux.",
            )
        return cleaned_data


def format_euros(amount: Decimal) -> str:
    """« 170 582 € » (French grouping with a narrow no-break space, cents only when present)."""
    quantized = amount.quantize(Decimal("0.01"))
    whole, cents = divmod(quantized, 1)
    text = f"{int(whole):,}".replace(",", "\u202f")
    if cents:
        text += "," + f"{quantized:.2f}".split(".")[1]
    return f"{text}\u00a0€"


class CaseStudyPage(BasePage):
    theme = models.ForeignKey(
        Theme,
        verbose_name="thème",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
        help_text="Le thème du cahier technique que ce retour d'expérience illustre.",
    )
    cities = ParentalManyToManyField(
        "cites_pages.CityPage",
        verbose_name="cités",
        blank=True,
        related_name="case_study_mentions",
        help_text="Le retour d'expérience apparaîtra sur la fiche de ces cités.",
    )
    lead_organisations = ParentalManyToManyField(
        Organisation,
        verbose_name="organisations porteuses",
        blank=True,
        related_name="case_studies",
    )
    landlords = ParentalManyToManyField(
        Landlord, verbose_name="bailleurs", blank=True, related_name="case_studies"
    )
    start_year = models.PositiveSmallIntegerField("année de début", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        "année de fin", null=True, blank=True, help_text="Vide : action en cours."
    )
    intro = models.TextField("chapô", blank=True, max_length=800)
    context = RichTextField("contexte", blank=True, features=RICH_TEXT_FEATURES)
    actions = StreamField(BaseStreamBlock(), verbose_name="actions menées", blank=True)
    key_figures = StreamField(
        KEY_FIGURE_BLOCKS,
        verbose_name="chiffres clés",
        blank=True,
        help_text="Valeur et libellé : « 90 » « cafés habitants ».",
    )
    lessons = RichTextField("enseignements", blank=True, features=RICH_TEXT_FEATURES)
    contacts = StreamField(CONTACT_BLOCKS, verbose_name="contacts", blank=True)
    documents = StreamField(DOCUMENT_BLOCKS, verbose_name="documents", blank=True)
    related_webinar = models.ForeignKey(
        "cites_pages.WebinarPage",
        verbose_name="webinaire associé",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = CaseStudyPageForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("theme"),
                FieldPanel("cities", widget=CheckboxSelectMultiple),
                FieldPanel("lead_organisations", widget=CheckboxSelectMultiple),
                FieldPanel("landlords", widget=CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
            ],
            heading="Repères",
        ),
        FieldPanel("intro"),
        FieldPanel("context"),
        FieldPanel("actions"),
        FieldPanel("key_figures"),
        FieldPanel("lessons"),
    ]
    budget_panels = [
        InlinePanel("budget_lines", heading="Postes de dépense", label="Poste"),
        InlinePanel("funding_lines", heading="Financements", label="Financement"),
    ]
    links_panels = [FieldPanel("contacts"), FieldPanel("documents"), FieldPanel("related_webinar")]
    edit_handler = tabs(
        ("Retour d'expérience", content_panels),
        ("Budget", budget_panels),
        ("Contacts et liens", links_panels),
    )
    parent_page_types = ["cites_pages.CaseStudyIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("context"),
        index.SearchField("actions"),
        index.SearchField("lessons"),
        # Site search (issue 5): key figures, partners and the cités' communes are findable.
        index.SearchField("key_figures"),
        index.RelatedFields("landlords", [index.SearchField("name")]),
        index.RelatedFields("lead_organisations", [index.SearchField("name")]),
        index.RelatedFields(
            "cities",
            [
                index.SearchField("title"),
                index.RelatedFields("communes", [index.SearchField("name")]),
            ],
        ),
        index.FilterField("theme"),
    ]

    class Meta:
        verbose_name = "retour d'expérience"
        verbose_name_plural = "retours d'expérience"

    def clean(self):
        super().clean()
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError(
                {"end_year": "L'année de fin doit être postérieure ou égale à l'année de début."}
            )

    shown_related = ("theme",)

    def get_teaser_text(self) -> str:
        return self.teaser_text or self.intro or self.search_description or ""

    def get_context(self, request, *args, **kwargs):
        # Here, not at the top: case_studies.py queries CaseStudyPage (a cycle).
        from ..case_studies import budget_of

        context = super().get_context(request, *args, **kwargs)
        context.update(
            budget=budget_of(self),
            cities=live_pages(self.cities, request),
            lead_organisations=list(self.lead_organisations.all()),
            landlords=list(self.landlords.all()),
            related_webinar=page_link(
                self._meta.get_field("related_webinar").related_model,
                self.related_webinar_id,
                request,
            ),
        )
        return context


class BudgetLine(Orderable):
    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(
        "poste", max_length=200, help_text="Par exemple : « Conception du jardin »."
    )
    provider = models.CharField("prestataire", max_length=150, blank=True)
    amount = models.DecimalField(
        "montant TTC (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    panels = [FieldRowPanel([FieldPanel("item"), FieldPanel("provider"), FieldPanel("amount")])]

    class Meta(Orderable.Meta):
        verbose_name = "poste de dépense"
        verbose_name_plural = "postes de dépense"


class FundingLine(Orderable):
    class Source(models.TextChoices):
        ATFPB = "atfpb", "Abattement de TFPB"
        LANDLORD = "bailleur", "Bailleur"
        STATE = "etat", "État"
        REGION = "region", "Région"
        DEPARTMENT = "departement", "Département"
        EPCI = "epci", "Intercommunalité"
        COMMUNE = "commune", "Commune"
        EUROPE = "europe", "Union européenne"
        OTHER = "autre", "Autre"

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="funding_lines")
    source = models.CharField("source", max_length=20, choices=Source.choices)
    funder = models.CharField(
        "financeur", max_length=150, blank=True, help_text="Par exemple : « Maisons & Cités »."
    )
    amount = models.DecimalField(
        "montant (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    panels = [FieldRowPanel([FieldPanel("source"), FieldPanel("funder"), FieldPanel("amount")])]

    class Meta(Orderable.Meta):
        verbose_name = "financement"
        verbose_name_plural = "financements"
