"""What the programme's page types share: statuses, the admin tab layout."""

from django.db import models
from wagtail.admin import panels
from wagtail.admin.panels import ObjectList

from renouveau.models import BasePage


class Status(models.TextChoices):
    """Progress of a cité or of one of its works phases."""

    PROGRAMMED = "programmee", "Programmée"
    STUDIES = "etudes", "Études"
    WORKS = "travaux", "En travaux"
    DONE = "terminee", "Terminée"


class TabbedInterface(panels.TabbedInterface):
    """Wagtail's tabs, whose form class is built once per process instead of on every edit view
    (about 5 ms of each, issue 32). Wagtail keeps a page type's panels bound to its model for
    the life of the process (Page.get_edit_handler); the form class depends on them alone (the
    editor's permissions, choices and values are applied to each form made from it)."""

    _form_class = None  # set on the panels bound to a model; a clone starts without it

    def get_form_class(self):
        if self._form_class is None:
            self._form_class = super().get_form_class()
        return self._form_class


def tabs(*content_tabs: tuple[str, list]) -> TabbedInterface:
    """Content tabs followed by Wagtail's promote and settings tabs, with French headings."""
    return TabbedInterface(
        [
            *(ObjectList(panels, heading=heading) for heading, panels in content_tabs),
            ObjectList(BasePage.promote_panels, heading="Référencement et accroche"),
            ObjectList(BasePage.settings_panels, heading="Publication", classname="settings"),
        ]
    )
