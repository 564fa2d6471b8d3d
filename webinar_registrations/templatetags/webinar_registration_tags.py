from django import template

from ..registrations import registration_open

register = template.Library()


@register.inclusion_tag("webinar_registrations/includes/register_link.html")
def webinar_registration_link(page) -> dict:
    """The « S'inscrire » button of a webinar page, while the site's own form is open."""
    return {"page": page, "open": registration_open(page)}
