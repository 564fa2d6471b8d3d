"""Post a page's Wagtail admin edit form as the browser does: the form's own inputs as the edit
view renders them, and each StreamField from the state the admin hands its JavaScript
(`data-w-block-arguments-value`: the blocks' values, then their errors).

    form = EditForm.load(client, page)
    form.streams["body"][2]["value"]["alt_text"] = ""  # what the editor changes
    response = form.post(client)
    form = EditForm.from_response(response, page)  # the form as it came back
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from wagtail import blocks
from wagtail.test.utils.form_data import querydict_from_html


def block_post_data(block: blocks.Block, state: Any, prefix: str) -> dict[str, str | list]:
    """The inputs Wagtail's block widgets post for `state` (a block's `get_form_state`)."""
    data: dict[str, str | list] = {}
    if isinstance(block, blocks.StreamBlock | blocks.ListBlock):
        data[f"{prefix}-count"] = str(len(state))
        for index, child in enumerate(state):
            child_prefix = f"{prefix}-{index}"
            data |= {
                f"{child_prefix}-deleted": "",
                f"{child_prefix}-order": str(index),
                f"{child_prefix}-id": child.get("id") or "",
            }
            if isinstance(block, blocks.StreamBlock):
                data[f"{child_prefix}-type"] = child["type"]
                child_block = block.child_blocks[child["type"]]
            else:
                child_block = block.child_block
            data |= block_post_data(child_block, child["value"], f"{child_prefix}-value")
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            data |= block_post_data(child_block, (state or {}).get(name), f"{prefix}-{name}")
    elif isinstance(block, blocks.BooleanBlock):
        if state:
            data[prefix] = "on"
    elif isinstance(state, dict):  # a chooser: {"id": …, "title": …}
        data[prefix] = str(state["id"])
    elif isinstance(state, list):  # a select: its chosen options
        data[prefix] = [str(option) for option in state]
    else:
        data[prefix] = "" if state is None else str(state)
    return data


@dataclass
class EditForm:
    page: Any
    fields: QueryDict  # every input but the StreamFields'
    streams: dict[str, list]  # StreamField name → its blocks' form state
    errors: dict[str, Any]  # StreamField name → the errors handed to the admin's JavaScript

    @classmethod
    def from_response(cls, response: Any, page: Any) -> EditForm:
        html = response.content.decode()
        streams, errors = {}, {}
        soup = BeautifulSoup(html, "html.parser")
        for element in soup.select("form#page-edit-form [data-w-block-arguments-value]"):
            state, error = json.loads(element["data-w-block-arguments-value"])
            streams[element["id"]], errors[element["id"]] = state, error
        return cls(page, querydict_from_html(html, form_id="page-edit-form"), streams, errors)

    @classmethod
    def load(cls, client: Client, page: Any) -> EditForm:
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, response.status_code
        return cls.from_response(response, page)

    def stream_data(self, name: str) -> dict[str, str | list]:
        """What the browser posts for the StreamField `name`."""
        stream_block = type(self.page.specific)._meta.get_field(name).stream_block
        return block_post_data(stream_block, self.streams[name], name)

    def post(self, client: Client, action: str = "") -> Any:
        """Save a draft, or `action` ("action-publish")."""
        data = self.fields.copy()
        for name in self.streams:
            for key, value in self.stream_data(name).items():
                data.setlist(key, value if isinstance(value, list) else [value])
        if action:
            data[action] = action.removeprefix("action-")
        # Every value of each name (a list of ticked boxes): a QueryDict's items() give the last.
        return client.post(
            reverse("wagtailadmin_pages:edit", args=[self.page.pk]), dict(data.lists())
        )


def block_messages(errors: Any, *path: str | int) -> list[str]:
    """The messages the admin shows on one field, found along `path` in the errors handed to
    its JavaScript (block index, child name, list index…)."""
    for step in path:
        errors = (errors or {}).get("blockErrors", {}).get(str(step))
    return list((errors or {}).get("messages", []))


def latest_revision(page):
    return type(page).objects.get(pk=page.pk).get_latest_revision()


def refused_then_saved(
    client,
    page,
    field: str,
    path: tuple,
    change: Callable[[dict], None],
    message: str,
    fix: Callable[[dict], None],
) -> dict:
    """Change block `path[0]` of `field` as an editor would, post the edit form: refused with
    `message` on the field at `path`, nothing lost; then `fix` it: saved with every block.
    Returns the saved block's value."""
    before = latest_revision(page)
    form = EditForm.load(client, page)
    count = len(form.streams[field])
    change(form.streams[field][path[0]]["value"])

    response = form.post(client)
    assert response.status_code == 200, response.status_code
    back = EditForm.from_response(response, page)
    assert message in block_messages(back.errors[field], *path), back.errors[field]
    # Every block came back to the editor, with what they typed; nothing was saved.
    assert len(back.streams[field]) == count
    assert back.stream_data(field) == form.stream_data(field)
    assert latest_revision(page) == before

    fix(back.streams[field][path[0]]["value"])
    response = back.post(client)
    assert response.status_code == 302, EditForm.from_response(response, page).errors
    saved = latest_revision(page).as_object()
    assert latest_revision(page) != before
    assert len(getattr(saved, field)) == count
    return getattr(saved, field)[path[0]].value
