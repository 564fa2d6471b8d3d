"""A page of its own for « le programme en chiffres » (computed live from the cités)."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from renouveau import fragments
from renouveau.blocks import BaseStreamBlock
from renouveau.models import BasePage

from ..paging import private_sections
from .city import CitiesIndexPage


class ProgrammeFiguresPage(BasePage):
    intro = models.TextField("chapô", blank=True, max_length=800)
    body = StreamField(
        BaseStreamBlock(),
        verbose_name="texte complémentaire",
        blank=True,
        help_text="Les chiffres eux-mêmes sont calculés à partir des fiches des cités.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["renouveau.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "page « le programme en chiffres »"
        verbose_name_plural = "pages « le programme en chiffres »"

    def get_context(self, request, *args, **kwargs):
        # Here, not at the top: figures.py and listing.py query the page models (a cycle).
        from ..figures import programme_figures
        from ..listing import programme_pages

        context = super().get_context(request, *args, **kwargs)
        # Summed over every cité: computed once per content generation, so the page costs the
        # same for 10 cités or 500.
        context["figures"] = fragments.cached(
            "programme-figures",
            lambda: programme_figures(private=private_sections(request)),
            request,
        )
        context["cities_index"] = programme_pages(request).get(CitiesIndexPage)
        return context
