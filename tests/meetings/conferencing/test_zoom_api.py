"""The Zoom API layer against the fake server: tokens, status checks, 429, 5xx, timeouts."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from meetings.conferencing import zoom_api
from meetings.conferencing.zoom_api import ZoomApi, ZoomError, retry_after_seconds, utc

pytestmark = pytest.mark.django_db


class Waits(list):
    def __call__(self, seconds):
        self.append(seconds)


def create(api, **extra):
    body = {
        "user_id": api.host,
        "topic": "FGD",
        "type": 2,
        "start_time": utc(datetime(2031, 9, 22, 9, tzinfo=ZoneInfo("Asia/Jakarta"))),
        "duration": 60,
    }
    return api.call("meeting", "create", **(body | extra))


def test_the_token_is_fetched_once_and_shared_through_the_cache(fake_zoom):
    ZoomApi()
    ZoomApi()
    assert fake_zoom.tokens == ["token-1"]
    token_request = next(r for r in fake_zoom.requests if r.path == "/oauth/token")
    assert token_request.headers["Authorization"].startswith("Basic ")
    assert cache.get(zoom_api.TOKEN_CACHE_KEY) == "token-1"


def test_an_expired_token_is_refreshed_once_and_the_call_repeated(fake_zoom):
    api = ZoomApi()
    fake_zoom.expire_tokens()
    response = create(api)
    assert response.status_code == 201
    assert fake_zoom.tokens == ["token-1", "token-2"]
    assert [r.headers["Authorization"] for r in fake_zoom.calls("POST", "/users/")] == [
        "Bearer token-1",
        "Bearer token-2",
    ]
    assert fake_zoom.created == 1


def test_a_401_after_a_refresh_is_an_error_not_a_loop(fake_zoom):
    api = ZoomApi()
    fake_zoom.fail(
        "POST", "/users/me/meetings", 401, body={"code": 124, "message": "Access token is expired."}
    )
    fake_zoom.fail(
        "POST", "/users/me/meetings", 401, body={"code": 124, "message": "Access token is expired."}
    )
    with pytest.raises(ZoomError) as caught:
        create(api)
    assert (caught.value.status, caught.value.code) == (401, 124)
    assert len(fake_zoom.calls("POST", "/users/")) == 2


@pytest.mark.parametrize("header", ["2", "date"])
def test_429_waits_as_retry_after_says_then_succeeds(fake_zoom, header):
    if header == "date":
        header = format_datetime(datetime.now(UTC) + timedelta(seconds=3), usegmt=True)
    waits = Waits()
    api = ZoomApi(sleep=waits)
    fake_zoom.fail("POST", "/users/me/meetings", 429, headers={"Retry-After": header})
    assert create(api).status_code == 201
    assert len(waits) == 1
    assert 1.5 <= waits[0] <= 3.0
    assert fake_zoom.created == 1


def test_429_without_retry_after_backs_off_exponentially(fake_zoom):
    waits = Waits()
    api = ZoomApi(sleep=waits, retries=3)
    for _ in range(4):
        fake_zoom.fail("POST", "/users/me/meetings", 429)
    with pytest.raises(ZoomError) as caught:
        create(api)
    assert caught.value.status == 429
    assert len(waits) == 3
    assert all(0 <= wait <= 0.5 * 2**n for n, wait in enumerate(waits))


def test_the_daily_cap_is_reported_at_once(fake_zoom):
    waits = Waits()
    api = ZoomApi(sleep=waits)
    fake_zoom.fail(
        "POST",
        "/users/me/meetings",
        429,
        headers={"Retry-After": "7200"},
        body={"code": 429, "message": "You have exceeded the daily rate limit"},
    )
    with pytest.raises(ZoomError) as caught:
        create(api)
    assert caught.value.daily_cap
    assert caught.value.retry_after == 7200
    assert waits == []


def test_the_start_time_reaches_zoom_in_utc(fake_zoom):
    create(ZoomApi())
    assert fake_zoom.calls("POST", "/users/")[0].body["start_time"] == "2031-09-22T02:00:00Z"


def test_a_server_error_is_retried_then_succeeds(fake_zoom):
    waits = Waits()
    api = ZoomApi(sleep=waits)
    fake_zoom.fail("POST", "/users/me/meetings", 500)
    assert create(api).status_code == 201
    assert len(waits) == 1
    assert fake_zoom.created == 1


def test_a_permanent_failure_raises_zooms_message(fake_zoom):
    api = ZoomApi(sleep=Waits(), retries=2)
    for _ in range(3):
        fake_zoom.fail(
            "POST", "/users/me/meetings", 503, body={"code": 503, "message": "Service unavailable"}
        )
    with pytest.raises(ZoomError) as caught:
        create(api)
    assert str(caught.value) == "Zoom 503 (code 503): Service unavailable"


def test_a_request_the_api_description_refuses_is_an_error_with_its_reason(fake_zoom):
    api = ZoomApi()
    with pytest.raises(ZoomError) as caught:
        create(api, duration="sixty")
    assert caught.value.status == 400
    assert fake_zoom.created == 0


def test_a_timeout_is_retried(fake_zoom, settings):
    settings.ZOOM_TIMEOUT_SECONDS = 1
    waits = Waits()
    api = ZoomApi(sleep=waits)
    fake_zoom.fail("GET", "/users/me/meetings", 200, delay=1.5)
    response = api.call("meeting", "list", user_id="me")
    assert response.status_code == 200
    assert len(waits) == 1


def test_bad_credentials_say_so(fake_zoom, settings):
    settings.ZOOM_CLIENT_SECRET = "wrong"
    with pytest.raises(ZoomError) as caught:
        ZoomApi()
    assert caught.value.status == 401
    assert "Invalid client_id or client_secret" in str(caught.value)


def test_retry_after_forms_and_utc_text():
    assert retry_after_seconds("120") == 120
    assert (
        retry_after_seconds(
            "Wed, 21 Oct 2015 07:28:00 GMT", now=datetime(2015, 10, 21, 7, 27, tzinfo=UTC).timestamp()
        )
        == 60
    )
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
    wit = datetime(2031, 9, 22, 9, 0, tzinfo=ZoneInfo("Asia/Jayapura"))
    assert utc(wit) == datetime(2031, 9, 22, 0, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="aware"):
        utc(datetime(2031, 9, 22, 9, 0))  # noqa: DTZ001 (the naive datetime is the point)
