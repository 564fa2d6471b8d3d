"""Webinars: upcoming (registration) then replay, schema.org Event, .ics and iCal feed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from renouveau.blocks import BaseStreamBlock
from renouveau.models import BasePage
from renouveau.widgets import CheckboxSelectMultiple

from ..blocks import AGENDA_BLOCKS, DOCUMENT_BLOCKS, REPLAY_BLOCKS, SPEAKER_BLOCKS
from ..paging import ids_key, live_pages, paginate
from .common import tabs
from .snippets import Landlord, Organisation, Theme


class WebinarIndexPage(RoutablePageMixin, BasePage):
    intro = models.TextField("chapô", blank=True, max_length=800)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["renouveau.HomePage"]
    subpage_types = ["cites_pages.WebinarPage"]
    max_count = 1
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    per_page = 12
    upcoming_shown = 12

    class Meta:
        verbose_name = "index des webinaires"
        verbose_name_plural = "index des webinaires"

    @path("")
    def index_route(self, request):
        # Here, not at the top: webinars.py queries WebinarPage (a cycle).
        from ..webinars import past_webinars, upcoming_webinars

        upcoming = upcoming_webinars(self)
        shown = upcoming[: self.upcoming_shown]  # a handful; the iCal agenda holds them all
        past = paginate(request, past_webinars(self), self.per_page)
        return self.render(
            request,
            context_overrides={
                # The lists are cached per content generation and keyed on the ids they show
                # (one cheap query each): a cached list builds none of its webinars, and one
                # moves from « À venir » to « Replays » as soon as it ends.
                "upcoming": shown,
                "upcoming_key": ids_key(shown),
                "upcoming_count": upcoming.count(),
                "past": past,
                "past_key": ids_key(past.object_list),
                "base_query": "",
                "ical_url": self.url + self.reverse_subpage("ical_feed"),
            },
        )

    @path("agenda-ical/", name="ical_feed")
    def ical_route(self, request):
        # Here, not at the top: webinars.py queries WebinarPage (a cycle).
        from ..webinars import calendar, upcoming_webinars

        body = calendar(
            upcoming_webinars(self)[:200], request, name="Webinaires du Renouveau du Bassin Minier"
        )
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")


class WebinarPage(RoutablePageMixin, BasePage):
    class Mode(models.TextChoices):
        ONLINE = "online", "En ligne"
        VENUE = "venue", "Sur place"
        HYBRID = "hybrid", "Sur place et en ligne"

    start = models.DateTimeField("début", help_text="Heure de Paris.")
    end = models.DateTimeField(
        "fin", help_text="Heure de Paris. Après la fin, la page présente le replay."
    )
    mode = models.CharField("format", max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    venue_name = models.CharField("lieu", max_length=200, blank=True)
    venue_address = models.CharField("adresse du lieu", max_length=300, blank=True)
    registration_url = models.URLField(
        "lien d'inscription",
        blank=True,
        help_text="Affiché tant que le webinaire n'a pas eu lieu.",
    )
    # How registrants join: never on the page, in the API, feeds or search index (not in
    # search_fields, api_fields or any template of the page); only in their mails and .ics.
    join_url = models.URLField(
        "lien de connexion",
        blank=True,
        max_length=500,
        help_text="Jamais affiché sur le site\u00a0: envoyé seulement aux inscrits "
        "(confirmation, rappels, fichier .ics).",
    )
    dial_in = models.CharField(
        "accès par téléphone",
        blank=True,
        max_length=300,
        help_text="Facultatif, envoyé seulement aux inscrits\u00a0: numéro et code de la "
        "conférence.",
    )
    intro = models.TextField("chapô", blank=True, max_length=800)
    description = StreamField(BaseStreamBlock(), verbose_name="présentation", blank=True)
    speakers = StreamField(SPEAKER_BLOCKS, verbose_name="intervenants", blank=True)
    agenda = StreamField(AGENDA_BLOCKS, verbose_name="programme", blank=True)
    themes = ParentalManyToManyField(
        Theme, verbose_name="thèmes abordés", blank=True, related_name="webinars"
    )
    partners = ParentalManyToManyField(
        Organisation, verbose_name="partenaires", blank=True, related_name="webinars"
    )
    partner_landlords = ParentalManyToManyField(
        Landlord, verbose_name="bailleurs partenaires", blank=True, related_name="webinars"
    )
    replay = StreamField(
        REPLAY_BLOCKS,
        verbose_name="replay",
        blank=True,
        help_text="La vidéo du webinaire, montrée une fois celui-ci terminé.",
    )
    transcript = RichTextField(
        "transcription du replay", blank=True, features=["h2", "h3", "bold", "italic", "ul", "ol"]
    )
    documents = StreamField(DOCUMENT_BLOCKS, verbose_name="supports et documents", blank=True)
    related_case_studies = ParentalManyToManyField(
        "cites_pages.CaseStudyPage",
        verbose_name="retours d'expérience présentés",
        blank=True,
        related_name="webinars",
    )
    related_cities = ParentalManyToManyField(
        "cites_pages.CityPage",
        verbose_name="cités concernées",
        blank=True,
        related_name="webinar_mentions",
        help_text="Le webinaire apparaîtra sur la fiche de ces cités.",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("mode"),
                FieldRowPanel([FieldPanel("venue_name"), FieldPanel("venue_address")]),
                FieldPanel("registration_url"),
            ],
            heading="Date et accès",
        ),
        MultiFieldPanel(
            [FieldPanel("join_url"), FieldPanel("dial_in")],
            heading="Accès des inscrits (jamais publié)",
        ),
        FieldPanel("intro"),
        FieldPanel("description"),
        FieldPanel("agenda"),
        FieldPanel("speakers"),
    ]
    partners_panels = [
        FieldPanel("themes", widget=CheckboxSelectMultiple),
        FieldPanel("partners", widget=CheckboxSelectMultiple),
        FieldPanel("partner_landlords", widget=CheckboxSelectMultiple),
        FieldPanel("related_case_studies", widget=CheckboxSelectMultiple),
        FieldPanel("related_cities", widget=CheckboxSelectMultiple),
    ]
    replay_panels = [FieldPanel("replay"), FieldPanel("transcript"), FieldPanel("documents")]
    edit_handler = tabs(
        ("Webinaire", content_panels),
        ("Partenaires et liens", partners_panels),
        ("Replay et documents", replay_panels),
    )
    parent_page_types = ["cites_pages.WebinarIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("description"),
        index.SearchField("transcript"),
        index.FilterField("start"),
    ]

    class Meta:
        verbose_name = "webinaire"
        verbose_name_plural = "webinaires"
        ordering = ["-start"]

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "La fin du webinaire doit être postérieure à son début."})
        if self.mode != self.Mode.ONLINE and not self.venue_name:
            raise ValidationError({"venue_name": "Indiquez le lieu de la rencontre."})

    @property
    def is_upcoming(self) -> bool:
        """Upcoming until its end has passed; then the page shows the replay."""
        return timezone.now() < self.end

    def get_teaser_text(self) -> str:
        return self.teaser_text or self.intro or self.search_description or ""

    def get_context(self, request, *args, **kwargs):
        # Here, not at the top: webinars.py queries WebinarPage (a cycle).
        from ..webinars import event_json_ld, location_text, webinar_state

        context = super().get_context(request, *args, **kwargs)
        context.update(
            state=webinar_state(self),
            json_ld=event_json_ld(self, request),
            location=location_text(self),
            related_cities=live_pages(self.related_cities, request),
            related_case_studies=live_pages(self.related_case_studies, request),
            partners=list(self.partners.all()),
            partner_landlords=list(self.partner_landlords.all()),
            themes=list(self.themes.all()),
            ics_url=self.url + self.reverse_subpage("ics") if self.url else "",
        )
        return context

    @path("ical/", name="ics")
    def ics_route(self, request):
        # Here, not at the top: webinars.py queries WebinarPage (a cycle).
        from ..webinars import calendar

        return HttpResponse(
            calendar([self], request),
            content_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{self.slug}.ics"'},
        )
