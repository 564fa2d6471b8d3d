"""Staff lists of document requests (wagtail-modeladmin), defined here and only registered in
wagtail_hooks.py, so that moving to Wagtail's ModelViewSet later is a one-file change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import IndexView

from renouveau.admin_permissions import NoCreatePermissionHelper, ReadOnlyPermissionHelper
from renouveau.csv_export import SafeCsvExportMixin
from renouveau.mail import describe_error

from .models import DocumentRequest, InboundMail, LibraryDocument, RequestStatus
from .sending import send_document_link

SEND_URL_NAME = "site_documents_send_document"


class DocumentRequestButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.status != RequestStatus.SENT and self.permission_helper.user_can_edit_obj(
            self.request.user, obj
        ):
            buttons.insert(
                0,
                {
                    "url": reverse(SEND_URL_NAME, args=[quote(obj.pk)]),
                    "label": "Envoyer un document",
                    "classname": "button button-small",
                    "title": f"Envoyer un document à {obj.email}",
                },
            )
        return buttons


class SafeExportIndexView(SafeCsvExportMixin, IndexView):
    """The list's CSV export through the site's one writer (names and subjects are typed by
    the public: formulas defused)."""


class DocumentRequestAdmin(ModelAdmin):
    model = DocumentRequest
    menu_label = "Demandes"
    menu_icon = "mail"
    permission_helper_class = NoCreatePermissionHelper
    button_helper_class = DocumentRequestButtonHelper
    index_view_class = SafeExportIndexView
    inspect_view_enabled = True
    list_display = (
        "created_at",
        "email",
        "document",
        "source",
        "status",
        "refusal_reason",
        "mail_error",
        "mail_error_at",
        "download_count",
    )
    list_filter = ("status", "source", "document", "created_at", "mail_error_at")
    search_fields = ("email", "name", "organisation", "mail_subject")
    list_export = (
        "created_at",
        "email",
        "name",
        "organisation",
        "profile",
        "document",
        "source",
        "status",
        "refusal_reason",
        "mail_error",
        "mail_error_at",
        "newsletter_requested",
        "sent_at",
        "download_count",
        "last_download_at",
    )
    export_filename = "demandes-de-documents"
    form_fields_exclude = (
        "sent_message_id",
        "mail_s3_key",
        "mail_message_id",
        "consent_at",
        "email_key",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")


class RequestCountsAdmin(ModelAdmin):
    """How often each document was requested, sent and downloaded."""

    model = LibraryDocument
    menu_label = "Demandes par document"
    menu_icon = "doc-full"
    permission_helper_class = ReadOnlyPermissionHelper
    index_view_class = SafeExportIndexView
    list_display = ("title", "availability_label", "request_count", "sent_count", "downloads")
    list_filter = ("availability", "kind")
    list_export = ("title", "availability_label", "request_count", "sent_count", "downloads")
    export_filename = "demandes-par-document"
    ordering = ("title",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                request_total=Count("requests"),
                sent_total=Count("requests", filter=Q(requests__status=RequestStatus.SENT)),
                download_total=Sum("requests__download_count"),
            )
        )

    # Counts as text: modeladmin shows a falsy 0 as "-", which would read as "unknown".
    def availability_label(self, obj) -> str:
        return obj.get_availability_display()

    availability_label.short_description = "disponibilité"

    def request_count(self, obj) -> str:
        return str(obj.request_total)

    request_count.short_description = "demandes"

    def sent_count(self, obj) -> str:
        return str(obj.sent_total)

    sent_count.short_description = "liens envoyés"

    def downloads(self, obj) -> str:
        return str(obj.download_total or 0)

    downloads.short_description = "téléchargements"


class InboundMailAdmin(ModelAdmin):
    """Every mail SES received for the site, and what was done with it (read only)."""

    model = InboundMail
    menu_label = "E-mails reçus"
    menu_icon = "mail"
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = ("received_at", "route", "status", "outcome", "processed_at")
    list_filter = ("route", "status", "received_at")
    search_fields = ("ses_message_id", "outcome")


class DocumentRequestsGroup(ModelAdminGroup):
    menu_label = "Documents sur demande"
    menu_icon = "doc-full-inverse"
    menu_order = 310
    items = (DocumentRequestAdmin, RequestCountsAdmin, InboundMailAdmin)


@require_http_methods(["GET", "POST"])
def send_document_view(request, pk: int):
    """Staff queue: one click sends the chosen document's personal link to the requester."""
    document_request = get_object_or_404(DocumentRequest.objects.select_related("document"), pk=pk)
    if not request.user.has_perm("site_documents.change_documentrequest"):
        raise PermissionDenied
    index_url = reverse("site_documents_documentrequest_modeladmin_index")
    if request.method == "POST":
        document = get_object_or_404(LibraryDocument, pk=request.POST.get("document") or 0)
        document_request.document = document
        document_request.refusal_reason = ""
        document_request.save(update_fields=["document", "refusal_reason"])
        try:
            send_document_link(document_request)
        except Exception as exc:
            messages.error(
                request,
                f"L'envoi à {document_request.email} a échoué : {describe_error(exc)}. "
                "Réessayez plus tard ; l'erreur reste visible dans la liste des demandes.",
            )
            return redirect(index_url)
        messages.success(
            request, f"Le lien vers « {document.title} » a été envoyé à {document_request.email}."
        )
        return redirect(index_url)
    documents = LibraryDocument.objects.order_by("title")
    return TemplateResponse(
        request,
        "documents/admin/send_document.html",
        {"document_request": document_request, "documents": documents, "index_url": index_url},
    )


def admin_urls():
    return [path("documents-sur-demande/<int:pk>/envoyer/", send_document_view, name=SEND_URL_NAME)]
