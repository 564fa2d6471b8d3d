"""The document library: Wagtail documents with the metadata the public library shows."""

from wagtail.documents.models import AbstractDocument, Document


class LibraryDocument(AbstractDocument):
    """Every Wagtail document of the site (WAGTAILDOCS_DOCUMENT_MODEL)."""

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"
