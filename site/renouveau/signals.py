"""Wagtail content signals → what the cached pages and fragments showing the change depend on.

A publish, unpublish or deletion of a page makes stale (page_cache.content_changed) what
loaded the page, what lists pages of its type, the objects it refers to (a cité shows the news
that name it) and the objects that refer to it (Wagtail's reference index); a snippet or image
save the same for that object. Settings, sites, view restrictions, moves and slug changes
touch every page (menus, URLs, what is private): everything goes (invalidate_page_cache).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from . import cache_tags
from .page_cache import content_changed, invalidate_page_cache

# Pages this deep are the menu's and the programme's index pages: listed on every page.
MENU_DEPTH = 3


def _only_bookkeeping(update_fields) -> bool:
    """Wagtail fills in an image's size and hash the first time it reads the file (while a
    page renders): nothing the public sees changes."""
    return bool(update_fields) and set(update_fields) <= {"file_size", "file_hash"}


def _referred_to(instance: Model) -> set[str]:
    """Mention tags (`m:`) of the objects `instance` refers to: foreign keys, StreamField and
    rich-text references (as Wagtail's reference index reads them) and many-to-many fields. A
    cité's list of the pages naming it depends on its mention tag (fragments.BY_REFERENCE);
    what shows the cité itself does not change."""
    tags = set()
    for content_type_id, object_id, *_paths in ReferenceIndex._extract_references_from_object(
        instance
    ):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        tags.add(cache_tags.mention_tag(model, object_id) if model else None)
    for field in instance._meta.many_to_many:
        for pk in getattr(instance, field.name).values_list("pk", flat=True):
            tags.add(cache_tags.mention_tag(field.related_model, pk))
    return tags - {None}


def _referring_to(instance: Model) -> set[str]:
    """Tags of the objects that refer to `instance`, from Wagtail's reference index."""
    tags = set()
    for content_type_id, object_id in ReferenceIndex.get_references_to(instance).values_list(
        "base_content_type_id", "object_id"
    ):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        tags.add(cache_tags.object_tag(model, object_id) if model else None)
    return tags - {None}


def _remember_listed_state(sender, instance, **_kwargs) -> None:
    """Before a top-level page is saved, note whether it was published and in the menus, so
    that its publish knows whether the lists of every page change (one small query, for these
    pages only). A page is created live (the model's default) before its first publish: only a
    live revision says it was published."""
    if isinstance(instance, Page) and instance.pk and instance.depth <= MENU_DEPTH:
        row = (
            Page.objects.filter(pk=instance.pk)
            .values_list("live", "live_revision_id", "show_in_menus")
            .first()
        )
        if row is not None:
            live, live_revision_id, in_menus = row
            instance._listed_before = (live and live_revision_id is not None, in_menus)


def _top_level_lists_change(page: Page) -> bool:
    """Whether a change of this page adds it to, or removes it from, what lists the top-level
    pages (menu, footer): a first publish, an unpublish, « afficher dans les menus » ticked or
    unticked. A plain re-publish does not: what lists the page loaded it, and depends on it
    through its own tag (a new title reaches the menu that way)."""
    if page.depth > MENU_DEPTH:
        return False
    before = getattr(page, "_listed_before", None)
    return before is None or before != (page.live, page.show_in_menus)


def changed_tags(instance: Model) -> set[str]:
    """What a change of `instance` (a page, snippet or image) makes stale."""
    tags = {cache_tags.object_tag(type(instance), instance.pk)} - {None}
    tags |= {f"t:{table}" for table in cache_tags.tables_of(type(instance))}
    if isinstance(instance, Page) and _top_level_lists_change(instance):
        tags.add(f"t:{cache_tags.PAGE_TABLE}")
    if instance.pk is not None:
        tags |= _referred_to(instance) | _referring_to(instance)
    return tags


def _page_changed(sender, instance: Page, **_kwargs) -> None:
    content_changed(changed_tags(instance.specific_deferred))


def _page_deleted(instance: Page) -> None:
    # The row is gone: its tables and own tag are enough (what referred to it loaded it).
    tags = {cache_tags.object_tag(Page, instance.pk)}
    tags |= {f"t:{table}" for table in cache_tags.tables_of(type(instance))}
    tags.add(f"t:{cache_tags.PAGE_TABLE}")
    content_changed(tags)


def _on_save_or_delete(sender, instance, **kwargs) -> None:
    """Snippets (communes, landlords…), images (credit, focal point) and deleted pages are
    shown on cached pages; settings, view restrictions and sites decide what every page shows
    and what is public. Draft saves of pages do not change what the public sees; nor do
    renditions (made while rendering)."""
    deleted = kwargs.get("signal") is post_delete
    if isinstance(instance, BaseSiteSetting) or sender in (PageViewRestriction, Site):
        invalidate_page_cache()
    elif deleted and isinstance(instance, Page):
        _page_deleted(instance)
    elif sender in get_snippet_models() or (
        sender is get_image_model() and not _only_bookkeeping(kwargs.get("update_fields"))
    ):
        tags = changed_tags(instance)
        content_changed(tags)


def connect() -> None:
    cache_tags.connect()
    page_published.connect(_page_changed, dispatch_uid="page-cache-published")
    page_unpublished.connect(_page_changed, dispatch_uid="page-cache-unpublished")
    post_page_move.connect(invalidate_page_cache, dispatch_uid="page-cache-moved")
    page_slug_changed.connect(invalidate_page_cache, dispatch_uid="page-cache-slug")
    pre_save.connect(_remember_listed_state, dispatch_uid="page-cache-listed-state")
    post_save.connect(_on_save_or_delete, dispatch_uid="page-cache-save")
    post_delete.connect(_on_save_or_delete, dispatch_uid="page-cache-delete")
