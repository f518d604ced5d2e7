"""Settings for the test suite: fast hashing, in-memory email, tasks run synchronously."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("EMAIL_URL", "locmem://")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The real database backend: tests run queued tasks with the `run_tasks` fixture (db_worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SINERGI_BASE_URL = "http://testserver"
SINERGI_REGISTRATION_RATE_PER_MINUTE = 0
ACCOUNT_RATE_LIMITS = False
DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Materials and photos uploaded by tests go to a fresh directory of their own.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="sinergi-private-"), "base_url": None},
    },
}

# Follow-up evidence uploaded by tests goes to a fresh directory of its own.
POLICY_EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="sinergi-evidence-"))
