"""Django's Redis cache, made to survive Redis going away.

With the stock RedisCache every page that touches the cache (sessions, allauth's counters, rate
limits, the Zoom token) answers 500 while Redis is down. Here a failed read is a miss, a failed
write is skipped, and each failure is logged (at most once per `LOG_EVERY` seconds per process,
so an outage does not flood the log). Only counting (`incr`, what rate limits use) says so, by
raising `CacheUnavailable`: a limit decides for itself whether to fail open or closed.

Settings: `"BACKEND": "core.cache.ResilientRedisCache"`. A short socket timeout keeps a Redis
that hangs from holding requests: OPTIONS socket_connect_timeout / socket_timeout (seconds).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("sinergi.cache")
LOG_EVERY = 30.0
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class CacheUnavailable(Exception):
    """The cache could not be reached: raised by counting operations only."""


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class _ReusedClients(RedisCacheClient):
    """One redis.Redis per connection pool, made once: the stock client makes one per call, and
    building its table of response callbacks costs more than a round trip to Redis."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        params["OPTIONS"] = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, params)
        self._class = _ReusedClients
        self._errors = _redis_errors()
        self._last_logged = 0.0
        self.failures = 0

    def _failed(self, operation: str, error: BaseException) -> None:
        self.failures += 1
        now = time.monotonic()
        if now - self._last_logged >= LOG_EVERY:
            self._last_logged = now
            logger.warning(
                "Cache unavailable (%s: %s): carrying on without it (%d failures so far)",
                operation,
                error,
                self.failures,
            )

    def _try(self, operation: str, default, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except self._errors as error:
            self._failed(operation, error)
            return default

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._try("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._try("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._try("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._try("has_key", False, super().has_key, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._try("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._try("clear", False, super().clear)

    def count_in_window(self, key: str, window: int) -> int:
        """Add one to a counter that lives `window` seconds from its first count; the count.

        One round trip, atomic (MULTI: SET NX EX, then INCR): the counter cannot expire between
        the two, so it never outlives its window. Raises CacheUnavailable like `incr`.
        """
        key = self.make_and_validate_key(key)
        try:
            pipe = self._cache.get_client(key, write=True).pipeline(transaction=True)
            pipe.set(key, 0, ex=window, nx=True)
            pipe.incr(key)
            return int(pipe.execute()[1])
        except self._errors as error:
            self._failed("count", error)
            raise CacheUnavailable(str(error)) from error

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except self._errors as error:
            self._failed("incr", error)
            raise CacheUnavailable(str(error)) from error
