"""StreamField blocks shared by every page type (as bakerydemo's BaseStreamBlock)."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .video import parse_video_url

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class CheckedStructBlock(blocks.StructBlock):
    """A StructBlock with checks across its fields (`field_errors`), reported on the field the
    Wagtail 8 way: one ValidationError per child in StructBlockValidationError (a plain string
    there makes the admin answer 500, « 'str' object has no attribute 'messages' », and the
    editor loses the page). The checks' errors join the children's own: all shown at once."""

    def field_errors(self, value: dict) -> dict[str, str]:
        """French messages by child name; `value` holds the children that are valid."""
        return {}

    def clean_child(self, name: str, value):
        return self.child_blocks[name].clean(value)

    def clean(self, value):
        cleaned, errors = {}, {}
        for name, child_value in value.items():
            try:
                cleaned[name] = self.clean_child(name, child_value)
            except ValidationError as error:
                errors[name] = error
        for name, message in self.field_errors(cleaned).items():
            errors.setdefault(name, ValidationError(message))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return self.meta.value_class(self, list(cleaned.items()))


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Titre", max_length=200)
    level = blocks.ChoiceBlock(
        label="Niveau", choices=[("h2", "Titre 2"), ("h3", "Titre 3")], default="h2"
    )

    class Meta:
        icon = "title"
        label = "Intertitre"
        template = "blocks/heading_block.html"


class CreditedImageBlock(CheckedStructBlock):
    """An image always shown with its alternative text and its credit (©)."""

    image = ImageChooserBlock(label="Image")
    alt_text = blocks.CharBlock(
        label="Texte alternatif",
        max_length=250,
        required=False,
        help_text="Décrit l'image pour qui ne la voit pas. Vide : la description de l'image.",
    )
    caption = blocks.CharBlock(label="Légende", required=False, max_length=300)
    credit = blocks.CharBlock(
        label="Crédit",
        max_length=150,
        required=False,
        help_text="Par exemple : « Crédit ville de Vicq ». Vide : le crédit de l'image.",
    )

    class Meta:
        icon = "image"
        label = "Image"
        template = "blocks/image_block.html"

    def field_errors(self, value: dict) -> dict[str, str]:
        image = value.get("image")
        errors = {}
        if image and not (value.get("alt_text") or image.description):
            errors["alt_text"] = (
                "Saisissez un texte alternatif : l’image n’a pas de description dans la "
                "bibliothèque d’images."
            )
        if image and not (value.get("credit") or image.credit):
            errors["credit"] = (
                "Saisissez un crédit : l’image n’en a pas dans la bibliothèque d’images."
            )
        return errors

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        image = value.get("image")
        context["alt"] = value.get("alt_text") or (image.description if image else "")
        context["credit"] = value.get("credit") or (image.credit if image else "")
        return context


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Citation")
    author = blocks.CharBlock(label="Auteur ou autrice", max_length=150)
    role = blocks.CharBlock(label="Fonction", max_length=200, required=False)

    class Meta:
        icon = "openquote"
        label = "Citation"
        template = "blocks/quote_block.html"


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label="Valeur", max_length=30, help_text="Par exemple : 765")
    label = blocks.CharBlock(label="Libellé", max_length=150, help_text="Par exemple : logements")

    class Meta:
        icon = "order"
        label = "Chiffre clé"


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", required=False, max_length=150)
    figures = blocks.ListBlock(KeyFigureBlock(), label="Chiffres", min_num=1)

    class Meta:
        icon = "table"
        label = "Chiffres clés"
        template = "blocks/key_figures_block.html"


class PageOrAddressRequired(CheckedStructBlock):
    """For link blocks with an optional page chooser and an optional URL: one of them is
    required."""

    def field_errors(self, value: dict) -> dict[str, str]:
        if not value.get("page") and not value.get("url"):
            return {"page": "Choisissez une page ou saisissez une adresse web."}
        return {}


class CallToActionBlock(PageOrAddressRequired):
    title = blocks.CharBlock(label="Titre", max_length=150)
    text = blocks.TextBlock(label="Texte", required=False)
    button_label = blocks.CharBlock(label="Libellé du bouton", max_length=80)
    page = blocks.PageChooserBlock(label="Page", required=False)
    url = blocks.URLBlock(label="ou adresse web", required=False)

    class Meta:
        icon = "link"
        label = "Appel à l'action"
        template = "blocks/call_to_action_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Document")
    label = blocks.CharBlock(label="Libellé", required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = "Lien vers un document"
        template = "blocks/document_link_block.html"


class VideoBlock(CheckedStructBlock):
    video = EmbedBlock(label="Adresse de la vidéo", help_text="YouTube, Vimeo, Dailymotion…")
    title = blocks.CharBlock(label="Titre de la vidéo", max_length=200)
    transcript = blocks.TextBlock(label="Transcription", required=False)

    class Meta:
        icon = "media"
        label = "Vidéo"
        template = "blocks/video_block.html"

    def clean_child(self, name: str, value):
        if name != "video":
            return super().clean_child(name, value)
        # Not EmbedBlock's own check, which asks the provider (oEmbed) over the network: the
        # player address is worked out from the URL (renouveau.video), and nothing is fetched
        # from a third party, neither when saving nor when a visitor reads the page.

        url = value.url if value else ""
        if not url:
            raise ValidationError("Saisissez l’adresse de la vidéo.")
        if parse_video_url(url) is None:
            raise ValidationError(
                "Adresse non reconnue : indiquez l’adresse d’une vidéo YouTube, Vimeo ou "
                "Dailymotion (par exemple https://www.youtube.com/watch?v=…)."
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["video"] = parse_video_url(value.get("video").url if value.get("video") else "")
        return context


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="Texte", features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    image = CreditedImageBlock()
    quote = QuoteBlock()
    key_figures = KeyFiguresBlock()
    call_to_action = CallToActionBlock()
    document_link = DocumentLinkBlock()
    video = VideoBlock()

    class Meta:
        block_counts = {}


class LinkBlock(PageOrAddressRequired):
    """A link to a page of the site, or to an external address."""

    label = blocks.CharBlock(label="Libellé", max_length=100, required=False)
    page = blocks.PageChooserBlock(label="Page", required=False)
    url = blocks.URLBlock(label="ou adresse web", required=False)

    class Meta:
        icon = "link"
        label = "Lien"


SOCIAL_NETWORKS = [
    ("linkedin", "LinkedIn"),
    ("facebook", "Facebook"),
    ("x", "X (Twitter)"),
    ("youtube", "YouTube"),
    ("instagram", "Instagram"),
    ("mastodon", "Mastodon"),
]


class SocialLinkValue(blocks.StructValue):
    def network_name(self) -> str:
        """The network as people write it (« LinkedIn », not the stored « linkedin »)."""
        return dict(SOCIAL_NETWORKS).get(self["network"], self["network"])


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(label="Réseau", choices=SOCIAL_NETWORKS)
    url = blocks.URLBlock(label="Adresse")

    class Meta:
        icon = "site"
        label = "Réseau social"
        value_class = SocialLinkValue
