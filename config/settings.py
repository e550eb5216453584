"""One settings module, driven by environment variables with development defaults.

The defaults point at the project-local PostgreSQL and Redis that
``scripts/services.sh`` starts under ``var/``, whose addresses it records in
``var/local.env``. That file only ever says where those services are: the
development switch ``PANOPTIC_DEV`` (and ``DEBUG`` and the secret key) count only
from the process's real environment, so a checkout that once ran ``make test``
cannot turn a production instance into a development one.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from whitenoise.compress import Compressor

from tracker.middleware import content_security_policy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# The only settings var/local.env may give (real environment variables still win).
LOCAL_SERVICE_SETTINGS = ("DATABASE_URL", "CELERY_BROKER_URL")


def local_services(path):
    """{name: value} of the service addresses recorded in ``path``; anything else is ignored."""
    found = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, _, value = line.partition("=")
            if name.strip() in LOCAL_SERVICE_SETTINGS:
                found[name.strip()] = value.strip()
    return found


for _name, _value in local_services(VAR_DIR / "local.env").items():
    os.environ.setdefault(_name, _value)


def env_secret(name, default=""):
    """A secret from NAME, or from the file named by NAME_FILE."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


# Production is the default. The development switch PANOPTIC_DEV=1 (exported by the
# Makefile's development targets and by the test suite, never read from a file) turns
# DEBUG on and allows the development key; without it the site refuses to start with no
# SECRET_KEY.
DEVELOPMENT = env.bool("PANOPTIC_DEV", default=False)
DEBUG = env.bool("DEBUG", default=DEVELOPMENT)
SECRET_KEY = env_secret("SECRET_KEY", "dev-only-insecure-key-change-me" if DEVELOPMENT else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "SECRET_KEY is not set: give SECRET_KEY (or SECRET_KEY_FILE) in production, "
        "or PANOPTIC_DEV=1 on a development machine"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for tracker.forms.SiteFormRenderer
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "leaflet",
    "simple_history",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "tracker",
    "accounts",
    "moderation",
    "api",
]

MIDDLEWARE = [
    # First, so they see every response last, static files included: no cookies on
    # public pages and the other privacy headers; the Content-Security-Policy.
    "tracker.middleware.PrivacyMiddleware",
    "csp.middleware.CSPMiddleware",
    # One JSON log line per request (no addresses); notes X-Forwarded-For for /healthz.
    "tracker.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Answers a locked-out admin sign-in with 429 (last among those that read the request).
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # An API endpoint answers a query parameter it does not take with a 400 naming it.
    "api.parameters.UnknownParametersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "moderation.context_processors.review_queue",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default="postgis://postgres@/panoptic?host=" + str(VAR_DIR / "pg")
    )
}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# A Unix-socket folder given as ?host=/path is the connection's host.
if "host" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["HOST"] = DATABASES["default"]["OPTIONS"].pop("host")
# No JIT compilation: the site's queries are short, and a misestimated join (a page of a
# search through the export's SQL) made PostgreSQL spend over a second compiling one.
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = f"{_db_options.get('options', '')} -c jit=off".strip()
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A kept connection is tested before each request, so a restarted PostgreSQL
# costs no failed request once it is back.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Lets parallel test runs on one server keep apart (TEST_DATABASE_NAME=test_mine).
if env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("hi", "हिन्दी")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Production's static files: hashed names, compressed by WhiteNoise (config/storage.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Source maps are fetched only by a browser's developer tools: served as they are, not
# compressed (brotli on the API docs' few megabytes of maps was most of collectstatic).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# E-mail: console in development; EMAIL_URL (smtp://user:pass@host:port) in production.
# Only the Celery task tracker.mail_send talks to the server (tracker/mail.py), waiting
# at most EMAIL_TIMEOUT seconds on each exchange.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tracker@localhost")
# The address pages give readers and volunteers who need to reach the people running the
# site (shown where a page says to contact us).
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL)

