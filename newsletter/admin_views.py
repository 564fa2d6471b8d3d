"""Admin view: « Envoyer un test » of a newsletter issue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .forms import SendTestForm
from .models import NewsletterIssuePage
from .testsend import IssueNotReady, can_send_test, send_test_issue


def send_test(request, page_id: int):
    page = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not can_send_test(request.user, page):
        raise PermissionDenied
    # The latest draft is what the editor wants to see in a mailbox before publishing.
    issue = page.get_latest_revision_as_object()
    problems: list[str] = []
    if request.method == "POST":
        form = SendTestForm(request.POST)
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
        status=422 if problems else 200,
    )
