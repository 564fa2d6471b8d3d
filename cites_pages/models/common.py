"""What the programme's page types share: statuses, the admin tab layout."""

from django.db import models
from wagtail.admin.panels import ObjectList, TabbedInterface

from renouveau.models import BasePage


class Status(models.TextChoices):
    """Progress of a cité or of one of its works phases."""

    PROGRAMMED = "programmee", "Programmée"
    STUDIES = "etudes", "Études"
    WORKS = "travaux", "En travaux"
    DONE = "terminee", "Terminée"


def tabs(*content_tabs: tuple[str, list]) -> TabbedInterface:
    """Content tabs followed by Wagtail's promote and settings tabs, with French headings."""
    return TabbedInterface(
        [
            *(ObjectList(panels, heading=heading) for heading, panels in content_tabs),
            ObjectList(BasePage.promote_panels, heading="Référencement et accroche"),
            ObjectList(BasePage.settings_panels, heading="Publication", classname="settings"),
        ]
    )
