"""System checks: production warns when rate limits are counted per process."""

from django.core.checks import Warning as CheckWarning

from config.checks import rate_limit_store_is_shared
from config.settings.base import cache_settings

LOCAL = cache_settings(None)
REDIS = cache_settings("redis://127.0.0.1:6379/0")
W001 = CheckWarning(
    "Rate limits and the login lockout are counted in each process's own memory.",
    hint="Several web workers would each allow the full rate. Set REDIS_URL to a Redis server "
    "that every process of the site uses.",
    id="sinergi.W001",
)


def test_production_with_a_process_local_cache_warns(settings):
    settings.DEBUG = False
    settings.CACHES = LOCAL

    assert rate_limit_store_is_shared(None) == [W001]


def test_production_with_the_dummy_cache_warns(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    assert rate_limit_store_is_shared(None) == [W001]


def test_production_with_redis_is_quiet(settings):
    settings.DEBUG = False
    settings.CACHES = REDIS

    assert rate_limit_store_is_shared(None) == []


def test_development_with_a_local_cache_is_quiet(settings):
    settings.DEBUG = True
    settings.CACHES = LOCAL

    assert rate_limit_store_is_shared(None) == []