# Accounts (django-allauth): sign-in by e-mail, confirmed before first use; failed sign-ins,
# sign-ups and password resets are rate-limited per client and per account (counters in the
# cache). A volunteer's public name is their display name; the e-mail is never shown.
AUTHENTICATION_BACKENDS = [
    # First, so a client locked out of the admin's sign-in is refused before any password
    # is checked (it acts on the admin's sign-in only: AXES_ONLY_ADMIN_SITE).
    "accounts.backends.AdminSignInLimit",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "moderation:my-submissions"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "login": "accounts.allauth_forms.LoginForm",
    "signup": "accounts.allauth_forms.SignupForm",
    "add_email": "accounts.allauth_forms.AddEmailForm",
    "change_password": "accounts.allauth_forms.ChangePasswordForm",
    "set_password": "accounts.allauth_forms.SetPasswordForm",
    "reset_password": "accounts.allauth_forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.allauth_forms.ResetPasswordKeyForm",
    "reauthenticate": "accounts.allauth_forms.ReauthenticateForm",
}
# Pages and allauth's messages name people by their public display name, never the
# internal username.
ACCOUNT_USER_DISPLAY = "accounts.adapter.user_display"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Panoptic Tracker] "
ACCOUNT_PREVENT_ENUMERATION = True
# A password reset asked for an address no account has sends nothing (no mail to strangers).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("ACCOUNT_RATE_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env.str("ACCOUNT_RATE_SIGNUP", default="5/h/ip"),
    "reset_password": "10/m/ip,3/5m/key",
    "confirm_email": "1/3m/key",
}
# The admin's sign-in (django-axes; allauth's limits above cover the site's own pages):
# after ADMIN_LOGIN_FAILURES failed attempts from one client address, or for one username,
# further attempts get 429 for ADMIN_LOGIN_COOLOFF_MINUTES, even with the right password.
# Counted in the cache, by tracker.clients.client_address (behind API_NUM_PROXIES).
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_ONLY_ADMIN_SITE = True
AXES_FAILURE_LIMIT = env.int("ADMIN_LOGIN_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ADMIN_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "tracker.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Volunteers' submissions: per account and per client address, "count/seconds".
SUBMISSION_RATE_ACCOUNT = env.str("SUBMISSION_RATE_ACCOUNT", default="30/3600")
SUBMISSION_RATE_CLIENT = env.str("SUBMISSION_RATE_CLIENT", default="60/3600")
SUBMISSION_ATTACHMENT_MAX_BYTES = env.int(
    "SUBMISSION_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024
)
# Readers' disputes ("this is wrong"): per client address (anonymous or not) and per
# account, "count/seconds".
DISPUTE_RATE_CLIENT = env.str("DISPUTE_RATE_CLIENT", default="5/3600")
DISPUTE_RATE_ACCOUNT = env.str("DISPUTE_RATE_ACCOUNT", default="20/3600")
# Four-eyes moderation: how many different moderators approve a submission's same
# revision before it is published.
APPROVALS_REQUIRED = env.int("APPROVALS_REQUIRED", default=1)
if APPROVALS_REQUIRED < 1:
    raise environ.ImproperlyConfigured("APPROVALS_REQUIRED must be 1 or more.")
# Days after which an entry not re-checked against a live source says so, and joins
# the re-verification queue.
VERIFY_AFTER_DAYS = env.int("VERIFY_AFTER_DAYS", default=365)
if VERIFY_AFTER_DAYS < 1:
    raise environ.ImproperlyConfigured("VERIFY_AFTER_DAYS must be 1 or more.")
# How long "I'll check this" keeps a re-verification item for one person.
VERIFICATION_HOLD_DAYS = 7
# Every uploaded file is counted as it streams in: one past SUBMISSION_ATTACHMENT_MAX_BYTES
# is refused by name without being kept (tracker/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "tracker.uploads.UploadSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Moderators' notes and withdrawal reasons are kept whole in the public history.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Privacy: anonymous readers get no cookie; signed-in users get secure ones.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form refused for its CSRF token gets the site's own page (config/errors.py).
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Reverse proxies in front of the site (0: clients connect directly). The API
# throttle counts the client address API_NUM_PROXIES hops back in X-Forwarded-For,
# and X-Forwarded-Proto is believed only behind a proxy (which must set or strip it).
NUM_PROXIES = env.int("API_NUM_PROXIES", default=0)
# allauth reads the client through accounts.adapter (tracker.clients); its own reader agrees.
ALLAUTH_TRUSTED_PROXY_COUNT = NUM_PROXIES
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Monitors may poll over plain HTTP on the loopback or a private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/full)?$"]
    if NUM_PROXIES > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Browser features no page uses are refused (tracker.middleware adds the header).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Map: no tile server unless the operator names one. The default background is drawn by the
