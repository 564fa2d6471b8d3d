"""The e-mail of an issue shown in a browser: its public web view and the admin's « E-mail »
preview mode, each under a policy that lets the mail's inline styles apply and runs no script
(the site's own policy, `style-src 'self'`, would strip them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .rendering import generic_unsubscribe_url, render_issue

# For a mail as a document: inline styles and images; no script, no frame, no form, no font.
MAIL_CSP = "default-src 'none'; img-src 'self' https: http: data:; style-src 'unsafe-inline'"
# The admin preview frames the mail in a sandboxed <iframe srcdoc>, which keeps this policy.
PREVIEW_CSP = MAIL_CSP + "; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
PREVIEW_TEMPLATE = "newsletter/admin/email_preview.html"
PREVIEW_WIDTHS = (600, 375)  # the mail's layout, a phone's


def email_page(issue: Any) -> HttpResponse:
    """The e-mail as subscribers get it, with the generic unsubscribe page as its link."""
    rendered = render_issue(issue, unsubscribe_url=generic_unsubscribe_url())
    response = HttpResponse(rendered.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = MAIL_CSP
    return response


def email_preview(request: HttpRequest, issue: Any) -> HttpResponse:
    """The admin's « E-mail » mode: the mail in a sandboxed frame, 600 or 375 px wide."""
    rendered = render_issue(issue, unsubscribe_url=generic_unsubscribe_url())
    html = render_to_string(
        PREVIEW_TEMPLATE,
        {"rendered": rendered, "widths": PREVIEW_WIDTHS},
        request=request,
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = PREVIEW_CSP
    return response
