from django import template

from renouveau.visibility import is_public_page

register = template.Library()


@register.filter
def public_page(page) -> bool:
    """`{% if target|public_page %}`: live, not expired, outside any private section."""
    return is_public_page(page)
