"""A StreamField block showing the subscription form; add it to any page's StreamBlock."""

from wagtail import blocks

from .forms import EMBEDDED_AUTO_ID, SubscriptionForm


class SubscriptionFormBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=150, default="Recevoir la lettre")
    intro = blocks.TextBlock(label="Texte d'introduction", required=False)

    class Meta:
        icon = "mail"
        label = "Formulaire d'abonnement à la lettre"
        template = "mailing/includes/subscription_form_embed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        context.update(
            {
                "form": SubscriptionForm(
                    auto_id=EMBEDDED_AUTO_ID, initial={"source": request.path if request else ""}
                ),
                "title": value.get("title"),
                "intro": value.get("intro"),
                "heading_level": 2,
            }
        )
        return context
