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

# --- Mailing (mailing/): the tunables of sending, deliveries and the campaign watchdog come from
# the environment (DEPLOY.md); the other settings are set here or in a settings module.
# Messages per second for all workers together; None: SES's MaxSendRate; 0: no limit.
MAILING_MAX_SEND_RATE = (
    float(os.environ["MAILING_MAX_SEND_RATE"]) if os.environ.get("MAILING_MAX_SEND_RATE") else None
)
MAILING_BATCH_SIZE = int(os.environ.get("MAILING_BATCH_SIZE") or 200)  # deliveries per task
MAILING_CONCURRENCY = int(os.environ.get("MAILING_CONCURRENCY") or 4)  # SES calls in flight
MAILING_MAX_ATTEMPTS = int(os.environ.get("MAILING_MAX_ATTEMPTS") or 5)  # tries of a message
MAILING_RETRY_BASE_DELAY = float(os.environ.get("MAILING_RETRY_BASE_DELAY") or 0.5)  # doubled
# Seconds: a claim older than the lease is a dead worker's; how long a sending step waits for a
# lost database; a campaign idle this long is queued again; an account-wide pause is tried
# again; a repeated fault is written once per period; the estimated end stops.
MAILING_CLAIM_LEASE_SECONDS = int(os.environ.get("MAILING_CLAIM_LEASE_SECONDS") or 600)
MAILING_DB_RETRY_SECONDS = int(os.environ.get("MAILING_DB_RETRY_SECONDS") or 300)
MAILING_STALL_SECONDS = int(os.environ.get("MAILING_STALL_SECONDS") or 180)
MAILING_ACCOUNT_RETRY_SECONDS = int(os.environ.get("MAILING_ACCOUNT_RETRY_SECONDS") or 300)
MAILING_EVENT_COALESCE_SECONDS = int(os.environ.get("MAILING_EVENT_COALESCE_SECONDS") or 600)
MAILING_ESTIMATE_STALE_SECONDS = int(os.environ.get("MAILING_ESTIMATE_STALE_SECONDS") or 60)
# A campaign's automatic pause (delivery/health.py): over its last MAILING_HEALTH_WINDOW sends,
# once it made MAILING_HEALTH_MIN_SENT; SES reviews an account at 5 % bounces and 0.1 %
# complaints, the levels that apply again after staff chose to go on; a domain is in cause with
# enough sends and bounces and a rate of its own above MAILING_DOMAIN_BOUNCE_LIMIT.
MAILING_HEALTH_WINDOW = int(os.environ.get("MAILING_HEALTH_WINDOW") or 1000)
MAILING_HEALTH_MIN_SENT = int(os.environ.get("MAILING_HEALTH_MIN_SENT") or 100)
MAILING_BOUNCE_RATE_LIMIT = float(os.environ.get("MAILING_BOUNCE_RATE_LIMIT") or 0.02)
MAILING_COMPLAINT_RATE_LIMIT = float(os.environ.get("MAILING_COMPLAINT_RATE_LIMIT") or 0.0008)
MAILING_OVERRIDE_BOUNCE_LIMIT = float(os.environ.get("MAILING_OVERRIDE_BOUNCE_LIMIT") or 0.05)
MAILING_OVERRIDE_COMPLAINT_LIMIT = float(
    os.environ.get("MAILING_OVERRIDE_COMPLAINT_LIMIT") or 0.001
)
MAILING_DOMAIN_MIN_SENT = int(os.environ.get("MAILING_DOMAIN_MIN_SENT") or 3)
MAILING_DOMAIN_MIN_BOUNCES = int(os.environ.get("MAILING_DOMAIN_MIN_BOUNCES") or 2)
MAILING_DOMAIN_BOUNCE_LIMIT = float(os.environ.get("MAILING_DOMAIN_BOUNCE_LIMIT") or 0.10)
# The SNS topics whose notifications /lettre/ses-notifications/ accepts (none: all refused).
MAILING_SNS_TOPIC_ARNS = [
    arn.strip() for arn in os.environ.get("MAILING_SNS_TOPIC_ARNS", "").split(",") if arn.strip()
]
# Soft bounces within the window that suppress an address (delivery/notifications.py).
MAILING_SOFT_BOUNCE_LIMIT = int(os.environ.get("MAILING_SOFT_BOUNCE_LIMIT") or 3)
MAILING_SOFT_BOUNCE_WINDOW_DAYS = int(os.environ.get("MAILING_SOFT_BOUNCE_WINDOW_DAYS") or 30)
# Consent older than this is asked again once (audience/repermission.py).
MAILING_REPERMISSION_YEARS = int(os.environ.get("MAILING_REPERMISSION_YEARS") or 3)
# Opt-in mails per hour, for the whole site and per address domain (audience/subscriptions.py).
MAILING_CONFIRMATIONS_PER_HOUR = 200
MAILING_CONFIRMATIONS_PER_DOMAIN_PER_HOUR = 50
# Subscribing and following (django-ratelimit rates): per client IP, per address typed.
MAILING_SUBSCRIBE_RATE_PER_IP = "10/h"
MAILING_SUBSCRIBE_RATE_PER_EMAIL = "6/h"
# The mailto: of List-Unsubscribe (empty: the sender), the key of the HMAC kept of unsubscribed
# addresses and of the click counter's per-client hash (empty: SECRET_KEY).
MAILING_UNSUBSCRIBE_MAILTO = ""
MAILING_SUPPRESSION_KEY = ""
CLICK_HASH_KEY = ""
# The weekly digest's day (ISO weekday, 5 = Friday), at MAILING_CITE_ALERTS_AT (base.py).
MAILING_CITE_DIGEST_WEEKDAY = 5
