"""The e-mail of an issue shown in a browser: its public web view and the admin's « E-mail »
preview mode, each under a policy that lets the mail's inline styles apply and runs no script
(the site's own policy, `style-src 'self'`, would strip them)."""

from __future__ import annotations

import re
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
DARK_MEDIA = "@media (prefers-color-scheme: dark)"
_IMAGE_SOURCE = re.compile(r'(<img\b[^>]*?)\s(?:src|srcset)="[^"]*"', re.IGNORECASE)


def as_in_dark_mode(html: str) -> str:
    """The mail as a client in dark mode shows it: its dark rules applied unconditionally (a
    frame cannot be told to prefer dark; the site's admin may be light)."""
    return html.replace(DARK_MEDIA, "@media all")


def with_images_blocked(html: str) -> str:
    """The mail as a client that blocks images shows it (the default in many): every image
    without its source, so the browser shows its alt text in the space kept for it."""
    previous = None
    while previous != html:  # an <img> may carry both src and srcset
        previous, html = html, _IMAGE_SOURCE.sub(r"\1", html)
    return html


def preview_variants(html: str) -> list[tuple[str, str, str]]:
    """(key, label, HTML) of each way the preview shows the mail: light or dark, images shown or
    blocked."""
    dark = as_in_dark_mode(html)
    return [
        ("light-on", "clair, images affichées", html),
        ("dark-on", "sombre, images affichées", dark),
        ("light-off", "clair, images bloquées", with_images_blocked(html)),
        ("dark-off", "sombre, images bloquées", with_images_blocked(dark)),
    ]


def email_page(issue: Any) -> HttpResponse:
    """The e-mail as subscribers get it, with the generic unsubscribe page as its link."""
    rendered = render_issue(issue, unsubscribe_url=generic_unsubscribe_url())
    response = HttpResponse(rendered.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = MAIL_CSP
    return response


def email_preview(request: HttpRequest, issue: Any) -> HttpResponse:
    """The admin's « E-mail » mode: the mail in a sandboxed frame, 600 or 375 px wide, light or
    dark, images shown or blocked (switched by CSS alone: the preview runs no script)."""
    rendered = render_issue(issue, unsubscribe_url=generic_unsubscribe_url())
    html = render_to_string(
        PREVIEW_TEMPLATE,
        {
            "rendered": rendered,
            "widths": PREVIEW_WIDTHS,
            "variants": preview_variants(rendered.html),
            "choice_keys": [f"width-{w}" for w in PREVIEW_WIDTHS]
            + ["scheme-light", "scheme-dark", "images-on", "images-off"],
        },
        request=request,
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = PREVIEW_CSP
    return response
