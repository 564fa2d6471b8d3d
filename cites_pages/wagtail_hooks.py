"""Admin registration and home-page sections; the snippet viewsets live in viewsets.py."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import home
from .viewsets import ReferenceDataGroup

register_snippet(ReferenceDataGroup)

# The home page includes each section's template with the returned dict as `section`.
hooks.register("home_page_sections", home.news_section)
hooks.register("home_page_sections", home.figures_section)
hooks.register("home_page_sections", home.webinars_section)
