"""StreamField block definitions packed once per process and language, not once per editor view.

Wagtail's BlockWidget packs the whole block tree of a StreamField (every child block, its
widget, labels and help texts) into JSON for the editor's JavaScript, on every request: the form
class, its fields and their widgets are built anew each time. That JSON depends only on the
block tree, which lives as long as the model field, and on the admin's language (labels are lazy
translations): 30-70 ms of an edit view (issue 32, editors' views). The value shown in the
editor is still packed per request, by `render_with_errors`. (Packed twice, the JSON differs only
by the random Draftail keys of an empty rich text's default, which every new block of a page
shares anyway.)
"""

from django.apps import apps
from django.utils import translation
from django.utils.translation import get_language
from wagtail.admin.forms.models import register_form_field_override
from wagtail.blocks.base import BlockField, BlockWidget
from wagtail.fields import StreamField

# id(block tree) -> (the block tree, kept alive so that its id is not reused;
#                    {language: (JSContext with the definition's media, definition JSON)})
_PACKED: dict[int, tuple[object, dict[str, tuple[object, str]]]] = {}


class SharedDefinitionBlockWidget(BlockWidget):
    def _build_block_json(self) -> None:
        _, by_language = _PACKED.setdefault(id(self.block_def), (self.block_def, {}))
        language = get_language() or ""
        if language not in by_language:
            super()._build_block_json()
            by_language[language] = (self._js_context, self._block_json)
        self._js_context, self._block_json = by_language[language]


class SharedDefinitionBlockField(BlockField):
    def __init__(self, block=None, **kwargs):
        kwargs.setdefault("widget", SharedDefinitionBlockWidget(block))
        super().__init__(block=block, **kwargs)


def pack_all(language: str) -> int:
    """Packs, for `language`, the block trees of every model's StreamFields: the gunicorn
    master's warm-up (warmup.py) does it before the fork, so that no worker's first edit view
    pays for them (the trees are the same objects in the workers). Reads no content."""
    with translation.override(language):
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, StreamField):
                    SharedDefinitionBlockWidget(field.stream_block).block_json  # noqa: B018
    return sum(language in by_language for _, by_language in _PACKED.values())


def register() -> None:
    """Every admin form's StreamFields (pages and snippets) use the shared definitions."""
    register_form_field_override(StreamField, override={"form_class": SharedDefinitionBlockField})
