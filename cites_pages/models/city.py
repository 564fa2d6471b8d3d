"""Cité profiles and their index (list, filters, map, open data)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponse, JsonResponse
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from renouveau import fragments
from renouveau.blocks import BaseStreamBlock
from renouveau.french import sort_key
from renouveau.models import BasePage
from renouveau.widgets import CheckboxSelectMultiple

from ..blocks import GALLERY_BLOCKS, KEY_FIGURE_BLOCKS, TIMELINE_BLOCKS
from ..paging import base_query, paginate
from .common import Status, tabs
from .snippets import EPCI, Commune, Landlord


class CitiesIndexPage(RoutablePageMixin, BasePage):
    intro = models.TextField("chapô", blank=True, max_length=800)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["renouveau.HomePage"]
    subpage_types = ["cites_pages.CityPage"]
    max_count = 1
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    per_page = 24

    class Meta:
        verbose_name = "index des cités"
        verbose_name_plural = "index des cités"

    def filtered_cities(self, request):
        # Here, not at the top: registry.py queries CityPage (a cycle).
        from ..registry import filter_counts, live_cities, parse_filters

        cities = live_cities(self)
        counts = fragments.cached(
            "city-filter-counts", lambda: filter_counts(cities), request, self.pk
        )
        filters = parse_filters(request.GET, cities, counts)
        return filters, filters.apply(cities)

    @path("")
    def index_route(self, request):
        filters, cities = self.filtered_cities(request)
        page_obj = paginate(request, cities, self.per_page)
        query = filters.querystring()
        return self.render(
            request,
            context_overrides={
                "filters": filters,
                "cities": page_obj,
                "base_query": base_query(filters.params()),
                "csv_url": self.url + self.reverse_subpage("cities_csv") + query,
                "geojson_url": self.url + self.reverse_subpage("cities_geojson") + query,
                "tile_url": settings.TILE_URL,
                "tile_attribution": settings.TILE_ATTRIBUTION,
            },
        )

    @path("export-csv/", name="cities_csv")
    def csv_route(self, request):
        # Here, not at the top: registry.py queries CityPage (a cycle).
        from ..registry import cities_csv

        _, cities = self.filtered_cities(request)
        return HttpResponse(
            cities_csv(cities.order_by("title"), request, self.get_full_url(request)),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="cites-erbm.csv"'},
        )

    @path("export-geojson/", name="cities_geojson")
    def geojson_route(self, request):
        # Here, not at the top: registry.py queries CityPage (a cycle).
        from ..registry import cities_geojson

        _, cities = self.filtered_cities(request)
        return JsonResponse(
            cities_geojson(cities, request, self.get_full_url(request)),
            content_type="application/geo+json",
            json_dumps_params={"ensure_ascii": False},
        )


class CityPageForm(WagtailAdminPageForm):
    """Checks what spans the page and its phases: the phases add up to the cité's total."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("phases")
        dwellings = cleaned_data.get("dwellings")
        if formset is None or dwellings is None or not formset.is_valid():
            return cleaned_data
        phases = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        total = sum(phase.get("dwellings") or 0 for phase in phases)
        if phases and total != dwellings:
            self.add_error(
                "dwellings",
                f"Les tranches totalisent {total} logements alors que la cité en compte "
                f"{dwellings} : corrigez le nombre de logements ou les tranches.",
            )
        return cleaned_data


