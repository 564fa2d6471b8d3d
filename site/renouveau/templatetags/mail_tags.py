"""Template tags of the site's mails (renouveau.mail_layout): `{% mjml %}…{% endmjml %}`
renders its MJML content to HTML; `{% mailtext %}…{% endmailtext %}` typesets a text part
(`{% mailtext wrap %}` also wraps it); `{{ title|la_cite }}` names a cité once (« la cité
Saint-Pierre », not « la cité Cité Saint-Pierre »)."""

from django import template
from django.utils.safestring import mark_safe

from ..mail_layout import la_cite as cite_phrase
from ..mail_layout import layout_context, mjml_to_html, wrap_text
from ..typography import french_text

register = template.Library()


class _RenderNode(template.Node):
    def __init__(self, nodelist, function):
        self.nodelist = nodelist
        self.function = function

    def render(self, context):
        return self.function(self.nodelist.render(context))


@register.tag
def mjml(parser, token):
    nodelist = parser.parse(("endmjml",))
    parser.delete_first_token()
    return _RenderNode(nodelist, lambda source: mark_safe(mjml_to_html(source)))  # noqa: S308


@register.tag
def mailtext(parser, token):
    """French typography on a text part; `{% mailtext wrap %}` also wraps it at 72 columns
    (a digest read in a terminal or a watch); addresses are never touched."""
    wrap = token.split_contents()[1:] == ["wrap"]
    nodelist = parser.parse(("endmailtext",))
    parser.delete_first_token()
    return _RenderNode(nodelist, wrap_text if wrap else french_text)


@register.simple_tag(takes_context=True)
def mail_defaults(context) -> str:
    """What the layout needs and a mail's context may lack: the site's address and name, the
    preheader's spacer, the publisher (legal notice), a title."""
    for key, value in layout_context().items():
        if context.get(key) in (None, ""):
            context[key] = value  # in the current scope: the layout's top level
    if not context.get("subject"):
        context["subject"] = "Renouveau du Bassin Minier"
    return ""


@register.filter
def la_cite(title: str) -> str:
    """« la cité Saint-Pierre » from « Cité Saint-Pierre » (renouveau.mail_layout.la_cite)."""
    return cite_phrase(title)
