from wagtail.snippets.models import register_snippet

from .viewsets import OperationViewSet

register_snippet(OperationViewSet)
