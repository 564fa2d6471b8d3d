"""Demo content of the document library: the référentiel (on request), the cahier technique and
the slides of the 22 June 2026 webinar (public), as small generated PDFs. Idempotent."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from fpdf import FPDF
from wagtail.models import Page

from cites_pages.models import CityPage, WebinarPage
from renouveau.demo import child_page
from renouveau.models import HomePage

from .models import Availability, DocumentKind, DocumentLibraryPage, LibraryDocument


def _latin1(text: str) -> str:
    # The PDF core fonts are Latin-1: map the few typographic characters outside it.
    table = {"’": "'", "—": "-", "–": "-", "œ": "oe", "Œ": "OE", "…": "...", "\u202f": " "}
    for char, replacement in table.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


def make_pdf(title: str, subtitle: str, paragraphs: list[str]) -> bytes:
    """A small, real PDF (title page text and paragraphs) standing in for the real document."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(title))
    pdf.set_author("Engagement pour le Renouveau du Bassin Minier")
    pdf.set_lang("fr")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 11)
    pdf.set_text_color(168, 54, 26)
    pdf.cell(0, 8, "RENOUVEAU du Bassin Minier", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(27, 35, 43)
    pdf.set_font("helvetica", "B", 18)
    pdf.multi_cell(0, 9, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "I", 12)
    pdf.multi_cell(0, 7, _latin1(subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("helvetica", "", 11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


THEMES = [
    ("accompagner-le-changement-individuel", "Accompagner le changement individuel"),
    ("recreer-un-collectif-a-lechelle-de-la-cite", "Recréer un collectif à l'échelle de la cité"),
    ("mobiliser-des-ressources-adaptees-a-la-cite", "Mobiliser des ressources adaptées à la cité"),
]


def theme(slug: str, name: str):
    """The cahier technique's theme (a cites_pages snippet), found by slug or name."""
    model = LibraryDocument._meta.get_field("theme").related_model
    found = model.objects.filter(slug=slug).first() or model.objects.filter(name=name).first()
    return found or model.objects.create(slug=slug, name=name)


def webinar_pages() -> list[Page]:
    """The 22 June 2026 webinar page, if the cites_pages demo made it."""
    return list(WebinarPage.objects.filter(title__icontains="accompagnement des habitants"))


def noumea_pages() -> list[Page]:
    """The cité Nouméa (Rouvroy), whose Citéo accompaniment the webinar slides present."""
    return list(CityPage.objects.filter(slug="cite-noumea"))


DOCUMENTS = [
    {
        "title": "Référentiel d'ambitions partagées de rénovation des cités minières ERBM",
        "filename": "referentiel-ambitions-partagees-erbm.pdf",
        "kind": DocumentKind.REFERENTIEL,
        "date": date(2019, 5, 17),
        "availability": Availability.ON_REQUEST,
        "keywords": "référentiel, ambitions partagées, mode d'emploi de la rénovation intégrée",
        "theme": None,
        "description": "Le mode d'emploi de la rénovation intégrée des « cités ERBM » : il traduit "
        "techniquement les ambitions politiques de l'Engagement, en préconisations (étiquette "
        "énergétique C ou BBC rénovation et sa vérification) et en conseils (suivi des loyers, "
        "participation des habitants, insertion, patrimoine). Co-écrit avec les signataires et "
        "les partenaires (bailleurs, AULA, Mission Bassin Minier, CD2E, IREV…) et finalisé par "
        "90 personnes le 17 mai 2019. Disponible sur simple demande.",
        "subtitle": "Mode d'emploi de la rénovation intégrée - version finalisée le 17 mai 2019",
        "paragraphs": [
            "A quoi sert un référentiel d'ambitions partagées ? L'État et les élus ont défini une "
            "ambition forte pour que les rénovations des « cités ERBM » ne soient pas seulement "
            "des réhabilitations de logements, mais s'inscrivent dans un projet de quartier, de "
            "ville, d'avenir pour les habitants.",
            "Préconisations : l'étiquette énergétique attendue est C ou BBC rénovation, et voici "
            "comment la vérifier. Conseils : suivre l'évolution des loyers, communiquer et faire "
            "participer les habitants, créer des opportunités d'insertion, mettre en valeur la "
            "richesse patrimoniale des cités.",
            "Co-écriture des signataires de l'Engagement et des partenaires (bailleurs, AULA, "
            "Mission Bassin Minier, CD2E, IREV). 90 personnes ont participé le 17 mai 2019 au "
            "travail collectif de finalisation.",
        ],
    },
    {
        "title": "Accompagner les habitants au changement lors de la rénovation des cités minières",
        "filename": "cahier-technique-accompagner-les-habitants.pdf",
        "kind": DocumentKind.CAHIER_TECHNIQUE,
        "date": date(2026, 6, 1),
        "availability": Availability.PUBLIC,
        "keywords": "cahier technique, accompagner les habitants, accompagnement",
        "theme": THEMES[0],
        "description": "Cahier technique du Renouveau du Bassin Minier : l'intérêt d'accompagner "
        "les habitants, individuellement et collectivement, pendant la rénovation des cités ; "
        "les bonnes pratiques recensées ; les ressources disponibles pour agir. Préparé avec le "
        "GT Habitat ERBM, un séminaire participatif en octobre 2025 et une relecture partenariale "
        "au premier semestre 2026.",
        "subtitle": "Cahier technique - 2026",
        "paragraphs": [
            "Accompagner le changement individuel : une dimension émotionnelle importante, des "
            "objets d'affection et des parcours de vie, un besoin d'information concrète et "
            "régulière. Avant : consulter, expliquer. Pendant : valoriser la mémoire, un point de "
            "contact. Après : corriger, accompagner la prise en main.",
            "Recréer un collectif à l'échelle de la cité : diagnostic commun, café coin de rue, "
            "maison du projet, personnes-relais, fête de quartier, tiers-lieux.",
            "Mobiliser des ressources adaptées à la cité : humaines, urbaines, et les dispositifs "
            "financiers recensés.",
        ],
    },
    {
        "title": "Webinaire du 22 juin 2026 : l'accompagnement des habitants pendant les "
        "rénovations des cités minières ERBM (diaporama)",
        "filename": "webinaire-2026-06-22-diaporama.pdf",
        "kind": DocumentKind.PRESENTATION,
        "date": date(2026, 6, 22),
        "availability": Availability.PUBLIC,
        "keywords": "webinaire, diaporama, 22 juin 2026",
        "theme": THEMES[1],
        "description": "Les diapositives présentées lors du webinaire du 22 juin 2026 consacré à "
        "l'accompagnement des habitants pendant les rénovations des cités minières ERBM, avec "
        "la présentation du cahier technique.",
        "subtitle": "Webinaire du 22 juin 2026 - diaporama",
        "paragraphs": [
            "Le cahier technique : à quoi sert-il, comment a-t-il été préparé, où le consulter.",
            "Les enjeux abordés : accompagner le changement individuel, recréer un collectif à "
            "l'échelle de la cité, mobiliser des ressources adaptées à la cité.",
        ],
    },
]


def ensure_document(spec: dict) -> LibraryDocument:
    document = LibraryDocument.objects.filter(title=spec["title"]).first()
    if document is None:
        document = LibraryDocument(title=spec["title"])
        pdf = make_pdf(spec["title"], spec["subtitle"], spec["paragraphs"])
        document.file.save(spec["filename"], ContentFile(pdf), save=False)
        document._set_document_file_metadata()  # size and hash, as Wagtail's upload form does
    for field in ("kind", "date", "availability", "keywords", "description"):
        setattr(document, field, spec[field])
    if spec["theme"] is not None and document.theme_id is None:
        document.theme = theme(*spec["theme"])
    document.save()
    return document


def load(home: HomePage) -> None:
    child_page(
        home,
        DocumentLibraryPage,
        slug="ressources",
        title="Ressources",
        show_in_menus=True,
        intro="Référentiels, cahiers techniques, comptes rendus et présentations du programme. "
        "Certains documents sont en téléchargement libre, d'autres sont envoyés sur demande.",
        teaser_text="Les documents du Renouveau du Bassin Minier : en téléchargement libre ou "
        "sur simple demande.",
    )
    webinars = webinar_pages()
    for spec in DOCUMENTS:
        document = ensure_document(spec)
        related = []
        if spec["kind"] in (DocumentKind.PRESENTATION, DocumentKind.CAHIER_TECHNIQUE):
            related += webinars
        if spec["kind"] == DocumentKind.PRESENTATION:
            related += noumea_pages()
        if related:
            document.related_pages.add(*related)
