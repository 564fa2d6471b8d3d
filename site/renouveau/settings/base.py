"""Settings shared by every environment. Values come from environment variables."""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/renouveau
BASE_DIR = PROJECT_DIR.parent.parent  # repository root


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    # Our apps, in dependency order (the demo content is loaded in this order too).
    "renouveau",
    "cites_pages",
    "documents",
    "newsletter",
    "mailing",
    "webinar_registrations",
    "works",
    "search",
    "opendata",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "corsheaders",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (renouveau/logs.py).
    "renouveau.logs.RequestIdMiddleware",
    # CORS headers on the open data only (CORS_URLS_REGEX), cached answers included.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache: every open data API request counts, cached or not.
    "opendata.middleware.ApiRateLimitMiddleware",
    # Outside the session, CSRF and message middleware, so that it sees the cookies and Vary
    # headers they add (renouveau.page_cache also checks the request, whatever its position);
    # inside SecurityMiddleware, so that cached pages still get the HTTPS redirect and HSTS.
    "renouveau.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "renouveau.urls"
WSGI_APPLICATION = "renouveau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the task worker use the file at the same time.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles "expensive" plans such as the ranked full-text search: ~400 ms
    # of compilation for a query that runs in a few milliseconds. Short web queries never win.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French public site and admin.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_I18N_ENABLED = False
# Wagtail's login form leaves « Password » in English (renouveau/admin_login.py).
WAGTAILADMIN_USER_LOGIN_FORM = "renouveau.admin_login.LoginForm"
# No Gravatar: it would send a hash of each staff address to a third party (and the image
# breaks offline); Wagtail then shows its default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # ASCII URLs: /reunion-publique-a-rouvroy/
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end libraries come from the npm registry (package.json) and are served as static files.
_NODE_MODULES = BASE_DIR / "node_modules"
if (_NODE_MODULES / "leaflet" / "dist").exists():
    STATICFILES_DIRS.append(("vendor/leaflet", _NODE_MODULES / "leaflet" / "dist"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public address of the site: absolute links in e-mails and feeds.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAIL_SITE_NAME = "Renouveau du Bassin Minier"
WAGTAILADMIN_BASE_URL = SITE_URL

# Uploads: an allow-list of extensions, no SVG (it can carry scripts).
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "csv", "txt", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"

WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend tuned for French (search/backend.py, search/README.md).
        "BACKEND": "search.backend",
        # PostgreSQL configuration created by search's migration (french + unaccent).
        "SEARCH_CONFIG": "french_unaccent",
    }
}

# Outbound mail: one path for the whole site (renouveau.mail: one MIME builder, one sender),
# Amazon SES v2 through boto3; Django's own mail (error reports, Wagtail's password resets and
# notifications) goes through the same sender (renouveau.mail.SESBackend).
# boto3 honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SESV2 (moto_server locally).
AWS_REGION = os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "eu-west-3"))
AWS_SES_CONFIGURATION_SET = os.environ.get("AWS_SES_CONFIGURATION_SET") or None
EMAIL_BACKEND = "renouveau.mail.SESBackend"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Renouveau du Bassin Minier <contact@renouveaubassinminier.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where replies to the letter and the cité alerts go: a mailbox people read, not the robot that
# answers document requests sent to the sender's domain (DEPLOY.md). Empty: no Reply-To.
MAILING_REPLY_TO = os.environ.get("MAILING_REPLY_TO", "")

# Background work: Django's task framework (backport). The database backend and its worker
# (`manage.py db_worker`; several workers share the queue with SELECT … SKIP LOCKED on
# PostgreSQL) by default; TASKS_BACKEND=rq switches to Redis/RQ at REDIS_URL
# (`manage.py rqworker --job-class django_tasks_rq.Job default mail`).
TASK_QUEUES = ["default", "mail"]
if os.environ.get("TASKS_BACKEND", "database") == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    _rq_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    RQ_QUEUES = {queue: {"URL": _rq_url} for queue in TASK_QUEUES}
    RQ = {"WORKER_CLASS": "renouveau.rq_worker.ResilientWorker"}  # outlives a Redis restart
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

# Cache: Redis at REDIS_URL when set (shared by every web worker), local memory otherwise.
# Anonymous pages are cached by renouveau.page_cache (PAGE_CACHE_SECONDS, 0 disables it);
# image renditions get their own alias so Wagtail looks them up without a query.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "renouveau.redis_cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": alias,
            "TIMEOUT": 3600,
        }
        for alias in ("default", "renditions")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
        },
    }
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# What many pages share (menu, footer, view restrictions, filter counts…) is cached per content
# generation, so an edit shows at once (renouveau.fragments; 0 disables it). On by default with
# a shared cache only: in local memory, an edit made in another process (a worker publishing on
# schedule, another web worker) would not reach this one's generation.
FRAGMENT_CACHE_SECONDS = int(
    os.environ.get("FRAGMENT_CACHE_SECONDS", "86400" if REDIS_URL else "0")
)

