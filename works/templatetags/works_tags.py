"""`{% city_works page %}`: the works section of a cité page (resident summary, phases,
deliveries, notes, before/after photos), rendered once per content generation.

The cité page template loads this library, so cites_pages' Python never imports works."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from renouveau import fragments

from ..figures import dated, resident_summary
from ..models import Operation

register = template.Library()


def render_city_works(page, request=None) -> str:
    # Unordered: the model's ordering (by cité title) would join the cités' table, and that
    # listing would make this section stale at every cité's publish (cache_tags).
    operation = (
        Operation.objects.filter(city_id=page.pk)
        .order_by()
        .prefetch_related("phases", "deliveries", "notes", "photos__before", "photos__after")
        .first()
    )
    if operation is None:
        return ""
    today = timezone.localdate()
    notes = sorted(
        (note for note in operation.notes.all() if note.date <= today),
        key=lambda note: note.date,
        reverse=True,
    )
    return render_to_string(
        "works/includes/city_works.html",
        {
            "operation": operation,
            "summary": resident_summary(operation, today),
            "notes": notes,
            "photos": list(operation.photos.all()),
            "deliveries": sorted(operation.deliveries.all(), key=lambda d: d.month),
        },
        request=request,
    )


@register.simple_tag(takes_context=True)
def city_works(context, page) -> str:
    if not page.pk:  # a preview of an unsaved page
        return ""
    request = context.get("request")
    html = fragments.cached(
        "works-city", dated(lambda: render_city_works(page, request)), request, page.pk
    )
    return mark_safe(html)  # noqa: S308 — our own template's output, escaped when rendered
