"""Partnerpost settings: one module, every deployment knob an environment variable.

The README lists every variable. In production (PARTNERPOST_ENV=production) the
program refuses to start on an insecure default and says which one.
"""

from datetime import timedelta as _timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from partnerpost.lib.config import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_email_url,
    production_problems,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PARTNERPOST_VAR_DIR") or BASE_DIR / "var")

try:
    ENVIRONMENT = env_str("PARTNERPOST_ENV", "development").lower()
    if ENVIRONMENT not in {"development", "production", "test"}:
        raise ConfigError(
            f"PARTNERPOST_ENV must be development, production or test, not {ENVIRONMENT!r}"
        )
    PRODUCTION = ENVIRONMENT == "production"

    DEBUG = env_bool("DEBUG", default=not PRODUCTION)
    SECRET_KEY = env_str("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver")

    if PRODUCTION:
        problems = production_problems(
            secret_key=SECRET_KEY, debug=DEBUG, allowed_hosts=ALLOWED_HOSTS
        )
        if problems:
            raise ConfigError(
                "Partnerpost will not start in production mode:\n  - " + "\n  - ".join(problems)
            )
    elif not SECRET_KEY:
        SECRET_KEY = "dev-insecure-key-only-for-local-development-0123456789"

    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'partnerpost.sqlite3'}",
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        )
    }
    EMAIL_SETTINGS = parse_email_url(env_str("EMAIL_URL") or ("smtp://localhost:25" if PRODUCTION else "outbox:"))
    SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)
    # Background tasks (django-tasks): "database" keeps them in a table that `partnerpost tasks worker`
    # works through; "immediate" runs each one inline, where it is queued (tests, quick experiments).
    TASKS_BACKEND = (env_str("TASKS_BACKEND") or "database").lower()
    _task_backends = {
        "database": "django_tasks_db.DatabaseBackend",
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    }
    if TASKS_BACKEND not in _task_backends:
        raise ConfigError(f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}")
    TASKS = {"default": {"BACKEND": _task_backends[TASKS_BACKEND], "QUEUES": ["default"]}}
    # Finished task results are kept this many days (`partnerpost tasks list` shows them), then pruned.
    TASKS_KEEP_DAYS = env_int("TASKS_KEEP_DAYS", 14)
except ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from None

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

globals().update(EMAIL_SETTINGS)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Partnerpost <newsletter@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The public address of the site, used in emails and anywhere an absolute link is needed. Without SITE_URL it
# follows PORT (the port `make run` and `partnerpost serve` listen on), so `PORT=8080 make run` links to :8080.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "UN Public Administration Network")
# Without SITE_TAGLINE, the default line is translated into the reader's language.
SITE_TAGLINE = env_str("SITE_TAGLINE") or _("News, events and publications from the network's partner institutions")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "partnerpost.network",
    "partnerpost.content",
    "partnerpost.editions",
    "partnerpost.audience",
    "partnerpost.registration",
    "partnerpost.discovery",
    "partnerpost.mailing",
    "partnerpost.importer",
    "partnerpost.calls",
    "partnerpost.api",
    "partnerpost.portal",
    "partnerpost.tasks",
    "partnerpost.ops",
]

MIDDLEWARE = [
    # first: the request id, metrics and access-log line cover everything below (partnerpost/ops)
    "partnerpost.ops.middleware.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "partnerpost.portal.middleware.ContentSecurityPolicyMiddleware",
    "partnerpost.api.middleware.ApiCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "partnerpost.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "partnerpost.network.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, as django-axes asks: it turns a locked account's sign-in into the lockout page
    "axes.middleware.AxesMiddleware",
]

# Sign-in: django-axes counts failed passwords per account and locks the account for a while;
# the sign-in form also counts posts per client address. See README, "Signing in".
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = _timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "partnerpost.network.signin.locked"
AXES_CLIENT_IP_CALLABLE = "partnerpost.network.ratelimit.client_ip"
AXES_VERBOSE = False
# Accounts are locked per user name only: locking a whole address would lock out every colleague
# behind an office's shared address. Addresses are throttled by SIGNIN_RATE instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
SIGNIN_RATE = env_int("SIGNIN_RATE", 60)  # sign-in posts per client address per 10 minutes; 0 for no limit
OTP_TOTP_ISSUER = SITE_NAME
# Secretariat editors must use two-factor sign-in before the workspace opens to them.
REQUIRE_EDITOR_2FA = env_bool("REQUIRE_EDITOR_2FA", PRODUCTION)