# site (state outlines, place names from the packaged gazetteer); MAP_PMTILES names the
# operator's own vector basemap, served by the site itself, and is checked here: a bad
# archive stops the start with one line (tracker/basemap.py).
MAP_TILES_URL = env.str("MAP_TILES_URL", default="")
# The strict Content-Security-Policy (django-csp; tracker/middleware.py), which lets
# images come from that tile server too. Views widen it for themselves alone.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": content_security_policy(MAP_TILES_URL)}
MAP_TILES_ATTRIBUTION = env.str("MAP_TILES_ATTRIBUTION", default="")
MAP_PMTILES = env.str("MAP_PMTILES", default="")
MAP_PMTILES_MAX_BYTES = env.int("MAP_PMTILES_MAX_BYTES", default=32 * 1024**3)
if MAP_PMTILES:
    from tracker.basemap import ArchiveRefused, pmtiles_check

    try:
        pmtiles_check(MAP_PMTILES, max_bytes=MAP_PMTILES_MAX_BYTES)
    except ArchiveRefused as refusal:
        raise environ.ImproperlyConfigured(str(refusal)) from None
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (22.5, 80.0),
    "DEFAULT_ZOOM": 4,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "TILES": [("Map", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})]
    if MAP_TILES_URL
    else [],
    "ATTRIBUTION_PREFIX": "Panoptic Tracker",
    "RESET_VIEW": False,
}

# REST API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A method a view lacks is a 405 (api/permissions.py); anyone may read.
    "DEFAULT_PERMISSION_CLASSES": [
        "api.permissions.MethodAllowed",
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
    },
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.AnonymousThrottle",
        "api.throttles.SignedInThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StrictLimitOffsetPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # A body nested too deeply to parse is a 400, not a server error (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    # Only the submissions endpoint needs a user, and it takes a token: no Basic or
    # session authentication, so a guessed password never costs a hash here.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ThrottledTokenAuthentication"],
}
# Failed token authentications a client may make before it gets 429 (per minute).
API_AUTH_FAILURES = env.str("API_AUTH_FAILURES", default="10/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Panoptic Tracker API",
    "DESCRIPTION": "Public data on facial-recognition and AI-camera deployments in India, "
    "from [the Panoptic Tracker site](/) (downloads and the data dictionary: [/data/](/data/)). "
    "Reading needs no account; sending submissions needs a volunteer's token, made on the "
    "site's profile page.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "tracker.models.vocab.DatePrecision",
        "RTIEventKindEnum": "tracker.models.vocab.RTIEventKind",
        "EntryTypeEnum": "tracker.models.vocab.EntryType",
        "VerificationLevelEnum": "tracker.models.vocab.VerificationLevel",
        "ClaimEnum": "tracker.models.vocab.Claim",
        "SubmissionKindEnum": "moderation.models.SubmissionKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.describe_format_parameter",
        "api.schema.document_proposal_fields",
        "api.schema.public_operations_unlocked",
    ],
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# Celery: JSON only, late acknowledgement, bounded tasks.
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default="redis+socket://" + str(VAR_DIR / "redis/redis.sock")
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
# An unacknowledged task (its worker was killed) is delivered again after this long.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fix-up closes the database connection around every task unless told to
# reuse it; a new PostgreSQL connection per task would cost more than most tasks do.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=100)
CELERY_TIMEZONE = TIME_ZONE
# django-celery-beat's database scheduler; a task that never ran is due at once (config/beat.py).
CELERY_BEAT_SCHEDULER = "config.beat:Scheduler"

# The cache holds, by default in database 1 of the broker's Redis (CACHE_URL, e.g.
# redis://host:6379/3, puts it elsewhere): every rate limit's counters (API throttles,
# failed token authentications, sign-in and sign-up limits, submissions), the figures,
# facets, counts, search rankings and map answers cached per data version, rendered API
# list pages, and the worker's and beat's heartbeats. Every web worker shares it.
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
else:
    _broker = urlsplit(CELERY_BROKER_URL)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"unix://{_broker.path}?db=1"
            if _broker.scheme == "redis+socket"
            else urlunsplit(_broker._replace(path="/1", query="")),
            "KEY_PREFIX": "panoptic",
        }
    }
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "config.cache.RedisCache"  # one client per pool

# What is cached per data version (tracker/catalogue/datacache.py) goes when the
# published data changes; this bounds how long an entry lives even when nothing changes.
DATA_CACHE_SECONDS = env.int("DATA_CACHE_SECONDS", default=3600)

# Rendered API list pages, kept until the data or a source's health changes
# (api/caching.py): their longest life (0 turns the cache off), the largest body
# kept, and the bytes stored per such period (Redis also carries Celery's queues).
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=600)
API_CACHE_MAX_BYTES = env.int("API_CACHE_MAX_BYTES", default=1048576)
API_CACHE_BUDGET_BYTES = env.int("API_CACHE_BUDGET_BYTES", default=64 * 1048576)

