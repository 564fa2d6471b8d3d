"""Template tags shared by every template: navigation, breadcrumbs, French dates."""

from django import template
from django.utils import formats
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    current = context.get("page")
    current_path = getattr(current, "url_path", "") or ""
    items = []
    if site:
        for item in site.root_page.get_children().live().public().in_menu():
            # aria-current: "page" on the page itself, "true" inside its section.
            state = ""
            if current_path == item.url_path:
                state = "page"
            elif current_path.startswith(item.url_path):
                state = "true"
            items.append({"page": item, "current": state})
    return {"items": items, "request": request}


@register.inclusion_tag("includes/breadcrumb.html", takes_context=True)
def breadcrumb(context):
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return {"show": False}
    # The home page (depth 2) is already the first crumb, « Accueil ».
    ancestors = page.get_ancestors().filter(depth__gt=2).only("title", "url_path")
    return {"show": True, "ancestors": list(ancestors), "page": page}


@register.filter(expects_localtime=True)  # aware datetimes in Paris time, as `date` does
def date_fr(value, fmt: str = "j F Y") -> str:
    """'20 juin 2019' (and '1er' for the first day of a month, as French typography has it)."""
    if not value:
        return ""
    text = formats.date_format(value, fmt)
    if fmt.startswith("j ") and value.day == 1:
        text = "1er" + text[1:]
    return text
