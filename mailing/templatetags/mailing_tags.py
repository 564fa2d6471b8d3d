"""`{% load mailing_tags %}{% subscription_form %}`: the subscription form on any page."""

from django import template

from ..forms import EMBEDDED_AUTO_ID, SubscriptionForm

register = template.Library()


@register.inclusion_tag("mailing/includes/subscription_form_embed.html", takes_context=True)
def subscription_form(context, title: str = "Recevoir la lettre", heading_level: int = 2) -> dict:
    request = context.get("request")
    source = request.path if request is not None else ""
    return {
        "form": SubscriptionForm(auto_id=EMBEDDED_AUTO_ID, initial={"source": source}),
        "title": title,
        "heading_level": heading_level if heading_level in (2, 3, 4) else 2,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
