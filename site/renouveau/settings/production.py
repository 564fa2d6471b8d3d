"""Production settings: refuse to start without what a real deployment needs."""

import os
from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, STORAGES, env_bool, env_list

_missing = [
    name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not os.environ.get(name)
]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(_missing)
    )
if os.environ["DATABASE_URL"].startswith("sqlite"):
    raise ImproperlyConfigured(
        "Production settings need a real database (DATABASE_URL postgres://…)."
    )

DEBUG = False
# Web processes refuse to start before the release step has run (renouveau/release.py).
REQUIRE_RELEASE = env_bool("REQUIRE_RELEASE", True)
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# HTTPS everywhere (an A+ on Mozilla's HTTP Observatory scale).
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True

STORAGES = {
    **STORAGES,
    # whitenoise's compressed, hashed files; each URL worked out once per process
    "staticfiles": {"BACKEND": "renouveau.static_files.RememberingStaticFilesStorage"},
}

# Cache and page cache: every process must share them (base.py reads REDIS_URL). A per-process
# cache would keep a published page stale in the other workers for PAGE_CACHE_SECONDS, count rate
# limits per process and let each worker send at the full SES rate: refused unless one process
# is all there is, said explicitly with SINGLE_PROCESS=1.
SINGLE_PROCESS = env_bool("SINGLE_PROCESS")
if not os.environ.get("REDIS_URL") and not SINGLE_PROCESS:
    raise ImproperlyConfigured(
        "Production settings need a shared cache: set REDIS_URL=redis://host:6379/0 "
        "(or SINGLE_PROCESS=1 when one process serves everything)."
    )

# Persistent database connections: a new PostgreSQL connection costs tens of milliseconds per
# request (TLS, authentication). Checked before reuse, so a restarted database is not an error.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# CDN in front of the site: CloudFront invalidations on publish (wagtail.contrib.frontend_cache
# purges the changed pages' URLs through boto3).
if os.environ.get("CLOUDFRONT_DISTRIBUTION_ID"):
    INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]  # noqa: F405
    WAGTAILFRONTENDCACHE = {
        "cloudfront": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": os.environ["CLOUDFRONT_DISTRIBUTION_ID"],
        }
    }

# `make serve-prod` on a laptop has no TLS terminator and no S3: it serves media itself.
SERVE_MEDIA_LOCALLY = os.environ.get("SERVE_MEDIA_LOCALLY", "").lower() in {"1", "true"}

# JSON log lines (one object per line, with the request id) unless LOG_FORMAT=text.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "text"

# Errors reach someone: Sentry when SENTRY_DSN is set (no personal data: no cookies, users or IP
# addresses, e-mail addresses redacted from every event), else a mail to ADMINS
# ("Name <address>, …") through Django's AdminEmailHandler, sent by SES like every mail.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:  # the imports only where Sentry is configured (settings load before the apps)
    import sentry_sdk

    from renouveau.logs import scrub_sentry_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        before_send=scrub_sentry_event,
    )
    ADMINS = []
else:
    ADMINS = getaddresses(env_list("ADMINS"))
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
