"""Production settings, switched on by the environment alone (each case a fresh interpreter)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string
from config.settings import production as s
print(json.dumps({
    "CACHES": s.CACHES,
    "CACHE_IS_REDIS": issubclass(import_string(s.CACHES["default"]["BACKEND"]), RedisCache),
    "SESSION_ENGINE": s.SESSION_ENGINE,
    "DATABASE": {k: s.DATABASES["default"][k] for k in ("ENGINE", "NAME", "HOST", "PORT", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")},
    "LOGGING": s.LOGGING,
    "STORAGES": s.STORAGES,
    "IMG_SRC": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "SINERGI_SIGNED_URL_SECONDS": s.SINERGI_SIGNED_URL_SECONDS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_REDIRECT_EXEMPT": s.SECURE_REDIRECT_EXEMPT,
    "SECURE_PROXY_SSL_HEADER": s.SECURE_PROXY_SSL_HEADER,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
    "SINERGI_TRUSTED_PROXIES": s.SINERGI_TRUSTED_PROXIES,
    "SINERGI_READY_MAX_QUEUE_LAG_SECONDS": s.SINERGI_READY_MAX_QUEUE_LAG_SECONDS,
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "EMAIL_HOST": s.EMAIL_HOST,
    "DEBUG": s.DEBUG,
    "MIDDLEWARE": s.MIDDLEWARE,
    "SINERGI_REQUIRE_MFA_FOR_ORGANIZERS": s.SINERGI_REQUIRE_MFA_FOR_ORGANIZERS,
}))
"""

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "ALLOWED_HOSTS": "sinergi.example.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://sinergi.example.go.id",
    "DATABASE_URL": "postgres://sinergi:secret@db.example.go.id:5432/sinergi",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://mail.example.go.id:587?tls=1",
    "SINERGI_TRUSTED_PROXIES": "1",
}

# Variables of the test run's own environment that would change what production reads.
CLEARED = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "DB_CONN_MAX_AGE",
    "DB_CONN_HEALTH_CHECKS",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "SINERGI_READY_MAX_QUEUE_LAG_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SINERGI_REQUIRE_MFA_FOR_ORGANIZERS",
    "SINERGI_PRIVATE_ROOT",
    "SINERGI_SIGNED_URL_SECONDS",
    "SINERGI_S3_BUCKET",
    "SINERGI_S3_ENDPOINT_URL",
    "SINERGI_S3_REGION",
    "SINERGI_S3_ACCESS_KEY_ID",
    "SINERGI_S3_SECRET_ACCESS_KEY",
    "SINERGI_S3_PREFIX",
}


