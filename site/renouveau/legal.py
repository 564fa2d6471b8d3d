"""Legal pages of a French public body's website, as structured content editors fill in:
the legal notice (LCEN art. 6: publisher, director of publication, host), the personal-data page
(RGPD arts. 13-14: controller, and per processing its purpose, legal basis, retention and
processors) and the HTML site map. The accessibility statement is in accessibility.py; the
cookies and embedded-content page is a StandardPage (demo.py)."""

from __future__ import annotations

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from .accessibility import LEGAL_RICH_TEXT
from .blocks import BaseStreamBlock
from .pages import BasePage
from .retention import entry_for

TO_COMPLETE = "à compléter"


class LegalNoticePage(BasePage):
    """« Mentions légales »: who publishes the site, who answers for it, who hosts it."""

    publisher_name = models.CharField(
        "éditeur du site",
        max_length=250,
        help_text="La personne morale qui publie le site (par exemple la préfecture de région).",
    )
    publisher_legal_form = models.CharField("statut juridique", max_length=200, blank=True)
    publisher_address = models.TextField("adresse de l'éditeur")
    publisher_siren = models.CharField(
        "numéro SIREN ou SIRET", max_length=20, blank=True, help_text="Vide : « à compléter »."
    )
    publisher_phone = models.CharField("téléphone de l'éditeur", max_length=40, blank=True)
    publisher_email = models.EmailField("adresse électronique de l'éditeur", blank=True)
    director_name = models.CharField(
        "directeur ou directrice de la publication",
        max_length=200,
        help_text="Nom, ou à défaut la fonction (par exemple « Le préfet de région »).",
    )
    director_role = models.CharField("fonction", max_length=200, blank=True)
    host_name = models.CharField("hébergeur", max_length=250)
    host_address = models.TextField("adresse de l'hébergeur")
    host_phone = models.CharField("téléphone de l'hébergeur", max_length=40, blank=True)
    host_website = models.URLField("site de l'hébergeur", blank=True)
    body = StreamField(
        BaseStreamBlock(),
        verbose_name="autres informations",
        blank=True,
        help_text="Crédits, propriété intellectuelle, liens, réutilisation des contenus…",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("publisher_name"),
                FieldPanel("publisher_legal_form"),
                FieldPanel("publisher_address"),
                FieldPanel("publisher_siren"),
                FieldPanel("publisher_phone"),
                FieldPanel("publisher_email"),
            ],
            heading="Éditeur",
        ),
        MultiFieldPanel(
            [FieldPanel("director_name"), FieldPanel("director_role")],
            heading="Direction de la publication",
        ),
        MultiFieldPanel(
            [
                FieldPanel("host_name"),
                FieldPanel("host_address"),
                FieldPanel("host_phone"),
                FieldPanel("host_website"),
            ],
            heading="Hébergement",
        ),
        FieldPanel("body"),
    ]
    max_count = 1
    parent_page_types = ["renouveau.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "mentions légales"
        verbose_name_plural = "mentions légales"


class PersonalDataPage(BasePage):
    """« Données personnelles »: the controller, each processing and the visitor's rights."""

    intro = RichTextField("introduction", blank=True, features=LEGAL_RICH_TEXT)
    controller_name = models.CharField("responsable de traitement", max_length=250)
    controller_address = models.TextField("adresse du responsable de traitement")
    dpo_contact = models.TextField(
        "délégué ou déléguée à la protection des données",
        help_text="Comment le joindre : adresse électronique et postale.",
    )
    rights_contact = models.EmailField(
        "adresse pour exercer vos droits", help_text="Accès, rectification, effacement…"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("controller_name"),
                FieldPanel("controller_address"),
                FieldPanel("dpo_contact"),
                FieldPanel("rights_contact"),
            ],
            heading="Responsable de traitement",
        ),
        InlinePanel("processings", heading="Traitements", label="traitement", min_num=1),
    ]
    max_count = 1
    parent_page_types = ["renouveau.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "page des données personnelles"
        verbose_name_plural = "pages des données personnelles"

    def processings_with_retention(self) -> list[tuple[DataProcessing, str]]:
        """Each processing with its retention line: the retention register's (what the purge
        jobs do) when it has an entry of that name, the editor's text otherwise."""
        rows = []
        for processing in self.processings.all():
            entry = entry_for(processing.name)
            rows.append((processing, entry.period if entry else processing.retention))
        return rows


class DataProcessing(Orderable):
    class LegalBasis(models.TextChoices):
        CONSENT = "consentement", "Consentement (RGPD, art. 6.1.a)"
        CONTRACT = "contrat", "Exécution d'un contrat ou de mesures précontractuelles (art. 6.1.b)"
        LEGAL_OBLIGATION = "obligation", "Obligation légale (art. 6.1.c)"
        PUBLIC_INTEREST = "mission", "Mission d'intérêt public (art. 6.1.e)"
        LEGITIMATE_INTEREST = "interet", "Intérêt légitime (art. 6.1.f)"

    page = ParentalKey(PersonalDataPage, on_delete=models.CASCADE, related_name="processings")
    name = models.CharField("traitement", max_length=200, help_text="Par exemple : « Lettre ».")
    purpose = models.TextField("finalité")
    legal_basis = models.CharField("base légale", max_length=20, choices=LegalBasis.choices)
    data = models.TextField("données collectées")
    retention = models.TextField("durée de conservation")
    recipients = models.TextField("destinataires", blank=True)
    processors = models.TextField(
        "sous-traitants", blank=True, help_text="Par exemple : Amazon Web Services (SES, S3)."
    )
    transfers = models.TextField("transferts hors de l'Union européenne", blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("purpose"),
        FieldPanel("legal_basis"),
        FieldPanel("data"),
        FieldPanel("retention"),
        FieldPanel("recipients"),
        FieldPanel("processors"),
        FieldPanel("transfers"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "traitement de données"
        verbose_name_plural = "traitements de données"

    def __str__(self) -> str:
        return self.name


class SitemapPage(BasePage):
    """« Plan du site »: the pages of the site as nested lists (the XML sitemap is for robots)."""

    intro = models.TextField("chapô", blank=True, max_length=600)
    max_depth = models.PositiveSmallIntegerField(
        "niveaux affichés",
        default=2,
        help_text="Nombre de niveaux de pages sous l'accueil (2 : les rubriques et leurs pages).",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("max_depth")]
    max_count = 1
    parent_page_types = ["renouveau.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "plan du site"
        verbose_name_plural = "plans du site"

    def tree(self) -> list[dict]:
        """[{page, children: [...]}] from the site's home page, live and public pages only."""
        home = self.get_site().root_page
        pages = list(
            home.get_descendants()
            .live()
            .public()
            .filter(depth__lte=home.depth + max(1, self.max_depth))
            .order_by("path")
            .specific(defer=True)
        )
        nodes: dict[str, dict] = {}
        roots: list[dict] = []
        for page in pages:
            node = {"page": page, "children": []}
            nodes[page.path] = node
            if page.depth == home.depth + 1:
                roots.append(node)
            elif parent := nodes.get(page.path[: -Page.steplen]):
                parent["children"].append(node)  # under an unpublished page: left out
        return roots

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tree"] = self.tree()
        context["home"] = self.get_site().root_page
        return context


def publisher_for_mail() -> dict[str, str]:
    """Who sends the letter and the alerts, as their footers state it (name, postal address on
    one line, legal notice URL), from the live legal notice page; {} when there is none."""
    notice = (
        LegalNoticePage.objects.live()
        .only("publisher_name", "publisher_address", "url_path")
        .first()
    )
    if notice is None:
        return {}
    address = ", ".join(
        line.strip() for line in notice.publisher_address.splitlines() if line.strip()
    )
    return {
        "name": notice.publisher_name,
        "address": address,
        "legal_url": notice.get_full_url() or "",
    }