ROOT_URLCONF = "partnerpost.urls"
WSGI_APPLICATION = "partnerpost.wsgi.application"
AUTH_USER_MODEL = "network.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:after_sign_in"  # the workspace, a reviewer's page or home, by who signs in
LOGOUT_REDIRECT_URL = "portal:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnerpost.portal.context_processors.site",
                "partnerpost.portal.context_processors.languages",
                "partnerpost.api.context_processors.api_tokens",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "partnerpost" / "locale"]
#: Number and date formats that amend Django's per language (partnerpost/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["partnerpost.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
# Uploads: on the file system (MEDIA_ROOT, default), or MEDIA_STORAGE=s3 for S3-compatible object storage
# through django-storages and boto3.
MEDIA_STORAGE = (env_str("MEDIA_STORAGE") or "filesystem").lower()
if MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if not env_str("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET (and usually S3_ENDPOINT_URL, "
                                   "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)")
    _media_storage = {
        # S3Storage whose links are the site's /media/ addresses, so every file passes the media view's checks.
        "BACKEND": "partnerpost.ops.storage.CheckedS3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("S3_REGION") or None,
            # Files are served through Partnerpost's checks (portal/media.py), never by public bucket links.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)
# Uploads are served by Django (partnerpost.portal.media) in every mode: files of public items may be kept
# by browsers and proxies this long; the others are never kept. MEDIA_ACCEL_REDIRECT (e.g. /protected-media/)
# hands the bytes to the front web server with X-Accel-Redirect after the checks.
MEDIA_CACHE_SECONDS = env_int("MEDIA_CACHE_SECONDS", 600)
# Calls for inputs: how long a signed "continue your answers" link works, and the virus scan of attached
# files: empty (no scan), a dotted path to a callable `scan(file) -> None | reason`, or "cmd:" and a
# command line that gets the file's path appended (exit 0 clean, 1 infected), e.g. "cmd:clamdscan --no-summary".
CALLS_LINK_DAYS = env_int("CALLS_LINK_DAYS", 14)
CALLS_VIRUS_SCAN = env_str("CALLS_VIRUS_SCAN")
MEDIA_ACCEL_REDIRECT = env_str("MEDIA_ACCEL_REDIRECT")
# Newsletter import: the largest file and the most PDF pages one import may have.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 25) * 1024 * 1024
IMPORT_MAX_PAGES = env_int("IMPORT_MAX_PAGES", 300)
# Files larger than this are analysed by the task worker, with a status page, instead of inside the request.
IMPORT_BACKGROUND_BYTES = env_int("IMPORT_BACKGROUND_MB", 1) * 1024 * 1024
# The most a PDF's compressed page content may unpack to (a small file can hold a "zip bomb").
IMPORT_MAX_INFLATED_BYTES = env_int("IMPORT_MAX_INFLATED_MB", 32) * 1024 * 1024
# Partners' feeds and newsletters fetched from an address (`partnerpost feeds poll`, `import-newsletter URL`):
# the most a response may hold, how long one fetch may take in all, how often the task worker polls, and whether
# addresses on private networks (127.0.0.1, 10.x, 192.168.x, ...) may be fetched at all. Off by default: a feed
# address typed by a partner must not reach the machines behind the server.
FETCH_MAX_BYTES = env_int("FETCH_MAX_MB", 5) * 1024 * 1024
FETCH_TIMEOUT_SECONDS = env_int("FETCH_TIMEOUT_SECONDS", 15)
FETCH_ALLOW_PRIVATE = env_bool("FETCH_ALLOW_PRIVATE", False)
FEEDS_POLL_MINUTES = env_int("FEEDS_POLL_MINUTES", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Health checks and Prometheus speak plain HTTP to the web process itself, not through the proxy.
    SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)

# Logs go to standard error. LOG_FORMAT=json writes one JSON object per line (time, level, logger, message,
# request_id and the request's fields); every line written while a request is handled carries its id.
# At INFO (production's default) each request writes one line (logger partnerpost.requests).
LOG_FORMAT = (env_str("LOG_FORMAT") or "text").lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "partnerpost.ops.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "partnerpost.ops.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
}

# /metrics (Prometheus) answers callers from these networks, or with `Authorization: Bearer METRICS_TOKEN`.
# Behind a reverse proxy the caller is read as API_TRUSTED_PROXIES says (see docs/operations.md).
METRICS_TOKEN = env_str("METRICS_TOKEN")
try:
    import ipaddress as _ipaddress

    METRICS_ALLOWED_NETWORKS = [
        _ipaddress.ip_network(value, strict=False)
        for value in env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")
    ]
except ValueError as _exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {_exc}") from None

# Subscribers: check that an address's domain can receive mail (needs DNS), and how many
# permanent delivery failures mark a subscriber bounced.
EMAIL_CHECK_DELIVERABILITY = env_bool("EMAIL_CHECK_DELIVERABILITY", False)
BOUNCE_LIMIT = env_int("BOUNCE_LIMIT", 2)
# Subscribe-form posts allowed per IP address per hour (needs a shared cache with several processes).
SUBSCRIBE_RATE = env_int("SUBSCRIBE_RATE", 10)

