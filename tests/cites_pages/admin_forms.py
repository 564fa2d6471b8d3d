"""Post the Wagtail admin's "add page" form, as an editor does (validation as editors see it)."""

from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

STREAM_FIELDS = {
    "citypage": ["gallery", "timeline", "key_figures", "body"],
    "webinarpage": ["description", "speakers", "agenda", "replay", "documents"],
    "casestudypage": ["actions", "key_figures", "contacts", "documents"],
}
RICH_TEXT_FIELDS = {
    "webinarpage": ["transcript"],
    "casestudypage": ["context", "lessons"],
}
INLINES = {
    "citypage": ["phases"],
    "casestudypage": ["budget_lines", "funding_lines"],
}


def add_page(client: Client, parent: Page, model: str, fields: dict, inlines: dict | None = None):
    """POST the add form of `cites_pages.<model>` under `parent` (publish action)."""
    data = {"slug": fields.get("slug", "essai"), "action-publish": "publish"}
    for name in STREAM_FIELDS.get(model, []):
        data[name] = streamfield([])
    for name in RICH_TEXT_FIELDS.get(model, []):
        data[name] = rich_text("")
    for name in INLINES.get(model, []):
        data[name] = inline_formset((inlines or {}).get(name, []))
    data["comments"] = inline_formset([])
    data.update(fields)
    url = reverse("wagtailadmin_pages:add", args=["cites_pages", model, parent.pk])
    return client.post(url, nested_form_data(data))


def form_errors(response) -> dict:
    """Errors of the page form and its inline formsets, as {field: [messages]}."""
    form = response.context["form"]
    errors = {key: list(value) for key, value in form.errors.items()}
    for name, formset in form.formsets.items():
        for index, child in enumerate(formset.forms):
            for key, value in child.errors.items():
                errors[f"{name}-{index}-{key}"] = list(value)
    return errors