# Source checking
SOURCE_CHECK_INTERVAL = timedelta(seconds=env.int("SOURCE_CHECK_INTERVAL", default=6 * 3600))
FETCH_ALLOW_HOSTS = [
    h.strip().lower() for h in env.list("FETCH_ALLOW_HOSTS", default=[]) if h.strip()
]
FETCH_PER_HOST = env.int("FETCH_PER_HOST", default=2)
FETCH_MAX_BYTES = env.int("FETCH_MAX_BYTES", default=5 * 1024 * 1024)
FETCH_CONNECT_TIMEOUT = env.float("FETCH_CONNECT_TIMEOUT", default=10.0)
FETCH_READ_TIMEOUT = env.float("FETCH_READ_TIMEOUT", default=20.0)
FETCH_USER_AGENT = env.str(
    "FETCH_USER_AGENT", default="PanopticTracker-SourceChecker/1.0 (+source health checks)"
)
# How long a check waits for a free per-host slot before its task retries later.
FETCH_SLOT_WAIT = env.float("FETCH_SLOT_WAIT", default=120.0)
# One wall-clock budget per fetch (DNS, connect, TLS, headers, body, redirects): no server
# behaviour makes a fetch last longer. Only these ports are ever dialled.
FETCH_TOTAL_TIMEOUT = env.float("FETCH_TOTAL_TIMEOUT", default=30.0)
FETCH_ALLOWED_PORTS = [int(p) for p in env.list("FETCH_ALLOWED_PORTS", default=["80", "443"])]
# A page that is always up (e.g. your own site); when it cannot be fetched, the checker
# counts itself offline rather than every source broken. Empty: judge by the sweep alone.
FETCH_CANARY_URL = env.str("FETCH_CANARY_URL", default="")

# Evidence archive: every version of a source whose text changed, as WARC files here
# (backed up with the media); the extracted text in the database. The public sees
# archived copies only if ARCHIVE_PUBLIC; each source keeps at most ARCHIVE_MAX_VERSIONS
# versions (the oldest go).
ARCHIVE_ROOT = Path(env.str("ARCHIVE_ROOT", default=str(VAR_DIR / "archive")))
ARCHIVE_PUBLIC = env.bool("ARCHIVE_PUBLIC", default=False)
ARCHIVE_MAX_VERSIONS = env.int("ARCHIVE_MAX_VERSIONS", default=20)

# Logs: one JSON object per line on stderr (LOG_FORMAT=text for plain lines).
# Requests and tasks log one line each, with no addresses, agents or e-mails.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="json"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # panoptic.request and panoptic.task write the one line per request and per task;
    # the frameworks' own lines about them would repeat it.
    "loggers": {
        "django.request": {"level": "ERROR"},
        # django-axes: failed admin sign-ins (addresses masked), not every sign-in.
        "axes": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        # WeasyPrint logs each step of every RTI letter at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# Celery workers and beat log through LOGGING above (config/celery.py).

# Debian 12 ships GDAL 3.6; we never open user-supplied spatial files with it.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# RTI deadlines (tracker/rti/): the next-working-day option for the site's stored
# deadlines (off: the Act's calendar days), an extra holidays file (date,name),
# and the daily chase's appeal reminders: how many days ahead (to the filer and to every
# account holding tracker.follow_rtirequest, which the moderator role grants).
RTI_NEXT_WORKING_DAY = env.bool("RTI_NEXT_WORKING_DAY", default=False)
RTI_HOLIDAYS_FILE = env.str("RTI_HOLIDAYS_FILE", default="")
RTI_REMINDER_DAYS = env.int("RTI_REMINDER_DAYS", default=5)
# PDF letters one client may ask for in an hour (each costs a fraction of a second of CPU).
RTI_LETTERS_PER_HOUR = env.int("RTI_LETTERS_PER_HOUR", default=60)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Embeds (/embed/...): the sites that may frame them (CSP frame-ancestors), comma-separated
# origins such as https://news.example.org; empty: any site. Every other page refuses framing.
EMBED_ALLOWED_ORIGINS = env.list("EMBED_ALLOWED_ORIGINS", default=[])
for _origin in EMBED_ALLOWED_ORIGINS:
    if not re.fullmatch(r"https?://[A-Za-z0-9.*-]+(:[0-9]{1,5})?", _origin):
        raise environ.ImproperlyConfigured(
            f"EMBED_ALLOWED_ORIGINS: {_origin!r} is not an origin like https://news.example.org"
        )
# OpenStreetMap cameras (manage.py import_osm): a camera outside every hotspot's area is
# matched to the nearest hotspot within this many metres.
OSM_MATCH_METRES = env.int("OSM_MATCH_METRES", default=150)

# Who publishes the data: the publisher of the OCDS package and of dataset releases (the
# creator in CITATION.cff and the DataCite record).
DATA_PUBLISHER = env.str("DATA_PUBLISHER", default="Panoptic Tracker")
# Procurement as OCDS (tracker/exports/ocds.py): every ocid starts with this prefix. Register
# one with the Open Contracting Partnership ("ocds-" and six characters) before publishing;
# the default is a placeholder.
OCDS_PREFIX = env.str("OCDS_PREFIX", default="ocds-ptrack")
if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,39}", OCDS_PREFIX):
    raise environ.ImproperlyConfigured(
        "OCDS_PREFIX must be letters, digits and hyphens (at most 40), e.g. ocds-abc123"
    )

