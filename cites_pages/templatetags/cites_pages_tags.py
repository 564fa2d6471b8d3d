"""Template filters of the programme's pages."""

from decimal import Decimal

from django import template

from ..models.case_study import format_euros
from ..webinars import webinar_state as state

register = template.Library()


@register.filter
def euros(value) -> str:
    """1234.5 → « 1 234,50 € »."""
    if value in (None, ""):
        return ""
    return format_euros(Decimal(value))


@register.filter
def thousands(value) -> str:
    """23000 → « 23 000 » (French grouping, narrow no-break space)."""
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return ""


@register.filter
def webinar_state(webinar) -> str:
    """« À venir », « Complet », « Replay » or « Replay à venir » (cites_pages.webinars)."""
    return state(webinar)
