"""Small site-wide views: health check, robots.txt, error pages."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Site
from wagtail.views import serve

from . import fragments
from .health import health_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while this node can serve (database, cache, storage), 503 otherwise: for load
    balancers. The background processes are reported too; `?all=1` makes their lateness a 503
    as well, for monitoring (renouveau/health.py)."""
    status, report = health_report()
    failing = status == "error" or (status == "degraded" and request.GET.get("all") == "1")
    return JsonResponse(report, status=503 if failing else 200)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /documents/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the database may be what failed.
    return render(request, "500.html", status=500, using=None)


def serve_page(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view (wagtail.views.serve) with the request's site and its home page
    (specific) taken from the fragments cache: two queries less on every page. A site's or a
    home page's change bumps the content generation (signals.py)."""
    if fragments.enabled() and not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]

        def build() -> Site | None:
            site = Site._find_for_request(request)
            if site is not None:
                site.root_page.specific  # noqa: B018 - cached on the instance, kept with it
            return site

        request._wagtail_site = fragments.cached(
            "site", build, request, hostname, request.get_port()
        )
    return serve(request, path)
