"""Redis going away: pages still answer, public forms refuse cleanly (503, nothing saved) and
the log says so; with Redis up the resilient cache is the plain Redis cache."""

import logging
import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse

from core import cache as resilient
from core import ratelimit
from participants.models import Registration

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1
UP = "redis://127.0.0.1:6379/0"


def backend(location: str):
    return {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"sinergi-test-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def redis_down(settings, monkeypatch):
    settings.CACHES = backend(DOWN)
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 10
    monkeypatch.setattr(resilient, "LOG_EVERY", 0.0)
    return caches["default"]


def test_reads_miss_and_writes_are_skipped_while_redis_is_down(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="sinergi.cache"):
        redis_down.set("greeting", "selamat pagi")
        value = redis_down.get("greeting", "default")
        many = redis_down.get_many(["a", "b"])

    assert (value, many) == ("default", {})
    assert redis_down.failures == 3
    assert "Cache unavailable (set" in caplog.text
    with pytest.raises(resilient.CacheUnavailable):
        redis_down.incr("counter")


def test_with_redis_up_it_is_the_redis_cache(settings):
    settings.CACHES = backend(UP)
    cache = caches["default"]

    cache.set("greeting", "selamat pagi", timeout=30)
    cache.add("counter", 0, timeout=30)

    assert cache.get("greeting") == "selamat pagi"
    assert cache.incr("counter", 2) == 2
    assert cache.failures == 0
    cache.delete_many(["greeting", "counter"])


def test_rate_limits_fail_closed_for_changes_and_open_otherwise(redis_down, caplog):
    request = RequestFactory().post("/m/x/register/", REMOTE_ADDR="198.51.100.7")
    reading = RequestFactory().post("/m/x/transcripts/", REMOTE_ADDR="198.51.100.7")

    with caplog.at_level(logging.WARNING, logger="core.ratelimit"):
        assert ratelimit.allow(request, "register") is False
        assert ratelimit.allow(reading, "upload", fail_closed=False) is True

    assert request.rate_limit_unavailable is True
    assert not hasattr(reading, "rate_limit_unavailable")
    assert "Rate limit register cannot be counted (cache unavailable): request refused" in caplog.text
    assert "Rate limit upload cannot be counted (cache unavailable): request let through" in caplog.text


def test_registration_refuses_cleanly_and_pages_still_answer(client, redis_down, published_meeting):
    REGISTER = reverse("participants:register", kwargs={"code": published_meeting.code})
    page = client.get(published_meeting.urls.public)
    form = client.get(REGISTER)
    posted = client.post(
        REGISTER,
        {"full_name": "Siti Aminah", "email": "siti@example.test", "mode": "online", "consent": "on"},
    )

    assert (page.status_code, form.status_code) == (200, 200)
    assert posted.status_code == 503
    assert posted["Retry-After"] == "60"
    assert "Situs belum dapat menerima kiriman saat ini. Tidak ada yang tersimpan." in posted.content.decode()
    assert not Registration.objects.exists()