# Security headers shared by every environment (HTTPS-only ones are in production.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail overrides it to SAMEORIGIN on its preview views
# Map tiles: the IGN's Plan IGN v2 from the French public Géoplateforme (no key, made for public
# sites); tile.openstreetmap.org's usage policy forbids heavy use. The cookies page names it.
TILE_URL = os.environ.get(
    "MAP_TILE_URL",
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&FORMAT=image/png"
    "&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
)
TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "Plan IGN © IGN – Géoplateforme")
_TILE_ORIGIN = "/".join(TILE_URL.split("/")[:3]).replace("{s}.", "*.")
CONTENT_SECURITY_POLICY = {
    # The Wagtail admin keeps its own inline scripts; the public site gets a strict policy.
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _TILE_ORIGIN],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Video players, loaded only after the visitor clicks (renouveau/video.py).
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
            "https://www.dailymotion.com",
            "https://geo.dailymotion.com",
        ],
        "frame-ancestors": ["'self'"],  # Wagtail's preview
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# CORS: any site may read the open data (API, catalogue, CSV/JSON/GeoJSON files) from a
# browser, by GET only and without cookies; nothing else gets CORS headers.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(api/.*|observatoire/avancement-cites\.(csv|json)|.*/export-(csv|geojson)/)$"

# Logs: one line per record on stderr with the request id, e-mail addresses redacted; JSON lines
# with LOG_FORMAT=json (production's default). renouveau/logs.py.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "renouveau.logs.RequestIdFilter"}},
    "formatters": {
        "text": {
            "()": "renouveau.logs.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "renouveau.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "botocore": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

WAGTAILIMAGES_IMAGE_MODEL = "renouveau.SiteImage"
WAGTAILDOCS_DOCUMENT_MODEL = "site_documents.LibraryDocument"

# --- Documents and media storage (documents app) ---------------------------------------------
# Two kinds of files, kept apart in every configuration:
# - public media ("default" storage): images, renditions and the frozen images of sent
#   newsletters. Permanent plain URLs: a page or a mail may be read years later.
# - documents ("documents" storage): every library document, private. Public documents are
#   served through Wagtail's document view, on-request ones only through the signed personal
#   link; no URL reaches the files themselves (locally they live outside MEDIA_ROOT).
# S3 (django-storages) with MEDIA_STORAGE=s3 or a bucket name: public media under the `public/`
# prefix of the bucket (a bucket policy makes that prefix readable, DEPLOY.md), documents under
# `private/`, reached through presigned URLs valid a few minutes.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "s3" if AWS_STORAGE_BUCKET_NAME else "local")
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
AWS_S3_REGION_NAME = AWS_REGION
AWS_DEFAULT_ACL = None
AWS_S3_FILE_OVERWRITE = False
AWS_QUERYSTRING_EXPIRE = int(os.environ.get("DOCUMENTS_PRESIGNED_SECONDS", "300"))
# A CDN or custom domain in front of the public prefix (e.g. medias.renouveaubassinminier.fr).
AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"location": "public", "querystring_auth": False},
    }
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Never through the custom domain: presigned URLs are signed for the bucket's host.
        "OPTIONS": {"location": "private", "querystring_auth": True, "custom_domain": None},
    }
else:
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }
DOCUMENTS_LINK_MAX_AGE_DAYS = int(os.environ.get("DOCUMENTS_LINK_MAX_AGE_DAYS", "7"))
DOCUMENTS_LINK_MAX_USES = int(os.environ.get("DOCUMENTS_LINK_MAX_USES", "5"))
DOCUMENTS_STAFF_NOTIFY = env_list("DOCUMENTS_STAFF_NOTIFY")  # addresses told of each request
# SES inbound mail announced over SNS: the topics and buckets the endpoint accepts.
DOCUMENTS_INBOUND_TOPIC_ARNS = env_list("DOCUMENTS_INBOUND_TOPIC_ARNS")
DOCUMENTS_INBOUND_BUCKETS = env_list("DOCUMENTS_INBOUND_BUCKETS", AWS_STORAGE_BUCKET_NAME)
# --- end of documents block -------------------------------------------------------------------

