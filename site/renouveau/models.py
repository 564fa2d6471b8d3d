"""The site app's models, gathered for Django: each is defined in the module of its concern."""

from .accessibility import AccessibilityCriterion, AccessibilityStatementPage
from .form_pages import FormField, FormPage
from .heartbeats import Heartbeat, JobRun
from .legal import DataProcessing, LegalNoticePage, PersonalDataPage, SitemapPage
from .pages import BasePage, HomePage, SiteImage, SiteRendition, SiteSettings, StandardPage

__all__ = [
    "AccessibilityCriterion",
    "AccessibilityStatementPage",
    "BasePage",
    "DataProcessing",
    "FormField",
    "FormPage",
    "Heartbeat",
    "HomePage",
    "JobRun",
    "LegalNoticePage",
    "PersonalDataPage",
    "SiteImage",
    "SiteRendition",
    "SiteSettings",
    "SitemapPage",
    "StandardPage",
]
