"""`{{ value|typo }}`: French typography (renouveau.typography) on editorial text in templates.

Plain text is escaped first, then typeset; HTML already marked safe (`richtext`, `linebreaksbr`)
is typeset in its text only. The result is safe because typesetting adds no markup and no
< > &. Not for attributes, addresses, form values or machine-read fields (JSON-LD, feeds).
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from ..french import plural_suffix
from ..typography import french_html

register = template.Library()


@register.filter(needs_autoescape=True)
def typo(value, autoescape: bool = True):
    if value is None or value == "":
        return value
    if autoescape and not isinstance(value, SafeData):
        value = conditional_escape(value)
    return mark_safe(french_html(str(value)))  # noqa: S308 (escaped above; only text changed)


@register.filter
def pluralize_fr(value, suffixes: str = "s") -> str:
    """`{{ n|pluralize_fr }}`: Django's `pluralize` with the French rule (0 and 1 singular)."""
    try:
        count = float(len(value) if hasattr(value, "__len__") else value)
    except (TypeError, ValueError):
        return ""
    return plural_suffix(count, suffixes)
