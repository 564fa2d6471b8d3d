"""Test settings: fast, and mail goes through SES to the moto_server the tests start."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The page cache outlives each test's database rollback: it is switched on only by the tests
# that are about it.
PAGE_CACHE_SECONDS = 0
FRAGMENT_CACHE_SECONDS = 0  # likewise (renouveau.fragments)
STORAGES = {
    **STORAGES,  # noqa: F405 - "default" and "documents" as configured (local unless MEDIA_STORAGE)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = SITE_URL  # noqa: F405

# A file database (not :memory:) so that worker and server subprocesses started by the tests see
# the same data; one file per test run so that parallel runs do not collide.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"renouveau-test-{os.getpid()}.sqlite3")
    }
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"renouveau-test-media-{os.getpid()}"
PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / f"renouveau-test-private-{os.getpid()}"
if STORAGES["documents"]["BACKEND"].endswith("FileSystemStorage"):  # noqa: F405
    STORAGES["documents"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
# Static files straight from the finders, as in development (no collectstatic in tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
