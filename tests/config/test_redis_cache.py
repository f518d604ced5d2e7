"""REDIS_URL gives a working Redis cache that several processes share (the real Redis on 6379)."""

import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from config.settings.base import cache_settings
from core import ratelimit

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_caches(settings):
    """The settings' cache pointed at the local Redis, under a prefix no other test run uses."""
    config = cache_settings(REDIS_URL)
    config["default"]["KEY_PREFIX"] = f"sinergi-test-{uuid.uuid4().hex}"
    settings.CACHES = config
    # A second client with its own connection pool, as another web worker would have.
    other = RedisCache(REDIS_URL, {"KEY_PREFIX": config["default"]["KEY_PREFIX"]})
    yield caches["default"], other
    other.delete_many([f"sinergi:rate:register:{ip}" for ip in ("198.51.100.7", "198.51.100.8")])


def test_redis_url_selects_the_redis_cache():
    assert cache_settings(REDIS_URL) == {
        "default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_URL}
    }
    assert cache_settings(None) == {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sinergi"}
    }


def test_redis_cache_stores_and_reads_values(redis_caches):
    default, other = redis_caches

    default.set("greeting", "selamat pagi", timeout=30)

    assert other.get("greeting") == "selamat pagi"
    other.delete("greeting")
    assert default.get("greeting") is None


def test_rate_limit_counts_are_shared_between_processes(settings, redis_caches):
    default, other = redis_caches
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 3
    request = RequestFactory().post("/m/x/register/", REMOTE_ADDR="198.51.100.7")
    # Two requests counted by "another worker" (its own client), then this one goes on counting.
    other.add("sinergi:rate:register:198.51.100.7", 0, timeout=60)
    other.incr("sinergi:rate:register:198.51.100.7", 2)

    assert [ratelimit.allow(request, "register") for _ in range(2)] == [True, False]
    assert other.get("sinergi:rate:register:198.51.100.7") == 4
    neighbour = RequestFactory().post("/m/x/register/", REMOTE_ADDR="198.51.100.8")
    assert ratelimit.allow(neighbour, "register") is True


def test_a_rate_limit_window_lives_a_minute_from_its_first_request(settings, redis_caches):
    default, other = redis_caches
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 2
    request = RequestFactory().post("/m/x/register/", REMOTE_ADDR="198.51.100.8")

    assert [ratelimit.allow(request, "register") for _ in range(3)] == [True, True, False]
    key = default.make_and_validate_key("sinergi:rate:register:198.51.100.8")
    client = default._cache.get_client(key)
    # Set once with the first count; later counts keep it (the window does not slide).
    assert 55 <= client.ttl(key) <= ratelimit.WINDOW_SECONDS
    assert other.get("sinergi:rate:register:198.51.100.8") == 3
    # One client per connection pool, reused by every call.
    assert default._cache.get_client(key) is client
