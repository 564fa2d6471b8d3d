"""Development settings: `make run`."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"

# Mail is printed on the console unless SEND_MAIL_VIA_SES=1 (real AWS, or a moto_server
# given by AWS_ENDPOINT_URL).
if not env_bool("SEND_MAIL_VIA_SES"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Editors developing templates want to see every change: no page cache unless asked for.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
