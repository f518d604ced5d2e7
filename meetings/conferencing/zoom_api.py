"""Zoom's REST API through `zoomus`, with what zoomus leaves to its callers.

zoomus (see ../shared/reference/domain.md) fetches its OAuth token in its constructor without a
timeout and never refreshes it, does not raise on HTTP errors, does not pass its timeout to its
components, and writes `start_time` as local wall-clock time with a "Z". This module:

- fetches the Server-to-Server OAuth token itself, with a timeout, and keeps it in Django's cache
  until shortly before it expires, so every web process and worker shares one token; a 401 with
  code 124 (expired) fetches a new one once and repeats the call;
- checks every response's status: 429 waits as long as Retry-After says (seconds or an HTTP date)
  or backs off exponentially with jitter; 5xx and timeouts are retried a bounded number of times;
  whatever is left raises `ZoomError` with Zoom's own message;
- gives every component the configured timeout;
- hands zoomus start times converted to UTC first (`utc`), so the "Z" it writes is true.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import requests
from django.conf import settings
from django.core.cache import cache
from zoomus import ZoomClient, components, util
from zoomus.client import COMPONENT_CLASSES

from core.text import is_id

logger = logging.getLogger(__name__)

TOKEN_CACHE_KEY = "zoom:access-token"
TOKEN_MARGIN_SECONDS = 300  # a cached token is dropped this long before Zoom says it expires
EXPIRED_TOKEN = 124  # Zoom's code for "Access token is expired."
DAILY_CAP_SECONDS = 3600  # a Retry-After this long is the daily create/update cap, not a burst


def configured() -> bool:
    """Whether Zoom credentials are set (otherwise rooms are links entered by hand)."""
    return bool(settings.ZOOM_ACCOUNT_ID and settings.ZOOM_CLIENT_ID and settings.ZOOM_CLIENT_SECRET)


@dataclass
class ZoomError(Exception):
    """A call that failed for good (or for now, when `retry_after` says when to try again)."""

    message: str
    status: int = 0
    code: int | None = None
    retry_after: float | None = None
    daily_cap: bool = False
    uncertain: bool = False  # a create may have been done though Zoom did not say so

    def __str__(self):
        prefix = f"Zoom {self.status}" if self.status else "Zoom"
        code = f" (code {self.code})" if self.code is not None else ""
        return f"{prefix}{code}: {self.message}"

    @property
    def not_found(self) -> bool:
        return self.status == 404 or self.code in (3001, 1001)


def utc(moment: datetime) -> datetime:
    """The moment in UTC, as zoomus must be given it: zoomus writes a datetime's wall-clock time
    followed by "Z", so a meeting at 09.00 WIT handed over as is would start at 09.00 UTC."""
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(UTC)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if is_id(value):
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def fetch_token() -> tuple[str, int]:
    """A new access token and its lifetime in seconds (account_credentials grant)."""
    try:
        response = requests.post(
            settings.ZOOM_OAUTH_URL,
            data={"grant_type": "account_credentials", "account_id": settings.ZOOM_ACCOUNT_ID},
            auth=(settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET),
            timeout=settings.ZOOM_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise ZoomError(f"the token request failed: {exc.__class__.__name__}") from exc
    if response.status_code != 200:
        raise ZoomError(_message(response, "the token request was refused"), status=response.status_code)
    body = response.json()
    token = body.get("access_token")
    if not token:
        raise ZoomError("the token response holds no access_token", status=response.status_code)
    return token, int(body.get("expires_in", 3600))


def access_token(*, fresh: bool = False) -> str:
    token = None if fresh else cache.get(TOKEN_CACHE_KEY)
    if token:
        return token
    token, lifetime = fetch_token()
    cache.set(TOKEN_CACHE_KEY, token, max(60, lifetime - TOKEN_MARGIN_SECONDS))
    return token


def _message(response, default: str) -> str:
    try:
        body = response.json()
    except ValueError:
        return default
    if isinstance(body, dict):
        return str(body.get("message") or body.get("reason") or body.get("error") or default)
    return default


def _code(response) -> int | None:
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, int) else None


class Client(ZoomClient):
    """zoomus's client with the token from the shared cache and the configured timeout.

    The constructor is zoomus's own, minus its token request (no timeout, no cache).
    """

    def __init__(self, token: str):
        base_uri = settings.ZOOM_API_BASE_URL
        self.components = COMPONENT_CLASSES[util.API_VERSION_2].copy()
        util.ApiClient.__init__(self, base_uri=base_uri, timeout=int(settings.ZOOM_TIMEOUT_SECONDS) or 1)
        self.config = {
            "client_id": settings.ZOOM_CLIENT_ID,
            "client_secret": settings.ZOOM_CLIENT_SECRET,
            "api_account_id": settings.ZOOM_ACCOUNT_ID,
            "data_type": "json",
            "version": util.API_VERSION_2,
            "base_uri": base_uri,
            "oauth_uri": settings.ZOOM_OAUTH_URL,
            "token": token,
        }
        for key, component in self.components.items():
            self.components[key] = component(base_uri=base_uri, config=self.config)
            self.components[key].timeout = self.timeout

    def refresh_token(self):
        self.config["token"] = access_token(fresh=True)


Sleep = Callable[[float], None]


class ZoomApi:
    """Calls with the failure handling described above. `sleep` is replaceable in tests."""

    def __init__(self, *, sleep: Sleep = time.sleep, retries: int | None = None):
        self.sleep = sleep
        self.retries = settings.ZOOM_RETRIES if retries is None else retries
        self.client = Client(access_token())
        self.calls = 0  # API calls made (the token requests not included)

    @property
    def host(self) -> str:
        return settings.ZOOM_HOST_USER or "me"

    def component(self, name: str) -> components.base.BaseComponent:
        return self.client.components[name]

    def call(self, component: str, method: str, *, ok=(200, 201, 204), once: bool = False, **kwargs):
        """`client.<component>.<method>(**kwargs)`; the response when its status is in `ok`.

        `once`: a call that must not be repeated blindly (a create): a timeout or a 5xx may have
        done it, so it raises at once with `uncertain` set, for the caller to look before trying.
        """
        refreshed = False
        attempt = 0
        while True:
            function = getattr(self.component(component), method)
            self.calls += 1
            try:
                response = function(**kwargs)
            except (requests.Timeout, requests.ConnectionError) as exc:
                if once:
                    raise ZoomError(
                        f"no answer from Zoom ({exc.__class__.__name__})", uncertain=True
                    ) from exc
                if attempt >= self.retries:
                    raise ZoomError(f"no answer from Zoom ({exc.__class__.__name__})") from exc
                self._back_off(attempt, None)
                attempt += 1
                continue
            status = response.status_code
            if status in ok:
                return response
            code = _code(response)
            if status == 401 and code == EXPIRED_TOKEN and not refreshed:
                refreshed = True
                self.client.refresh_token()
                continue
            if status == 429:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                if wait is not None and wait >= DAILY_CAP_SECONDS:
                    raise ZoomError(
                        _message(response, "daily limit reached"),
                        status=status,
                        code=code,
                        retry_after=wait,
                        daily_cap=True,
                    )
                if attempt >= self.retries or (wait is not None and wait > settings.ZOOM_MAX_WAIT_SECONDS):
                    raise ZoomError(
                        _message(response, "too many requests"), status=status, code=code, retry_after=wait
                    )
                self._back_off(attempt, wait)
                attempt += 1
                continue
            if status >= 500 and once:
                raise ZoomError(
                    _message(response, response.reason or "error"), status=status, code=code, uncertain=True
                )
            if status >= 500 and attempt < self.retries:
                self._back_off(attempt, None)
                attempt += 1
                continue
            raise ZoomError(_message(response, response.reason or "error"), status=status, code=code)

    def _back_off(self, attempt: int, wait: float | None) -> None:
        if wait is None:
            # Exponential with full jitter: 0.5 s, 1 s, 2 s ... at most, never in step with others.
            wait = random.uniform(0, settings.ZOOM_BACKOFF_SECONDS * 2**attempt)
        logger.info("zoom: waiting %.2f s before attempt %d", wait, attempt + 2)
        self.sleep(wait)
