"""The load balancer's endpoints: /healthz touches nothing, /readyz names what is broken."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config.settings.base import cache_settings
from core.tasks import sweep_outgoing_emails

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: the connection is refused


def _broken(caches: dict) -> dict:
    caches["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=1, socket_timeout=1)
    return caches


BROKEN_CACHES = {
    # Django's own RedisCache raises on every call...
    "stock-redis": _broken(
        {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT}}
    ),
    # ...the backend REDIS_URL selects (it may swallow errors: a read then just misses).
    "configured-redis": _broken(cache_settings(CLOSED_PORT)),
}
BROKEN_REDIS = BROKEN_CACHES["stock-redis"]


@pytest.mark.django_db
def test_liveness_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_liveness_answers_when_the_cache_is_down(client):
    # No django_db mark: a query would raise here.
    with override_settings(CACHES=BROKEN_REDIS):
        assert client.get("/healthz").status_code == 200


def test_liveness_refuses_to_change_anything(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db
def test_readiness_is_ok_when_everything_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["queue"] == "ok"
    assert body["queue_lag_seconds"] == 0
    assert body["queue_lag_limit_seconds"] == 300
    assert body["status"] == "ok"
    assert body["failing"] == []


@pytest.mark.django_db
def test_readiness_counts_a_fresh_task_as_no_lag(client):
    sweep_outgoing_emails.enqueue()

    body = client.get("/readyz").json()

    assert body["status"] == "ok"
    assert 0 <= body["queue_lag_seconds"] < 60


@pytest.mark.django_db
@pytest.mark.parametrize("caches", BROKEN_CACHES.values(), ids=BROKEN_CACHES.keys())
def test_readiness_fails_when_the_cache_is_broken(client, caches):
    with override_settings(CACHES=caches):
        response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["cache"] == "error"
    assert body["database"] == "ok"
    assert body["failing"] == ["cache"]
    assert body["status"] == "failing"
    # No host, port or error text leaves the server.
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_readiness_fails_when_the_cache_loses_what_it_stored(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


@pytest.mark.django_db
def test_readiness_fails_when_the_database_is_broken(client, monkeypatch):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "error"
    assert body["queue"] == "unknown"
    assert body["failing"] == ["database"]
    assert "database down" not in response.content.decode()


def _waiting_task(age: timedelta, *, planned: bool) -> DBTaskResult:
    """A ready task, due `age` ago: planned with a run_after, or enqueued to run at once."""
    now = timezone.now()
    if planned:
        result = sweep_outgoing_emails.using(run_after=now - age).enqueue()
    else:
        result = sweep_outgoing_emails.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=now - age)
    return DBTaskResult.objects.get(id=result.id)


@pytest.mark.django_db
@pytest.mark.parametrize("planned", [True, False], ids=["run_after-past", "run-at-once"])
def test_readiness_fails_when_the_oldest_ready_task_waited_too_long(client, planned):
    _waiting_task(timedelta(minutes=10), planned=planned)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["queue"] == "lagging"
    assert body["failing"] == ["queue"]
    assert 590 <= body["queue_lag_seconds"] <= 700
    assert body["database"] == "ok"
    assert body["cache"] == "ok"


@pytest.mark.django_db
def test_readiness_lag_limit_is_a_setting(client, settings):
    _waiting_task(timedelta(minutes=10), planned=True)

    settings.SINERGI_READY_MAX_QUEUE_LAG_SECONDS = 3600
    assert client.get("/readyz").status_code == 200
    settings.SINERGI_READY_MAX_QUEUE_LAG_SECONDS = 0  # off: reported, never failing
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["queue_lag_seconds"] >= 590


@pytest.mark.django_db
def test_readiness_ignores_tasks_planned_for_later_and_finished_ones(client):
    now = timezone.now()
    sweep_outgoing_emails.using(run_after=now + timedelta(hours=1)).enqueue()
    done = _waiting_task(timedelta(hours=1), planned=False)
    DBTaskResult.objects.filter(id=done.id).update(status="SUCCESSFUL")
    # Enqueued just now with a run_after long past: it has not waited for the workers yet.
    late = sweep_outgoing_emails.using(run_after=now - timedelta(hours=1)).enqueue()
    assert DBTaskResult.objects.ready().filter(id=late.id).exists()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["queue_lag_seconds"] < 60


def test_health_endpoints_are_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

    assert client.get("/healthz").status_code == 200
    assert client.get("/dashboard/").status_code == 301


@pytest.mark.django_db
def test_health_endpoints_need_no_login_even_when_organizers_must_use_mfa(client, settings):
    """The balancer has no session: neither login nor the MFA enrolment redirect stands in its way."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    settings.SINERGI_REQUIRE_MFA_FOR_ORGANIZERS = True

    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200
