"""Admin views: « Ajouter des pages en teasers » of a newsletter issue and « Créer à partir du
numéro précédent » (« Envoyer un test » is the mailing app's: a test is a campaign mail,
mailing/admin/test_send.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .compose import append_teasers, issue_from_previous
from .forms import AddPagesForm
from .models import NewsletterIndexPage, NewsletterIssuePage


def add_pages(request, page_id: int):
    page = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "POST":
        form = AddPagesForm(request.POST)
        if form.is_valid():
            pages = form.cleaned_data["pages"]
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


def create_from_previous(request, page_id: int):
    """GET: what will be copied; POST: the new draft issue, opened in the editor."""
    index = get_object_or_404(NewsletterIndexPage, pk=page_id)
    if not index.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    previous = NewsletterIssuePage.objects.child_of(index).order_by("-number").first()
    if request.method == "POST" and previous is not None:
        issue = issue_from_previous(index, user=request.user)
        messages.success(
            request,
            f"Brouillon « {issue.title} » créé avec les blocs du N°{previous.number} : le "
            "bandeau et les titres de rubrique sont repris, les autres blocs sont à remplir.",
        )
        return redirect("wagtailadmin_pages:edit", issue.pk)
    return TemplateResponse(
        request,
        "newsletter/admin/create_from_previous.html",
        {"index": index, "previous": previous},
        status=200 if previous is not None else 404,
    )
