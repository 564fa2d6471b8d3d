"""Blocks of a newsletter issue's body (the sections of the printed letter N°2 of July 2019).

Each block has a web template (`templates/newsletter/blocks/<name>.html`, used by the web
archive through `{% include_block %}`); the e-mail rendering (MJML + text) is done by
`newsletter.rendering` from the same values.
"""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from renouveau.blocks import CallToActionBlock, CreditedImageBlock, KeyFiguresBlock, QuoteBlock

# Rich text features that survive in an e-mail client (no headings inside an article, no embeds).
EMAIL_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class OptionalCreditedImageBlock(CreditedImageBlock):
    """The site's credited image (alt text + credit enforced), but optional in a section."""

    image = ImageChooserBlock(label="Image", required=False)

    class Meta:
        template = "blocks/image_block.html"


class MastheadBlock(blocks.StructBlock):
    """The letter's banner; its number and month come from the issue itself."""

    tagline = blocks.CharBlock(label="Signature", max_length=100, default="S'engager ensemble")

    class Meta:
        icon = "title"
        label = "Bandeau (numéro et date de la lettre)"
        template = "newsletter/blocks/masthead.html"


class LeadStoryBlock(blocks.StructBlock):
    kicker = blocks.CharBlock(
        label="Surtitre", max_length=120, required=False, help_text="Par exemple : 20 juin 2019"
    )
    title = blocks.CharBlock(label="Titre", max_length=200)
    text = blocks.RichTextBlock(label="Texte", features=EMAIL_RICH_TEXT_FEATURES)
    image = OptionalCreditedImageBlock(label="Image", required=False)
    page = blocks.PageChooserBlock(label="Lien « Lire la suite » vers", required=False)

    class Meta:
        icon = "pick"
        label = "À la une"
        template = "newsletter/blocks/lead_story.html"


class SectionHeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Titre de rubrique", max_length=150)

    class Meta:
        icon = "title"
        label = "Titre de rubrique"
        template = "newsletter/blocks/section_heading.html"


class ArticleBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=200)
    text = blocks.RichTextBlock(label="Texte", features=EMAIL_RICH_TEXT_FEATURES)
    image = OptionalCreditedImageBlock(label="Image", required=False)
    page = blocks.PageChooserBlock(label="Lien vers une page", required=False)
    link_label = blocks.CharBlock(
        label="Libellé du lien",
        max_length=100,
        required=False,
        help_text="Vide : « En savoir plus »",
    )

    class Meta:
        icon = "doc-full"
        label = "Article"
        template = "newsletter/blocks/article.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="Question", max_length=250)
    answer = blocks.RichTextBlock(label="Réponse", features=EMAIL_RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = "Question et réponse"


class QuestionsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=200, required=False)
    items = blocks.ListBlock(QuestionAnswerBlock(), label="Questions", min_num=1)

    class Meta:
        icon = "help"
        label = "Questions et réponses"
        template = "newsletter/blocks/questions.html"


class PageTeaserBlock(blocks.StructBlock):
    """Another page of the site, shown through what every page shares (title, teaser)."""

    page = blocks.PageChooserBlock(label="Page")
    title = blocks.CharBlock(
        label="Titre", max_length=200, required=False, help_text="Vide : le titre de la page"
    )
    text = blocks.TextBlock(label="Texte", required=False, help_text="Vide : l'accroche de la page")
    show_image = blocks.BooleanBlock(
        label="Montrer l'image d'accroche", required=False, default=True
    )
    link_label = blocks.CharBlock(label="Libellé du lien", max_length=100, required=False)

    class Meta:
        icon = "link"
        label = "Page mise en avant"
        template = "newsletter/blocks/page_teaser.html"


class UpcomingWebinarBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label="Page du webinaire", required=False)
    title = blocks.CharBlock(
        label="Titre", max_length=200, required=False, help_text="Vide : le titre de la page"
    )
    date = blocks.DateTimeBlock(label="Date et heure")
    text = blocks.TextBlock(label="Présentation", required=False)
    registration_label = blocks.CharBlock(
        label="Libellé du bouton", max_length=80, default="S'inscrire"
    )
    registration_url = blocks.URLBlock(
        label="Adresse d'inscription", required=False, help_text="Vide : la page du webinaire"
    )

    class Meta:
        icon = "date"
        label = "Prochain webinaire"
        template = "newsletter/blocks/webinar.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("registration_url"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": ["Choisissez la page du webinaire ou une adresse d'inscription."]
                }
            )
        if not value.get("page") and not value.get("title"):
            raise blocks.StructBlockValidationError(
                block_errors={"title": ["Saisissez un titre (aucune page n'est choisie)."]}
            )
        return value


class NewsletterCallToActionBlock(CallToActionBlock):
    class Meta:
        help_text = "Un bouton vers une page du site ou l'adresse d'une demande de document."
        template = "newsletter/blocks/call_to_action.html"


class NewsletterStreamBlock(blocks.StreamBlock):
    masthead = MastheadBlock()
    lead_story = LeadStoryBlock()
    section_heading = SectionHeadingBlock()
    article = ArticleBlock()
    image = CreditedImageBlock()
    quote = QuoteBlock(template="newsletter/blocks/quote.html")
    questions = QuestionsBlock()
    key_figures = KeyFiguresBlock()
    call_to_action = NewsletterCallToActionBlock()
    page_teaser = PageTeaserBlock()
    webinar = UpcomingWebinarBlock()

    class Meta:
        block_counts = {"masthead": {"max_num": 1}}
