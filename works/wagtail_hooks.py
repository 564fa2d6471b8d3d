from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .notes import on_operation_saved
from .viewsets import OperationViewSet

register_snippet(OperationViewSet)
# A works note saved with the operation goes to the cité's followers (works.notes).
hooks.register("after_create_snippet", on_operation_saved)
hooks.register("after_edit_snippet", on_operation_saved)
