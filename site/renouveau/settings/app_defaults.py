"""The apps' own settings, with their defaults (base.py imports them: one place to read what a
setting defaults to). Code reads `settings.X`, never `getattr(settings, "X", default)`; the
tunables an operator may change come from the environment (DEPLOY.md lists them)."""

import os

# --- SNS (renouveau/sns.py): where a signing certificate may come from, and how long it is kept.
SNS_CERT_URL_SCHEMES = ["https"]
SNS_CERT_HOST_PATTERN = r"sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?"
SNS_CERT_CACHE_SECONDS = 24 * 3600
SNS_CERT_FAILURE_CACHE_SECONDS = 60  # a failed fetch is not retried before this
# SNS: messages older than this are replays (seconds).
SNS_MAX_MESSAGE_AGE = 3600

# --- Release (renouveau/release.py): production refuses to serve before the release step.
REQUIRE_RELEASE = False
# `make serve-prod` without S3: the site serves /media/ itself (production.py reads the variable).
SERVE_MEDIA_LOCALLY = False

# --- Form pages (renouveau/form_pages.py): submissions per client IP.
FORM_PAGE_RATE_PER_IP = os.environ.get("FORM_PAGE_RATE_PER_IP", "10/h")

# --- Documents on request: requests kept this many days (documents/retention.py).
DOCUMENTS_REQUEST_RETENTION_DAYS = int(os.environ.get("DOCUMENTS_REQUEST_RETENTION_DAYS", "365"))

# --- Webinar registrations (webinar_registrations/).
# Registrations per client IP and per address (django-ratelimit rates).
WEBINAR_REGISTER_RATE_PER_IP = os.environ.get("WEBINAR_REGISTER_RATE_PER_IP", "10/h")
WEBINAR_REGISTER_RATE_PER_EMAIL = os.environ.get("WEBINAR_REGISTER_RATE_PER_EMAIL", "5/d")
# Confirmation mails per hour, for the whole site and per address domain (as the opt-in mails).
WEBINAR_CONFIRMATIONS_PER_HOUR = int(os.environ.get("WEBINAR_CONFIRMATIONS_PER_HOUR", "200"))
WEBINAR_CONFIRMATIONS_PER_DOMAIN_PER_HOUR = int(
    os.environ.get("WEBINAR_CONFIRMATIONS_PER_DOMAIN_PER_HOUR", "50")
)
# The replay mail goes to registrants of webinars ended within this many days.
WEBINAR_REPLAY_MAIL_DAYS = int(os.environ.get("WEBINAR_REPLAY_MAIL_DAYS", "60"))
# Registrations are anonymised this many days after their webinar.
WEBINAR_REGISTRATION_RETENTION_DAYS = int(
    os.environ.get("WEBINAR_REGISTRATION_RETENTION_DAYS", "365")
)
# Intervals of the scheduler's webinar jobs (seconds).
WEBINAR_REMINDER_SECONDS = int(os.environ.get("WEBINAR_REMINDER_SECONDS", "300"))
WEBINAR_REPLAY_SECONDS = int(os.environ.get("WEBINAR_REPLAY_SECONDS", "900"))

# --- Open data (opendata/): API requests per client IP (django-ratelimit rate), and the sites
# that may show the partner widgets in a frame (CSP frame-ancestors sources, space-separated;
# every other page keeps `frame-ancestors 'self'` and X-Frame-Options DENY).
OPENDATA_API_RATE_PER_IP = os.environ.get("OPENDATA_API_RATE_PER_IP", "120/m")
PARTNER_FRAME_ANCESTORS = os.environ.get("PARTNER_FRAME_ANCESTORS", "*").split()