def run_python(code: str, **overrides: str | None) -> subprocess.CompletedProcess:
    """`code` in a new interpreter with the production environment; None unsets a variable."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(PRODUCTION_ENV, SECRET_KEY=secrets.token_urlsafe(48))
    assert len(env["SECRET_KEY"]) == 64
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)


def production_settings(**overrides: str | None) -> dict:
    result = run_python(PRINT_SETTINGS, **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_from_the_environment():
    s = production_settings()

    # Django's RedisCache (or the project's subclass of it, core.cache): sessions, allauth's
    # and the registration rate limits and the Zoom token all use this default cache.
    assert s["CACHE_IS_REDIS"] is True
    assert s["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/0"
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert s["DATABASE"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "sinergi",
        "HOST": "db.example.go.id",
        "PORT": 5432,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
    assert (
        s["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$", r"^readyz$"]
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["ALLOWED_HOSTS"] == ["sinergi.example.go.id"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://sinergi.example.go.id"]
    assert s["SINERGI_TRUSTED_PROXIES"] == 1
    assert s["SINERGI_READY_MAX_QUEUE_LAG_SECONDS"] == 300
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["EMAIL_HOST"] == "mail.example.go.id"
    assert s["DEBUG"] is False
    assert s["MIDDLEWARE"][0] == "config.middleware.RequestIdMiddleware"
    assert s["MIDDLEWARE"].index("whitenoise.middleware.WhiteNoiseMiddleware") == 2
    # Organizers and administrators enrol TOTP unless the installation says otherwise.
    assert s["SINERGI_REQUIRE_MFA_FOR_ORGANIZERS"] is True
    assert (
        production_settings(SINERGI_REQUIRE_MFA_FOR_ORGANIZERS="false")["SINERGI_REQUIRE_MFA_FOR_ORGANIZERS"]
        is False
    )


def test_production_logs_json_to_stdout_with_the_request_filter():
    logging = production_settings()["LOGGING"]

    assert logging["formatters"]["json"] == {"()": "config.logging.JsonFormatter"}
    assert logging["filters"]["request_id"] == {"()": "config.logging.RequestIdFilter"}
    console = logging["handlers"]["console"]
    assert console["formatter"] == "json"
    assert console["stream"] == "ext://sys.stdout"
    assert console["filters"] == ["request_id"]
    assert logging["root"] == {"handlers": ["console"], "level": "INFO"}


def test_production_logging_writes_json_lines_once_django_is_set_up():
    code = (
        "import django, logging; django.setup(); logging.getLogger('sinergi.x').warning('hello %s', 'world')"
    )
    result = run_python(code)

    assert result.returncode == 0, result.stderr
    [line] = [json.loads(text) for text in result.stdout.splitlines()]
    assert line["message"] == "hello world"
    assert line["logger"] == "sinergi.x"
    assert line["level"] == "WARNING"
    assert line["request_id"] is None


def test_production_settings_follow_the_environment():
    s = production_settings(
        DB_CONN_MAX_AGE="0",
        DB_CONN_HEALTH_CHECKS="false",
        LOG_FORMAT="text",
        LOG_LEVEL="WARNING",
        SINERGI_READY_MAX_QUEUE_LAG_SECONDS="900",
    )

    assert s["DATABASE"]["CONN_MAX_AGE"] == 0
    assert s["DATABASE"]["CONN_HEALTH_CHECKS"] is False
    assert "formatter" not in s["LOGGING"]["handlers"]["console"]
    assert s["LOGGING"]["root"]["level"] == "WARNING"
    assert s["SINERGI_READY_MAX_QUEUE_LAG_SECONDS"] == 900


def test_files_stay_on_the_file_system_unless_a_bucket_is_named():
    s = production_settings(SINERGI_PRIVATE_ROOT="/srv/sinergi/files")

    assert s["STORAGES"]["private"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/srv/sinergi/files", "base_url": None},
    }
    assert s["IMG_SRC"] == ["'self'", "data:"]


def test_a_bucket_in_the_environment_puts_the_files_in_the_object_store():
    s = production_settings(
        SINERGI_S3_BUCKET="sinergi-files",
        SINERGI_S3_ENDPOINT_URL="https://s3.example.go.id",
        SINERGI_S3_REGION="ap-southeast-3",
        SINERGI_S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        SINERGI_S3_SECRET_ACCESS_KEY="example-secret",
        SINERGI_S3_PREFIX="/produksi/",
        SINERGI_SIGNED_URL_SECONDS="120",
    )

    assert s["STORAGES"]["private"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "sinergi-files",
            "endpoint_url": "https://s3.example.go.id",
            "region_name": "ap-southeast-3",
            "access_key": "AKIAEXAMPLE",
            "secret_key": "example-secret",
            "location": "produksi",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 120,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
    assert s["SINERGI_SIGNED_URL_SECONDS"] == 120
    # The web copies on the staff pages redirect to signed URLs of the store.
    assert s["IMG_SRC"] == ["'self'", "data:", "https://s3.example.go.id", "https://*.s3.example.go.id"]
    # On AWS itself (no endpoint), keys from the instance's role: none in the settings.
    aws = production_settings(SINERGI_S3_BUCKET="sinergi-files")["STORAGES"]["private"]["OPTIONS"]
    assert (aws["endpoint_url"], aws["access_key"], aws["secret_key"], aws["location"]) == (
        None,
        None,
        None,
        "",
    )
    assert aws["querystring_expire"] == 300
    assert production_settings(SINERGI_S3_BUCKET="x")["IMG_SRC"] == [
        "'self'",
        "data:",
        "https://*.amazonaws.com",
    ]


def test_without_redis_sessions_stay_in_the_database_and_the_cache_in_memory():
    s = production_settings(REDIS_URL=None)

    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_development_defaults_are_unchanged():
    code = (
        "import json; from config.settings import base as s; "
        "print(json.dumps([s.DATABASES['default']['CONN_MAX_AGE'], s.SESSION_ENGINE, "
        "'formatter' in s.LOGGING['handlers']['console']]))"
    )
    result = run_python(
        code, DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=None, REDIS_URL=None
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [0, "django.contrib.sessions.backends.db", False]
