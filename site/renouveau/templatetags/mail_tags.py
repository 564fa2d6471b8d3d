"""Template tags of the site's mails (renouveau.mail_layout): `{% mjml %}…{% endmjml %}` renders
its MJML content to HTML; `{% mailtext %}…{% endmailtext %}` typesets and wraps a text part;
`{{ title|la_cite }}` names a cité once (« la cité Saint-Pierre », not « la cité Cité
Saint-Pierre »)."""

import re

from django import template
from django.utils.safestring import mark_safe

from ..mail_layout import mjml_to_html, wrap_text

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
    nodelist = parser.parse(("endmailtext",))
    parser.delete_first_token()
    return _RenderNode(nodelist, wrap_text)


_CITE_PREFIX = re.compile(r"^\s*cité\s+", re.IGNORECASE)


@register.filter
def la_cite(title: str) -> str:
    """« la cité Saint-Pierre » from « Cité Saint-Pierre » or « Saint-Pierre »."""
    return "la cité " + _CITE_PREFIX.sub("", str(title))
