"""Production settings: refuses to start without a real SECRET_KEY; HTTPS hardening on."""

import os

os.environ.setdefault("DEBUG", "false")

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, DEV_SECRET_KEY, LOG_LEVEL, SECRET_KEY, STORAGES, env_bool, logging_config

if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY is too short or too simple (50+ varied characters).")

DEBUG = env_bool("DEBUG", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": STORAGES["private"],
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# The load balancer probes the health endpoints over plain HTTP (config.health).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Connections are kept for the next request (60 s unless told) and tested before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
# One JSON object per line on stdout, each with the request's id (config.logging).
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "json"), LOG_LEVEL)

# Organizers and administrators enrol TOTP before anything else (set to false only where the
# accounts are protected otherwise, e.g. behind the agency's single sign-on).
SINERGI_REQUIRE_MFA_FOR_ORGANIZERS = env_bool("SINERGI_REQUIRE_MFA_FOR_ORGANIZERS", True)
