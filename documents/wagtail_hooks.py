"""Registration only: the admin lists live in admin_views.py."""

from django.shortcuts import render
from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from .admin_views import DocumentRequestsGroup, admin_urls
from .views import library_page

modeladmin_register(DocumentRequestsGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return admin_urls()


@hooks.register("before_serve_document")
def keep_on_request_documents_private(document, request):
    """Wagtail's /documents/<id>/ URL serves public documents only; on-request ones go through
    the personal link (staff with admin access may still open them)."""
    if document.is_public or request.user.has_perm("wagtailadmin.access_admin"):
        return None
    return render(
        request,
        "documents/on_request_only.html",
        {"document": document, "library": library_page()},
        status=403,
    )
