"""Admin view: « Envoyer un test » of a newsletter issue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django_ratelimit.core import is_ratelimited

from .compose import append_teasers
from .forms import AddPagesForm, SendTestForm
from .models import NewsletterIssuePage
from .testsend import IssueNotReady, can_send_test, send_test_issue

TEST_SENDS_PER_HOUR = "20/h"


def send_test(request, page_id: int):
    page = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not can_send_test(request.user, page):
        raise PermissionDenied
    # The latest draft is what the editor wants to see in a mailbox before publishing.
    issue = page.get_latest_revision_as_object()
    problems: list[str] = []
    if request.method == "POST":
        form = SendTestForm(request.POST)
        # Tests go to addresses typed freely: cap them per editor so a stolen session cannot
        # turn the admin into a mail cannon.
        limited = form.is_valid() and is_ratelimited(
            request,
            group="newsletter-send-test",
            key="user",
            rate=TEST_SENDS_PER_HOUR,
            method="POST",
            increment=True,
        )
        if limited:
            form.add_error(
                None, "Trop de tests envoyés pendant l'heure écoulée : réessayez plus tard."
            )
        if form.is_valid():
            addresses = form.cleaned_data["addresses"]
            try:
                send_test_issue(issue, addresses)
            except IssueNotReady as error:
                problems = error.problems
            else:
                messages.success(
                    request,
                    f"Test de « {issue.title} » envoyé à {', '.join(addresses)}.",
                )
                return redirect("wagtailadmin_pages:edit", page.pk)
    else:
        form = SendTestForm(initial={"addresses": request.user.email})
    return TemplateResponse(
        request,
        "newsletter/admin/send_test.html",
        {
            "page": page,
            "issue": issue,
            "form": form,
            "problems": problems,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
        status=422 if problems else (429 if form.non_field_errors() else 200),
    )


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
