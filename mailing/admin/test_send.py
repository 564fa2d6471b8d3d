"""Admin view: « Envoyer un test » of a newsletter issue (logic: delivery/test_sends.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django_ratelimit.core import is_ratelimited

from newsletter.checks import IssueChecks, incomplete_blocks, issue_checks
from newsletter.forms import SendTestForm
from newsletter.models import NewsletterIssuePage
from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue
from newsletter.testsend import can_send_test
from renouveau.mail import describe_error

from ..delivery.campaigns import CampaignError
from ..delivery.test_sends import send_test

TEST_SENDS_PER_HOUR = "20/h"


def send_test_view(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not can_send_test(request.user, page):
        raise PermissionDenied
    # The latest draft is what the editor wants to see in a mailbox before publishing.
    issue = page.get_latest_revision_as_object()
    incomplete = incomplete_blocks(issue)  # a draft with blocks to fill cannot be rendered yet
    problems: list[str] = []
    failures: list[str] = []
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
        if incomplete:
            problems = incomplete
        elif form.is_valid():
            addresses = form.cleaned_data["addresses"]
            try:
                result = send_test(issue, addresses, user=request.user)
            except CampaignError as error:
                problems = error.problems
            except Exception as error:  # SES unreachable…: say so, keep the form
                failures = [f"Aucun envoi : {describe_error(error)}"]
            else:
                failures = [f"{address} : {error}" for address, error in result.failed]
                if result.sent:
                    messages.success(
                        request, f"Test de « {issue.title} » envoyé à {', '.join(result.sent)}."
                    )
                if not failures:
                    return redirect("wagtailadmin_pages:edit", page.pk)
    else:
        form = SendTestForm(initial={"addresses": request.user.email})
    if problems:
        status = 422
    elif failures:
        status = 502
    else:
        status = 429 if form.non_field_errors() else 200
    # The same list as the editor's checks panel and the send form: a test shows the warnings
    # too (they do not stop it), and before sending, what would stop it.
    if incomplete:
        checks = IssueChecks(problems=incomplete, warnings=[])
    else:
        rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER, previews=True)
        checks = issue_checks(issue, rendered, test_send=True)
    return TemplateResponse(
        request,
        "newsletter/admin/send_test.html",
        {
            "page": page,
            "issue": issue,
            "form": form,
            "problems": problems,
            "checks": checks,
            "failures": failures,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
        status=status,
    )
