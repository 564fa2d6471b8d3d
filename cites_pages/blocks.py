"""StreamField blocks of the programme's pages, built on the site's shared blocks."""

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from renouveau.blocks import (
    RICH_TEXT_FEATURES,
    CheckedStructBlock,
    CreditedImageBlock,
    DocumentLinkBlock,
    KeyFigureBlock,
    QuoteBlock,
    VideoBlock,
)

EVENT_KINDS = [
    ("diagnostic", "Diagnostic partagé"),
    ("balade", "Balade urbaine"),
    ("atelier", "Atelier"),
    ("visite", "Visite"),
    ("cafe", "Café habitants"),
    ("reunion", "Réunion publique"),
    ("chantier", "Étape de chantier"),
    ("inauguration", "Inauguration"),
    ("autre", "Autre"),
]


class TimelineEventBlock(CheckedStructBlock):
    """A dated step of the residents' participation in a cité's renovation."""

    date = blocks.DateBlock(label="Date")
    date_precision = blocks.ChoiceBlock(
        label="Précision de la date",
        choices=[("day", "Jour"), ("month", "Mois"), ("year", "Année")],
        default="day",
        help_text="Quand seul le mois ou l'année est connu, la date s'affiche ainsi.",
    )
    end_date = blocks.DateBlock(
        label="Date de fin", required=False, help_text="Pour un événement sur plusieurs jours."
    )
    kind = blocks.ChoiceBlock(label="Type d'événement", choices=EVENT_KINDS, default="atelier")
    title = blocks.CharBlock(label="Titre", max_length=200)
    text = blocks.RichTextBlock(label="Texte", features=RICH_TEXT_FEATURES, required=False)
    images = blocks.ListBlock(CreditedImageBlock(), label="Photos", required=False, default=[])
    quotes = blocks.ListBlock(QuoteBlock(), label="Citations", required=False, default=[])

    class Meta:
        icon = "date"
        label = "Événement"
        template = "cites_pages/blocks/timeline_event.html"

    def field_errors(self, value: dict) -> dict[str, str]:
        if value.get("end_date") and value.get("date") and value["end_date"] < value["date"]:
            return {"end_date": "La date de fin doit suivre la date de début."}
        return {}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind_label"] = dict(EVENT_KINDS).get(value.get("kind"), "")
        return context


class SpeakerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label="Nom", max_length=150)
    role = blocks.CharBlock(label="Fonction", max_length=200, required=False)
    organisation = SnippetChooserBlock(
        "cites_pages.Organisation", label="Organisation", required=False
    )
    organisation_name = blocks.CharBlock(
        label="ou nom de l'organisation",
        max_length=150,
        required=False,
        help_text="Si l'organisation n'est pas dans le référentiel (une commune, un bailleur…).",
    )

    class Meta:
        icon = "user"
        label = "Intervenant ou intervenante"


class AgendaItemBlock(blocks.StructBlock):
    time = blocks.TimeBlock(label="Heure", required=False)
    title = blocks.CharBlock(label="Séquence", max_length=200)
    description = blocks.TextBlock(label="Détail", required=False)

    class Meta:
        icon = "time"
        label = "Séquence du programme"


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label="Nom ou service", max_length=150)
    role = blocks.CharBlock(label="Fonction", max_length=200, required=False)
    organisation = blocks.CharBlock(label="Organisation", max_length=150, required=False)
    email = blocks.EmailBlock(label="Adresse électronique", required=False)

    class Meta:
        icon = "mail"
        label = "Contact"


GALLERY_BLOCKS = [("image", CreditedImageBlock())]
TIMELINE_BLOCKS = [("event", TimelineEventBlock())]
KEY_FIGURE_BLOCKS = [("figure", KeyFigureBlock())]
SPEAKER_BLOCKS = [("speaker", SpeakerBlock())]
AGENDA_BLOCKS = [("item", AgendaItemBlock())]
DOCUMENT_BLOCKS = [("document", DocumentLinkBlock())]
REPLAY_BLOCKS = [("video", VideoBlock())]
CONTACT_BLOCKS = [("contact", ContactBlock())]
