"""Case studies: budget with its computed total and funding checked against it; index filters."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import QueryDict
from wagtail.models import Page

from renouveau.visibility import private_q, public_live

from .models import CaseStudyPage, CityPage, Organisation, Theme
from .models.case_study import BudgetLine, FundingLine, format_euros


@dataclass
class FundingShare:
    line: FundingLine
    percent: int


@dataclass
class Budget:
    lines: list[BudgetLine]
    funding: list[FundingShare]
    total: Decimal
    funding_total: Decimal

    @property
    def balanced(self) -> bool:
        return not self.funding or self.funding_total == self.total

    @property
    def gap(self) -> Decimal:
        return self.total - self.funding_total

    @property
    def total_display(self) -> str:
        return format_euros(self.total)

    @property
    def funding_total_display(self) -> str:
        return format_euros(self.funding_total)

    @property
    def gap_display(self) -> str:
        return format_euros(abs(self.gap))


def budget_of(case_study: CaseStudyPage) -> Budget:
    """The budget lines with their total TTC, and each funding source's share of it."""
    lines = list(case_study.budget_lines.all())
    funding_lines = list(case_study.funding_lines.all())
    total = sum((line.amount for line in lines), Decimal(0))
    funding_total = sum((line.amount for line in funding_lines), Decimal(0))
    base = total or funding_total
    return Budget(
        lines=lines,
        funding=[
            FundingShare(line, round(100 * line.amount / base) if base else 0)
            for line in funding_lines
        ],
        total=total,
        funding_total=funding_total,
    )


@dataclass
class CaseStudyFilters:
    theme: Theme | None = None
    city: CityPage | None = None
    organisation: Organisation | None = None
    themes: list[Theme] = field(default_factory=list)
    cities: list[CityPage] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.theme or self.city or self.organisation)

    def params(self) -> dict[str, str]:
        values = {
            "theme": self.theme.slug if self.theme else "",
            "cite": self.city.slug if self.city else "",
            "organisation": self.organisation.slug if self.organisation else "",
        }
        return {key: value for key, value in values.items() if value}


def filter_options(index: Page) -> CaseStudyFilters:
    """The themes, cités and organisations of the case studies under `index` (three queries
    whatever their number; the same for every visitor, so cached by the index page)."""
    ids = _case_studies(index).order_by().values("pk")
    return CaseStudyFilters(
        themes=list(Theme.objects.filter(case_studies__in=ids).distinct()),
        cities=list(
            public_live(CityPage.objects)
            .filter(case_study_mentions__in=ids)
            .distinct()
            .defer_streamfields()
            .order_by("title")
        ),
        organisations=list(Organisation.objects.filter(case_studies__in=ids).distinct()),
    )


def _case_studies(index: Page) -> QuerySet[CaseStudyPage]:
    return public_live(CaseStudyPage.objects).exclude(private_q()).descendant_of(index)


def filter_case_studies(
    params: QueryDict | dict[str, str], index: Page, options: CaseStudyFilters | None = None
) -> tuple[CaseStudyFilters, QuerySet[CaseStudyPage]]:
    """Case studies under `index` filtered by theme, cité and organisation (by slug); unknown
    values are ignored, so a stale link shows the whole list rather than an error. `options`:
    filter_options(index), when the caller has it."""
    case_studies = _case_studies(index)
    options = options if options is not None else filter_options(index)
    filters = CaseStudyFilters(
        themes=options.themes, cities=options.cities, organisations=options.organisations
    )

    def pick(options: list, name: str):
        value = params.get(name, "")
        return next((o for o in options if o.slug == value), None) if value else None

    filters.theme = pick(filters.themes, "theme")
    filters.city = pick(filters.cities, "cite")
    filters.organisation = pick(filters.organisations, "organisation")
    if filters.theme:
        case_studies = case_studies.filter(theme=filters.theme)
    if filters.city:
        case_studies = case_studies.filter(cities=filters.city)
    if filters.organisation:
        case_studies = case_studies.filter(lead_organisations=filters.organisation)
    case_studies = (
        case_studies.defer_streamfields()
        .select_related("theme", "teaser_image")
        .prefetch_related("cities", "lead_organisations", "landlords", "teaser_image__renditions")
        .order_by("title")
    )
    return filters, case_studies
