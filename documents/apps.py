from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class DocumentsConfig(AppConfig):
    name = "documents"
    label = "site_documents"
    verbose_name = "Documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # In ready(), as Django asks: these modules use the models.
        from renouveau.page_cache import invalidate_page_cache

        from .models import LibraryDocument

        # Documents are not pages: Wagtail's publish signals do not cover them, yet the library
        # page (cached for anonymous visitors) lists them.
        uid = "documents-invalidate-page-cache"
        post_save.connect(invalidate_page_cache, sender=LibraryDocument, dispatch_uid=uid)
        post_delete.connect(invalidate_page_cache, sender=LibraryDocument, dispatch_uid=uid)
        m2m_changed.connect(
            invalidate_page_cache, sender=LibraryDocument.related_pages.through, dispatch_uid=uid
        )

        from .alerts import on_related_pages_added  # likewise

        # A document newly linked to a cité is news for the cité's followers.
        m2m_changed.connect(
            on_related_pages_added,
            sender=LibraryDocument.related_pages.through,
            dispatch_uid="documents-follow-alerts",
        )
