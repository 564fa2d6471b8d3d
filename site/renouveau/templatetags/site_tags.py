"""Template tags shared by every template: navigation, breadcrumbs, French dates."""

from django import template
from django.db.models import Model
from django.utils import formats
from wagtail.models import Page, Site

from .. import cache_tags, fragments
from ..visibility import private_q, public_live

register = template.Library()


def menu_pages(site: Site, request=None) -> list[Page]:
    """The live, public children of the site's root shown in menus (cached per generation)."""
    return fragments.cached(
        "menu",
        lambda: list(
            public_live(site.root_page.get_children()).in_menu().exclude(private_q(request))
        ),
        request,
        site.pk,
    )


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    current = context.get("page")
    current_path = getattr(current, "url_path", "") or ""
    items = []
    if site:
        for item in menu_pages(site, request):
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
    if page.depth == 3:
        return {"show": True, "ancestors": [], "page": page}
    parent_path = page.path[: -page.steplen]
    ancestors = fragments.cached(
        "breadcrumb",
        lambda: list(page.get_ancestors().filter(depth__gt=2).only("title", "url_path")),
        context.get("request"),
        parent_path,
    )
    return {"show": True, "ancestors": ancestors, "page": page}


@register.filter(expects_localtime=True)  # aware datetimes in Paris time, as `date` does
def date_fr(value, fmt: str = "j F Y") -> str:
    """'20 juin 2019' (and '1er' for the first day of a month, as French typography has it)."""
    if not value:
        return ""
    text = formats.date_format(value, fmt)
    if fmt.startswith("j ") and value.day == 1:
        text = "1er" + text[1:]
    return text


class GenerationCacheNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, name: str, key: list[template.base.FilterExpression]
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.key = key

    def render(self, context) -> str:
        request = context.get("request")
        key = [part.resolve(context, ignore_failures=True) for part in self.key]
        shown = [part for part in key if isinstance(part, Model)]
        if (
            getattr(request, "is_preview", False)
            or any(part is None for part in key)
            or any(part.pk is None for part in shown)
        ):
            # A preview shows drafts; a page never saved, or a misspelt variable, has no key.
            return self.nodelist.render(context)

        def build() -> str:
            # The objects of the key were loaded before the block: it depends on them.
            collector = cache_tags.current()
            if collector is not None:
                tags = (cache_tags.object_tag(type(part), part.pk) for part in shown)
                collector.tags.update(tag for tag in tags if tag)
            return self.nodelist.render(context)

        site = Site.find_for_request(request) if request is not None else None
        return fragments.cached(
            f"html:{self.name}",
            build,
            request,
            site.pk if site else "",
            *(f"{p._meta.label_lower}:{p.pk}" if isinstance(p, Model) else p for p in key),
        )


@register.tag
def generation_cache(parser, token):
    """`{% generation_cache "footer" %}…{% endgeneration_cache %}`: the block's HTML, rendered
    once per site until what it shows changes (renouveau.fragments). Only for what is the same for
    every visitor and every page: nothing of the request or the current page inside.

    `{% generation_cache "city-card" city %}`: once per site and value of the variables that
    follow the name, until what it shows changes: what the block shows must depend on nothing
    else (a card showing a page: the page itself, which a publish of it makes stale; anything
    that changes with the time, too)."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% generation_cache "name" [key …] %}')
    nodelist = parser.parse(("endgeneration_cache",))
    parser.delete_first_token()
    return GenerationCacheNode(
        nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]]
    )
