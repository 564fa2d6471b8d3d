"""Which sites may show a page in a frame: the partner widgets may be framed by the sites of
PARTNER_FRAME_ANCESTORS (default: any), every other page keeps the site's policy (DENY and
`frame-ancestors 'self'`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def partner_frame(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Lets PARTNER_FRAME_ANCESTORS frame the view's answer (read at each request, so that a
    change of the setting needs no change of code)."""

    @wraps(view)
    def framed(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True  # X-Frame-Options cannot list sites: CSP does
        response._csp_replace = {"frame-ancestors": list(settings.PARTNER_FRAME_ANCESTORS)}
        return response

    return framed
