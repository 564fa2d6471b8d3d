"""The programme's models: reference snippets and page types (one module per page type)."""

from .case_study import BudgetLine, CaseStudyIndexPage, CaseStudyPage, FundingLine
from .city import CitiesIndexPage, CityPage, CityPhase
from .common import Status
from .figures import ProgrammeFiguresPage
from .news import NewsIndexPage, NewsPage
from .snippets import EPCI, Commune, Landlord, NewsCategory, Organisation, Theme
from .webinar import WebinarIndexPage, WebinarPage

__all__ = [
    "EPCI",
    "BudgetLine",
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "CitiesIndexPage",
    "CityPage",
    "CityPhase",
    "Commune",
    "FundingLine",
    "Landlord",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "Organisation",
    "ProgrammeFiguresPage",
    "Status",
    "Theme",
    "WebinarIndexPage",
    "WebinarPage",
]