class CityPage(BasePage):
    class EnergyTarget(models.TextChoices):
        C = "C", "Étiquette C"
        BBC = "BBC", "BBC rénovation"

    intro = models.TextField("chapô", blank=True, max_length=800)
    communes = ParentalManyToManyField(
        Commune,
        verbose_name="communes",
        related_name="cities",
        help_text="Une cité peut s'étendre sur plusieurs communes (Cuvinot : Onnaing et Vicq).",
    )
    epci = models.ForeignKey(
        EPCI,
        verbose_name="intercommunalité",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cities",
        help_text="Vide : l'intercommunalité de la première commune.",
    )
    landlord = models.ForeignKey(
        Landlord,
        verbose_name="bailleur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cities",
    )
    dwellings = models.PositiveIntegerField(
        "nombre de logements",
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Nombre total de logements rénovés dans la cité ; les tranches doivent "
        "totaliser ce nombre. Vide si inconnu : « non renseigné » (et non 0) sur le site et dans "
        "les données ouvertes.",
    )
    status = models.CharField(
        "état d'avancement", max_length=20, choices=Status.choices, default=Status.PROGRAMMED
    )
    energy_target = models.CharField(
        "objectif énergétique",
        max_length=5,
        choices=EnergyTarget.choices,
        blank=True,
        help_text="Étiquette énergétique visée après rénovation.",
    )
    unesco_listed = models.BooleanField(
        "inscrite au patrimoine mondial de l'UNESCO",
        default=False,
        help_text="Cité inscrite au titre du Bassin minier Nord-Pas de Calais (2012).",
    )
    latitude = models.DecimalField(
        "latitude",
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="En degrés décimaux, par exemple 50.45312.",
    )
    longitude = models.DecimalField(
        "longitude",
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="En degrés décimaux, par exemple 3.59120.",
    )
    location_is_approximate = models.BooleanField(
        "position approximative",
        default=False,
        help_text="Cochez si le point placé sur la carte est approximatif (centre de la commune…).",
    )
    gallery = StreamField(GALLERY_BLOCKS, verbose_name="photos", blank=True)
    timeline = StreamField(
        TIMELINE_BLOCKS,
        verbose_name="participation des habitants",
        blank=True,
        help_text="Les étapes datées : diagnostic partagé, balade urbaine, atelier, visite…",
    )
    key_figures = StreamField(KEY_FIGURE_BLOCKS, verbose_name="chiffres clés", blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name="présentation détaillée", blank=True)
    # The order of lists: « Cité de la Parisienne » under P, accents ignored (renouveau.french).
    sort_title = models.CharField(max_length=255, editable=False, default="", db_index=True)

    base_form_class = CityPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("communes", widget=CheckboxSelectMultiple),
                FieldPanel("epci"),
                FieldPanel("landlord"),
            ],
            heading="Territoire",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("dwellings"), FieldPanel("status")]),
                FieldRowPanel([FieldPanel("energy_target"), FieldPanel("unesco_listed")]),
            ],
            heading="Rénovation",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("location_is_approximate"),
            ],
            heading="Position sur la carte",
        ),
        FieldPanel("key_figures"),
        FieldPanel("body"),
    ]
    works_panels = [InlinePanel("phases", heading="Tranches de travaux", label="Tranche")]
    participation_panels = [FieldPanel("timeline")]
    media_panels = [FieldPanel("gallery")]
    edit_handler = tabs(
        ("Cité", content_panels),
        ("Travaux", works_panels),
        ("Participation", participation_panels),
        ("Photos", media_panels),
    )
    parent_page_types = ["cites_pages.CitiesIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("timeline"),
        index.FilterField("status"),
        index.FilterField("epci"),
        index.FilterField("landlord"),
        index.RelatedFields("communes", [index.SearchField("name"), index.FilterField("slug")]),
        index.RelatedFields("landlord", [index.SearchField("name")]),  # site search (issue 5)
        index.RelatedFields("epci", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = "cité"
        verbose_name_plural = "cités"

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": "Saisissez la latitude et la longitude, ou aucune des deux."}
            )

    shown_related = ("epci", "landlord")

    def get_context(self, request, *args, **kwargs):
        # Here, not at the top: listing.py queries the page models (a cycle).
        from ..listing import mentions_of

        context = super().get_context(request, *args, **kwargs)
        context["communes"] = list(self.communes.all())
        context["phases"] = list(self.phases.all())
        context["mentions"] = mentions_of(self, request)
        return context

    def save(self, *args, **kwargs):
        # The EPCI follows the commune unless the editor chose one.
        if self.epci_id is None:
            first = next((c for c in self.communes.all() if c.epci_id), None)
            if first is not None:
                self.epci_id = first.epci_id
        self.sort_title = sort_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_title"}
        super().save(*args, **kwargs)


class CityPhase(Orderable):
    """A works phase (« tranche ») of a cité."""

    page = ParentalKey(CityPage, on_delete=models.CASCADE, related_name="phases")
    label = models.CharField("libellé", max_length=100, help_text="Par exemple : « Tranche 3 ».")
    dwellings = models.PositiveIntegerField(
        "logements", validators=[MinValueValidator(0)], help_text="Nombre de logements (≥ 0)."
    )
    start_date = models.DateField("début des travaux", null=True, blank=True)
    end_date = models.DateField("fin des travaux", null=True, blank=True)
    status = models.CharField(
        "état d'avancement", max_length=20, choices=Status.choices, default=Status.PROGRAMMED
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("dwellings"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "tranche de travaux"
        verbose_name_plural = "tranches de travaux"

    def __str__(self) -> str:
        return f"{self.label} ({self.dwellings} logements)"

    @property
    def bucket_label(self) -> str:
        return self.get_status_display()

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "La fin des travaux doit être postérieure à leur début."}
            )
