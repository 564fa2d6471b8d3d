"""Wagtail content signals → page-cache invalidation."""

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from .page_cache import invalidate_page_cache


def _only_bookkeeping(update_fields) -> bool:
    """Wagtail fills in an image's size and hash the first time it reads the file (while a
    page renders): nothing the public sees changes."""
    return bool(update_fields) and set(update_fields) <= {"file_size", "file_hash"}


def _invalidate_on_shown_content_change(sender, instance, **kwargs) -> None:
    """Snippets (communes, landlords…) and site settings appear on cached pages; a deleted
    page may be linked from them; images (credit, focal point) are shown; view restrictions
    and sites decide what is public and where (cached fragments, renouveau.fragments). Draft
    saves of pages do not change what the public sees; nor do renditions (made while rendering)."""
    from .models import SiteImage

    if (
        isinstance(instance, BaseSiteSetting)
        or sender in get_snippet_models()
        or sender in (PageViewRestriction, Site)
        or (sender is SiteImage and not _only_bookkeeping(kwargs.get("update_fields")))
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