# --- Client address behind reverse proxies ---------------------------------------------------
# Number of proxies of ours in front of gunicorn that append to X-Forwarded-For (a load balancer,
# nginx…). 0 trusts nobody: REMOTE_ADDR is the visitor. Rate limits (django-ratelimit), consent
# proofs and admin login throttling all use renouveau.client_ip.client_ip.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = "renouveau.client_ip.client_ip"

# --- Scheduler (manage.py run_scheduler, renouveau/scheduler.py) -----------------------------
# How often scheduled pages are published (Wagtail's publish_scheduled); tests shorten it.
SCHEDULE_PUBLISH_SECONDS = int(os.environ.get("SCHEDULE_PUBLISH_SECONDS", "60"))
# How often a standby scheduler tries to take the lead, and the leader checks it still has it:
# a killed leader is replaced within this time.
LEADER_POLL_SECONDS = float(os.environ.get("LEADER_POLL_SECONDS", "10"))
# /healthz (renouveau/health.py): how often the scheduler queues the workers' heartbeat task, and
# the age of the oldest ready task beyond which the queue is « late ».
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "60"))
HEALTH_QUEUE_LAG_SECONDS = int(os.environ.get("HEALTH_QUEUE_LAG_SECONDS", "300"))
# Time (Europe/Paris, HH:MM) of the daily alert to the followers of cités (mailing/schedule.py).
MAILING_CITE_ALERTS_AT = os.environ.get("MAILING_CITE_ALERTS_AT", "17:30")

# --- Abuse: inbound mail, automatic mail caps, admin login throttling (issue 12) --------------
# Admin login throttling (django-axes, renouveau.lockout): the pair (username, client IP) is
# locked after AXES_FAILURE_LIMIT wrong passwords in a row, for AXES_COOLOFF_TIME, so the real
# user still logs in from their own address; backstop: a client IP (renouveau.client_ip, through
# TRUSTED_PROXY_COUNT proxies) failing AXES_IP_FAILURE_LIMIT times over any usernames is locked.
# Covers Wagtail's /admin/login/ and /django-admin/. Unlock: « Connexions bloquées » in the
# Wagtail admin (superusers), or `manage.py axes_reset_username <username>`.
INSTALLED_APPS += ["axes"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("renouveau.page_cache.PageCacheMiddleware"), "axes.middleware.AxesMiddleware"
)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "20"))
AXES_HANDLER = "renouveau.lockout.ThrottlingHandler"
AXES_CLIENT_IP_CALLABLE = "renouveau.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "renouveau.lockout.lockout_response"  # French page, templates/renouveau/
# A locked client's further tries neither count nor push the end of the lock back, and the
# backend flags the request itself (so the per-IP backstop answers 429 too).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# Admin password reset (renouveau.password_reset): requests per client IP, and mails per address.
PASSWORD_RESET_RATE_PER_IP = os.environ.get("PASSWORD_RESET_RATE_PER_IP", "5/h")
PASSWORD_RESET_RATE_PER_EMAIL = os.environ.get("PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
# Automatic mail caps (documents sent without a person in the loop): beyond them, requests wait
# for staff. Counted per hour, per sender domain and for the whole site; an address's +tag and
# dotted variants count as one address (renouveau.abuse.canonical_email).
DOCUMENTS_AUTO_MAIL_PER_DOMAIN_PER_HOUR = int(
    os.environ.get("DOCUMENTS_AUTO_MAIL_PER_DOMAIN", "10")
)
DOCUMENTS_AUTO_MAIL_PER_HOUR = int(os.environ.get("DOCUMENTS_AUTO_MAIL_PER_HOUR", "60"))
# Checked before those caps: automatic links one visitor's IP may cause per hour (well under
# the per-domain cap, so that one visitor cannot use up a whole mail domain's).
DOCUMENTS_AUTO_MAIL_PER_IP_PER_HOUR = int(os.environ.get("DOCUMENTS_AUTO_MAIL_PER_IP", "3"))
# Transactional mail (renouveau.mail): attempts for transient SES errors, first backoff delay.
MAIL_SEND_ATTEMPTS = int(os.environ.get("MAIL_SEND_ATTEMPTS", "3"))
MAIL_RETRY_BASE_DELAY = float(os.environ.get("MAIL_RETRY_BASE_DELAY", "0.5"))
# `check --deploy` asks SES whether DEFAULT_FROM_EMAIL is a verified identity (0 = offline build).
CHECK_SES_IDENTITY = env_bool("CHECK_SES_IDENTITY", True)
# --- end of abuse block -----------------------------------------------------------------------

# The apps' own settings and their defaults.
from .app_defaults import *  # noqa: E402, F403
