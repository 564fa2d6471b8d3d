"""Admin registration only: the snippet viewsets are defined in cites_pages/viewsets.py."""

from wagtail.snippets.models import register_snippet

from .viewsets import ReferenceDataGroup

register_snippet(ReferenceDataGroup)
