"""Settings from the environment: production refuses weak secrets; EMAIL_URL parsing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.base import _email_settings

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "ALLOWED_HOSTS": "x.test"})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"], env=env, capture_output=True, text=True, cwd=ROOT
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_check({})
    assert result.returncode != 0
    assert "Set SECRET_KEY to a long random value in production." in result.stderr


def test_production_refuses_short_secret_key():
    result = run_check({"SECRET_KEY": "abcdefgh"})
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_production_starts_with_real_secret_key():
    result = run_check({"SECRET_KEY": "k3J9-x" * 12, "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_redis_warns_that_rate_limits_are_per_process():
    result = run_check({"SECRET_KEY": "k3J9-x" * 12})
    assert result.returncode == 0, result.stderr
    assert (
        "?: (sinergi.W001) Rate limits and the login lockout are counted in each process's own memory."
        in (result.stderr)
    )


def test_email_url_smtp_with_tls():
    assert _email_settings("smtp://user%40x:p%3Ass@mail.example.test:587?tls=1") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.test",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "user@x",
        "EMAIL_HOST_PASSWORD": "p:ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 20,
    }


def test_email_url_console_and_unknown_scheme():
    assert _email_settings("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        _email_settings("carrier-pigeon://coop")


def test_defaults_are_indonesian_and_jakarta(settings):
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _name in settings.LANGUAGES] == ["id", "en"]
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.USE_TZ is True
