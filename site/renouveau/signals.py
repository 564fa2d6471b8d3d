"""Wagtail content signals → page-cache invalidation."""

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from .page_cache import invalidate_page_cache


def _invalidate_on_shown_content_change(sender, instance, **kwargs) -> None:
    """Snippets (communes, landlords…) and site settings appear on cached pages; a deleted
    page may be linked from them. Draft saves of pages do not change what the public sees."""
    if (
        isinstance(instance, BaseSiteSetting)
        or sender in get_snippet_models()
        or (kwargs.get("signal") is post_delete and isinstance(instance, Page))
    ):
        invalidate_page_cache()


def connect() -> None:
    page_published.connect(invalidate_page_cache, dispatch_uid="page-cache-published")
    page_unpublished.connect(invalidate_page_cache, dispatch_uid="page-cache-unpublished")
    post_page_move.connect(invalidate_page_cache, dispatch_uid="page-cache-moved")
    page_slug_changed.connect(invalidate_page_cache, dispatch_uid="page-cache-slug")
    post_save.connect(_invalidate_on_shown_content_change, dispatch_uid="page-cache-save")
    post_delete.connect(_invalidate_on_shown_content_change, dispatch_uid="page-cache-delete")