# Webhooks (tracker/webhooks/): each delivery is a POST through the guarded fetcher, ended
# after WEBHOOK_TIMEOUT seconds with at most WEBHOOK_MAX_RESPONSE_BYTES of the answer read;
# failed tries are retried after WEBHOOK_RETRY_SECONDS, doubling, up to WEBHOOK_MAX_ATTEMPTS
# tries; delivery logs are kept WEBHOOK_LOG_DAYS days.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
WEBHOOK_MAX_RESPONSE_BYTES = env.int("WEBHOOK_MAX_RESPONSE_BYTES", default=65536)
WEBHOOK_RETRY_SECONDS = env.int("WEBHOOK_RETRY_SECONDS", default=30)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_LOG_DAYS = env.int("WEBHOOK_LOG_DAYS", default=30)

# Dataset releases (tracker/exports/releases.py): where they are kept (backed up with the
# media), and when beat makes one: a crontab line in India time, e.g. "0 3 1 * *" for 03:00
# on the 1st of every month; empty makes none (manage.py release_dataset still does).
RELEASE_ROOT = Path(env.str("RELEASE_ROOT", default=str(VAR_DIR / "releases")))
RELEASE_SCHEDULE = env.str("RELEASE_SCHEDULE", default="").strip()

# Periodic tasks, synced into django-celery-beat's tables when beat starts.
# Celery queues: source checks apart from everything else (e-mail, RTI chasing,
# heartbeats), so each scales on its own workers (scripts/run.sh, README).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "tracker.source_check_group": {"queue": "checks"},
    "tracker.source_check_sweep": {"queue": "checks"},
}
# The queues workers consume (scripts/run.sh, deploy/systemd), each watched by /healthz/full.
WORKER_QUEUES = ["default", "checks"]
# /healthz/full calls a worker or beat heartbeat stale after this many seconds.
HEALTH_HEARTBEAT_MAX_AGE = env.int("HEALTH_HEARTBEAT_MAX_AGE", default=180)

CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {
        "task": "tracker.beat_heartbeat",
        "schedule": timedelta(minutes=1),
        "options": {"expire_seconds": 50},
    },
    # Daily at 06:30 India time (CELERY_TIMEZONE): appeal reminders (and nothing else: a
    # request's state as of today is computed when it is read).
    "rti-chase-deadlines": {
        "task": "tracker.rti_chase_deadlines",
        "schedule": crontab(hour=6, minute=30),
    },
    # A changed holidays file counts open requests' due dates again.
    "rti-calendar-apply": {
        "task": "tracker.rti_calendar_apply",
        "schedule": timedelta(hours=1),
        "options": {"expire_seconds": 3000},
    },
    "source-check-sweep": {"task": "tracker.source_check_sweep", "schedule": SOURCE_CHECK_INTERVAL},
    # Webhook deliveries whose task was lost are sent again; old delivery logs go.
    "webhook-sweep": {
        "task": "tracker.webhook_sweep",
        "schedule": timedelta(minutes=1),
        "options": {"expire_seconds": 50},
    },
}
if RELEASE_SCHEDULE:
    _cron = RELEASE_SCHEDULE.split()
    try:
        if len(_cron) != 5:
            raise ValueError("five fields")
        _release_at = crontab(
            minute=_cron[0],
            hour=_cron[1],
            day_of_month=_cron[2],
            month_of_year=_cron[3],
            day_of_week=_cron[4],
        )
    except ValueError as error:
        raise environ.ImproperlyConfigured(
            f"RELEASE_SCHEDULE must be a crontab line such as '0 3 1 * *' ({error})"
        ) from None
    CELERY_BEAT_SCHEDULE["dataset-release"] = {
        "task": "tracker.dataset_release",
        "schedule": _release_at,
    }