# The cache holds rate-limit counters, kept pages and totals, and cached sessions. One process: memory.
# Several processes or machines: CACHE_URL=redis://host:6379/0, shared by all of them. If Redis stops
# answering, each process falls back to its own memory cache with a warning in the log, and sessions to the
# database alone (partnerpost/ops/cache.py); nothing answers 500 because of it.
_cache_url = env_str("CACHE_URL")
if _cache_url and not _cache_url.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"CACHE_URL must start with redis:// or rediss://, not {_cache_url.split(':')[0]!r}")
CACHES = {
    "default": (
        {"BACKEND": "partnerpost.ops.cache.FallbackRedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions live in the database, which every node shares; with Redis they are also kept there for reads.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if _cache_url else "django.contrib.sessions.backends.db"

# With the memory cache (one per process), the content version that makes kept pages stale lives in this
# file, which every process of the machine reads (see network/paging.py). Unused with a shared cache.
CONTENT_VERSION_FILE = Path(env_str("CONTENT_VERSION_FILE") or VAR_DIR / "content-version")

# Sending editions: SMTP connections per worker, messages per second (0: no limit), rows claimed
# at a time, how long a claim holds, retries of temporary failures and their first delay.
MAILING_CONNECTIONS = env_int("MAILING_CONNECTIONS", 4)
MAILING_RATE = env_int("MAILING_RATE", 0)
MAILING_BATCH = env_int("MAILING_BATCH", 50)
MAILING_LEASE_SECONDS = env_int("MAILING_LEASE_SECONDS", 300)
MAILING_MAX_ATTEMPTS = env_int("MAILING_MAX_ATTEMPTS", 5)
MAILING_RETRY_SECONDS = env_int("MAILING_RETRY_SECONDS", 60)
# The circuit breaker: when the relay is unreachable or answers 4xx to everything, a worker waits
# this long, doubling each time it is still down, up to the cap; no recipient's attempt is spent.
MAILING_BREAKER_SECONDS = env_int("MAILING_BREAKER_SECONDS", 5)
MAILING_BREAKER_MAX_SECONDS = env_int("MAILING_BREAKER_MAX_SECONDS", 300)
# The bounce mailbox (defaults to the From address). Each newsletter's envelope sender is this address
# with "+DELIVERY-SIGNATURE" after its local part (VERP, mailing/verp.py), read back by `partnerpost bounces read`.
MAILING_BOUNCE_ADDRESS = env_str("MAILING_BOUNCE_ADDRESS")

# Items per page in the public archive.
ARCHIVE_PAGE_SIZE = env_int("ARCHIVE_PAGE_SIZE", 20)

# The JSON API (/api/). Rate limits count requests per window of API_RATE_WINDOW seconds:
# reads per client address, writes per token; 0 turns a limit off. Behind reverse proxies,
# API_TRUSTED_PROXIES says how many, so the client address is read from X-Forwarded-For (for the
# whole site: the subscription form's limit and consent records use the same client address).
API_READ_RATE = env_int("API_READ_RATE", 300)
API_WRITE_RATE = env_int("API_WRITE_RATE", 60)
API_RATE_WINDOW = env_int("API_RATE_WINDOW", 60)
API_TRUSTED_PROXIES = env_int("API_TRUSTED_PROXIES", 0)

# Event registration: posts (form and API) per client address per hour, 0 for no limit; how long a
# registrant's signed link works; how long after an event its registrants' personal data is kept.
REGISTRATION_RATE = env_int("REGISTRATION_RATE", 20)
REGISTRATION_LINK_DAYS = env_int("REGISTRATION_LINK_DAYS", 365)
REGISTRATION_KEEP_MONTHS = env_int("REGISTRATION_KEEP_MONTHS", 24)
# How fees are paid (registration/payments.py); only "bank_transfer" (an invoice paid by transfer) exists.
REGISTRATION_PAYMENT_PROVIDER = env_str("REGISTRATION_PAYMENT_PROVIDER", "bank_transfer")
if REGISTRATION_PAYMENT_PROVIDER not in {"bank_transfer"}:
    raise ImproperlyConfigured(f"REGISTRATION_PAYMENT_PROVIDER must be bank_transfer, not {REGISTRATION_PAYMENT_PROVIDER!r}")
# Rows per page when the caller gives no limit (at most 100), and how long public reads may be cached.
API_PAGE_SIZE = min(100, max(1, env_int("API_PAGE_SIZE", 20)))
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 60)
