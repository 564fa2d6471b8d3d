from django import template

from ..registrations import is_full, registration_open

register = template.Library()


@register.inclusion_tag("webinar_registrations/includes/register_link.html")
def webinar_registration_link(page) -> dict:
    """The « S'inscrire » button of a webinar page, while the site's own form is open; when
    every seat is taken, « Complet » and the waiting list."""
    is_open = registration_open(page)
    return {"page": page, "open": is_open, "full": is_open and is_full(page)}
