"""The one pattern of every public form: `{% load public_forms %}`, then `form|error_title` in the
page title and the includes under templates/includes/forms/ (error summary, field, honeypot)."""

from __future__ import annotations

from django import template
from django.forms import BoundField, Form

register = template.Library()

ERROR_TITLE_PREFIX = "Erreur\u00a0– "


@register.filter
def error_title(form: Form | None) -> str:
    """« Erreur – » before the page title when the form came back with errors (RGAA 11.10)."""
    return ERROR_TITLE_PREFIX if form is not None and getattr(form, "errors", None) else ""


@register.filter
def field_anchor(field: BoundField) -> str:
    """The id the summary links to: the field itself, or the first box of a group of choices
    (those have no element of their own id)."""
    if field.use_fieldset:
        return f"{field.auto_id}_0"
    return field.id_for_label


@register.filter
def error_count(form: Form) -> int:
    return sum(len(errors) for errors in form.errors.values())
