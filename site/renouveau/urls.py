from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.module_loading import module_has_submodule
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import views
from .password_reset import ThrottledPasswordResetView
from .sitemap import SITEMAPS

handler404 = "renouveau.views.page_not_found"
handler500 = "renouveau.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("django-admin/", admin.site.urls),
    # Before Wagtail's own: limited per IP and per address, the same work whatever the address.
    path(
        "admin/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# Each installed app may add URLs (feeds, forms, webhooks) in an optional `public_urls` module;
# discovering them keeps this ground-floor package free of imports of the apps above it.
for app_config in apps.get_app_configs():
    if module_has_submodule(app_config.module, "public_urls"):
        urlpatterns.append(path("", include(f"{app_config.name}.public_urls")))

if settings.DEBUG or settings.SERVE_MEDIA_LOCALLY:
    # Development and `make serve-prod` only; in production media live on S3 (or behind nginx).
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

# Wagtail's own routes (`/_util/login/` for login-restricted pages, the page-password form)
# before the catch-all page pattern, which would otherwise take them for page paths.
urlpatterns += [pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"]
# Wagtail's page view, with the request's site looked up once per content generation (the same
# URLs: Wagtail's own pattern, still named "wagtail_serve", follows for reversing).
urlpatterns.append(re_path(wagtail_urls.serve_pattern, views.serve_page))
urlpatterns.append(path("", include(wagtail_urls)))
