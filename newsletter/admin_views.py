"""Admin view: « Ajouter des pages en teasers » of a newsletter issue (« Envoyer un test » is the
mailing app's: a test is a campaign mail, mailing/admin_test_send.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .compose import append_teasers
from .forms import AddPagesForm
from .models import NewsletterIssuePage


def add_pages(request, page_id: int):
    page = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "POST":
        form = AddPagesForm(request.POST)
        if form.is_valid():
            pages = form.cleaned_data["addresses"]
            append_teasers(page, pages, user=request.user)
            messages.success(
                request,
                f"{len(pages)} page(s) ajoutée(s) à la fin de la lettre, en brouillon : "
                "relisez et modifiez les blocs « Page mise en avant ».",
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
    else:
        form = AddPagesForm()
    return TemplateResponse(
        request,
        "newsletter/admin/add_pages.html",
        {
            "page": page,
            "form": form,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
    )
