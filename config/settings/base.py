"""Sinergi settings, read from the environment (12-factor); the defaults suit development."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Neither imports anything of the apps (or of Django's settings).
from config.logging import logging_config
from core.offsets import parse_offsets

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEV_SECRET_KEY = "django-insecure-sinergi-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core",
    "accounts",
    "directory",
    "meetings",
    "participants",
    "materials",
    "minutes",
    "policy",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "config",
]

MIDDLEWARE = [
    # First, so that every log line of the request (and every response, redirects too) has its id.
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireOrganizerMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
# DB_CONN_MAX_AGE: seconds a connection is kept for the next request (0: one per request;
# production defaults to 60); DB_CONN_HEALTH_CHECKS: a kept connection is tested before reuse,
# so a database restart costs no failed request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'sinergi.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries over thousands of rows (the registry's follow-up subqueries) pass the JIT's
    # cost threshold and then spend most of their time compiling: benchmarks/registry.py measured
    # the overdue list at 104 ms with the JIT, 35 ms without. This is an OLTP site: no JIT.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c jit=off").strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: email is the login; verification is mandatory; rate limits on (allauth default).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Sinergi] "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    "change_email": "1/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sinergi"
# When on, organizers (users who may create meetings) must set up TOTP before using organizer pages.
SINERGI_REQUIRE_MFA_FOR_ORGANIZERS = env_bool("SINERGI_REQUIRE_MFA_FOR_ORGANIZERS", False)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded materials and photos (core/storage.py): outside the web root, served only after a
# permission check; SINERGI_S3_BUCKET puts them in an S3-compatible object store instead.
SINERGI_PRIVATE_ROOT = Path(os.environ.get("SINERGI_PRIVATE_ROOT", BASE_DIR / "var" / "private" / "files"))
# How long a signed download link of the object store works (core.storage.serve), in seconds.
SINERGI_SIGNED_URL_SECONDS = int(os.environ.get("SINERGI_SIGNED_URL_SECONDS", "300"))
# The largest documentation photo accepted, in bytes (20 MB), and the most pixels one may
# declare (a decompression bomb declares far more than any camera makes: 100 megapixels).
SINERGI_PHOTO_MAX_BYTES = int(os.environ.get("SINERGI_PHOTO_MAX_BYTES", str(20 * 1024 * 1024)))
SINERGI_PHOTO_MAX_PIXELS = int(os.environ.get("SINERGI_PHOTO_MAX_PIXELS", str(100_000_000)))


def private_storage(environ, root: Path, signed_url_seconds: int) -> dict:
    """The "private" storage: the file system under `root`, or, when SINERGI_S3_BUCKET is set, a
    bucket of any S3-compatible store (AWS, MinIO, Ceph, ...) through django-storages.

    The bucket stays private (no ACL is set on the objects: the bucket's own policy rules, and
    it should refuse public reads); downloads are short-lived signed URLs handed out after the
    view's permission check. A name already taken is never overwritten (names are random anyway).
    """
    bucket = environ.get("SINERGI_S3_BUCKET", "").strip()
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        }
    options = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("SINERGI_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": environ.get("SINERGI_S3_REGION", "").strip() or None,
        # Without keys boto3 finds its own (an instance role, AWS_* variables, ~/.aws).
        "access_key": environ.get("SINERGI_S3_ACCESS_KEY_ID", "") or None,
        "secret_key": environ.get("SINERGI_S3_SECRET_ACCESS_KEY", "") or None,
        "location": environ.get("SINERGI_S3_PREFIX", "").strip().strip("/"),
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": signed_url_seconds,
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def object_store_origins(environ) -> list[str]:
    """Where the browser fetches signed URLs from: the pages' images (the documentation photos'
    web copies) redirect there, so the Content-Security-Policy allows its images. Both the
    endpoint (path-style URLs) and its subdomains (virtual-hosted: bucket.endpoint) are allowed."""
    if not environ.get("SINERGI_S3_BUCKET", "").strip():
        return []
    endpoint = environ.get("SINERGI_S3_ENDPOINT_URL", "").strip()
    if not endpoint:
        return ["https://*.amazonaws.com"]
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint)
    return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://*.{parts.netloc}"]


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": private_storage(os.environ, SINERGI_PRIVATE_ROOT, SINERGI_SIGNED_URL_SECONDS),
}
# The largest speaker's material (paparan) accepted, in bytes (50 MB).
SINERGI_MATERIAL_MAX_BYTES = int(os.environ.get("SINERGI_MATERIAL_MAX_BYTES", str(50 * 1024 * 1024)))
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "media/"
# Follow-up evidence: outside the web root and MEDIA_URL, served only after a permission check.
POLICY_EVIDENCE_ROOT = Path(os.environ.get("POLICY_EVIDENCE_ROOT", BASE_DIR / "var" / "private" / "evidence"))
POLICY_EVIDENCE_MAX_BYTES = int(os.environ.get("POLICY_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))

# Email: EMAIL_URL like smtp://user:pass@host:587?tls=1, console:// or file:///path.
EMAIL_URL = os.environ.get("EMAIL_URL", "console://")


def _email_settings(url: str) -> dict:
    from urllib.parse import parse_qs, unquote, urlparse

    parsed = urlparse(url)
    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parsed.path or str(BASE_DIR / "var" / "mail"),
        }
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme in {"smtp", "smtps"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_TLS": query.get("tls") in {"1", "true"},
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_TIMEOUT": 20,
        }
    raise ImproperlyConfigured(f"Unsupported EMAIL_URL scheme: {parsed.scheme!r}")


globals().update(_email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sinergi <noreply@sinergi.test>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
SINERGI_REPLY_TO = env_list("SINERGI_REPLY_TO")
SINERGI_SITE_NAME = os.environ.get("SINERGI_SITE_NAME", "Sinergi")
# First line of the footer of every participant email (the sender's name, address, contact);
# empty means the site name. Each email adds why the person receives it.
SINERGI_EMAIL_FOOTER = os.environ.get("SINERGI_EMAIL_FOOTER", "")
# Absolute address of the site, used for links in emails (private links, public pages).
SINERGI_BASE_URL = os.environ.get("SINERGI_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# How many reverse proxies of yours stand in front of the app. Every rate limit (the public
# forms, allauth's login lockout) counts the client X-Forwarded-For names this many entries from
# the right; 0 (the default) ignores the header, which anyone can write.
SINERGI_TRUSTED_PROXIES = int(os.environ.get("SINERGI_TRUSTED_PROXIES", "0"))
# The same for allauth's own reading; its adapter (accounts.adapter) asks core.network anyway.
ALLAUTH_TRUSTED_PROXY_COUNT = SINERGI_TRUSTED_PROXIES
# Public registration form: submissions per client IP per minute (0 turns the limit off).
SINERGI_REGISTRATION_RATE_PER_MINUTE = int(os.environ.get("SINERGI_REGISTRATION_RATE_PER_MINUTE", "10"))
# An email queued or being sent for longer than this (its worker died, or its task was lost) is
# queued again by the periodic sweep and by `send_queued_emails`. Keep it well above the time one
# send can take (EMAIL_TIMEOUT per step), or a slow send is sent twice.
SINERGI_EMAIL_STUCK_AFTER_SECONDS = int(os.environ.get("SINERGI_EMAIL_STUCK_AFTER_SECONDS", "300"))
# A temporary mail-server failure (4xx, connection lost) is retried after this many seconds,
# doubled at each attempt (core.mail.MAX_ATTEMPTS attempts in all).
SINERGI_EMAIL_RETRY_SECONDS = int(os.environ.get("SINERGI_EMAIL_RETRY_SECONDS", "60"))
if SINERGI_EMAIL_STUCK_AFTER_SECONDS < 1:
    raise ImproperlyConfigured("SINERGI_EMAIL_STUCK_AFTER_SECONDS must be 1 or more.")
# Repeated submissions of a registered address get at most one "already registered" email per
# meeting in this many minutes (0: one for every submission).
SINERGI_DUPLICATE_NOTICE_INTERVAL_MINUTES = int(
    os.environ.get("SINERGI_DUPLICATE_NOTICE_INTERVAL_MINUTES", "60")
)
# Personal data of meetings closed longer than this many days is purged by `purge_personal_data`.
SINERGI_PURGE_AFTER_DAYS = int(os.environ.get("SINERGI_PURGE_AFTER_DAYS", "365"))


# When reminder emails go to confirmed registrants and speakers (an empty value sends none):
# default, the day before at 09.00 in the meeting's zone and one hour before the start.
SINERGI_REMINDER_OFFSETS = parse_offsets(os.environ.get("SINERGI_REMINDER_OFFSETS", "1d@09:00,1h"))
# Hours before an invitation's nomination deadline when focal points who have not answered get
# one automatic reminder.
SINERGI_NOMINATION_REMINDER_HOURS = int(os.environ.get("SINERGI_NOMINATION_REMINDER_HOURS", "48"))
# The letterhead of Word documents (Notula, Daftar Hadir): its text lines, separated by "|"
# (empty: the meeting's organizing agency and the units above it), and a logo image (PNG/JPEG).
SINERGI_LETTERHEAD_LINES = [
    line.strip() for line in os.environ.get("SINERGI_LETTERHEAD_LINES", "").split("|") if line.strip()
]
SINERGI_LETTERHEAD_LOGO = os.environ.get("SINERGI_LETTERHEAD_LOGO", "")
# The city written before the date of a new invitation letter ("Jakarta, 6 September 2021").
SINERGI_LETTER_PLACE = os.environ.get("SINERGI_LETTER_PLACE", "Jakarta")


def cache_settings(redis_url: str | None) -> dict:
    """Redis when REDIS_URL is set (shared by every process: rate limits, allauth's counters),
    else a cache in each process's memory (the `sinergi.W001` check warns in production)."""
    if redis_url:
        return {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": redis_url}}
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sinergi"}}


REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = cache_settings(REDIS_URL)
# Sessions: with Redis, read from the cache and written through to the database (cached_db), so
# a Redis restart, flush, eviction or outage signs nobody out and loses no half-finished MFA
# login (a miss is read from the database); without Redis, in the database only (a cache in each
# process's memory would serve another process's stale copy).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)
# /readyz fails when the oldest task that may run has waited longer than this (0: never fails on it).
SINERGI_READY_MAX_QUEUE_LAG_SECONDS = int(os.environ.get("SINERGI_READY_MAX_QUEUE_LAG_SECONDS", "300"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp), enforced on every page, the admin and allauth included.
# Nothing is inline: no <script> without src, no on*= handlers, no style= attributes, no <style>
# (htmx's own indicator style is turned off by the htmx-config meta in base.html). Scripts and
# styles are files under /static/; data: only for images (Bootstrap's SVG icons, the favicon,
# the TOTP QR code), and the object store's signed URLs when files live there.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *object_store_origins(os.environ)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# The read-only API (api/, /api/v1/): Django REST framework, described by drf-spectacular.
# Personal tokens only (no session: a browser's cookie never authenticates an API request), JSON
# only (DRF's browsable API is off: it wants a session login and CSRF forms; the Swagger UI page
# at /api/v1/docs/ is the browsable description, under the same CSP).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JsonFirstNegotiation",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sinergi API",
    "DESCRIPTION": (
        "Read-only: meetings, their days and agenda, public registration counts, recommendations "
        "and their follow-up. A personal token (My account → API tokens) sees what its user sees."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "FollowUpStateEnum": "policy.models.State",
        "MinutesStateEnum": "minutes.models.Minutes.State",
    },
}

# LOG_FORMAT: `text` (the message on stderr; development) or `json` (one object per line on
# stdout with the request id; the production default). See config/logging.py.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "text"), LOG_LEVEL)

# Zoom (Server-to-Server OAuth app), through zoomus. Without the three credentials the online room
# is a link entered by hand. The base URLs are settings so that tests and staging point elsewhere.
ZOOM_ACCOUNT_ID = os.environ.get("ZOOM_ACCOUNT_ID", "")
ZOOM_CLIENT_ID = os.environ.get("ZOOM_CLIENT_ID", "")
ZOOM_CLIENT_SECRET = os.environ.get("ZOOM_CLIENT_SECRET", "")
ZOOM_HOST_USER = os.environ.get("ZOOM_HOST_USER", "me")
ZOOM_WEBHOOK_SECRET = os.environ.get("ZOOM_WEBHOOK_SECRET", "")
ZOOM_API_BASE_URL = os.environ.get("ZOOM_API_BASE_URL", "https://api.zoom.us/v2").rstrip("/")
ZOOM_OAUTH_URL = os.environ.get("ZOOM_OAUTH_URL", "https://zoom.us/oauth/token")
# Seconds for one call to Zoom (the token request included), and retries after a 429, a 5xx or
# a timeout before the failure is shown on the meeting page.
ZOOM_TIMEOUT_SECONDS = float(os.environ.get("ZOOM_TIMEOUT_SECONDS", "10"))
ZOOM_RETRIES = int(os.environ.get("ZOOM_RETRIES", "3"))
# The first backoff after a 5xx or a timeout (doubling each time, with jitter).
ZOOM_BACKOFF_SECONDS = float(os.environ.get("ZOOM_BACKOFF_SECONDS", "0.5"))
# A Retry-After longer than this is not waited for in the worker: the task is tried again later.
ZOOM_MAX_WAIT_SECONDS = float(os.environ.get("ZOOM_MAX_WAIT_SECONDS", "30"))
# Minutes in the Zoom room (overlapping joins counted once) a person needs on a day to count as
# attending it online; shorter stays are listed on the Zoom attendance page, not counted.
ZOOM_MIN_ATTENDANCE_MINUTES = int(os.environ.get("ZOOM_MIN_ATTENDANCE_MINUTES", "30"))
# A webhook whose signed timestamp is further than this from now (either way) is refused: a
# captured request cannot be played back later.
ZOOM_WEBHOOK_MAX_AGE_SECONDS = int(os.environ.get("ZOOM_WEBHOOK_MAX_AGE_SECONDS", "300"))
# Stored webhook deliveries carry participants' names and addresses: handled ones are deleted
# after this many days (a replay older than ZOOM_WEBHOOK_MAX_AGE_SECONDS is refused anyway).
ZOOM_WEBHOOK_KEEP_DAYS = int(os.environ.get("ZOOM_WEBHOOK_KEEP_DAYS", "7"))
