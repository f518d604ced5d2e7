"""Per-client-IP rate limits for the public forms, counted in Django's cache.

The cache is per process with the local-memory backend; with several workers set REDIS_URL so
they share the counts (the `sinergi.W001` check warns in production). The client is the one
core.network finds behind SINERGI_TRUSTED_PROXIES, as for allauth's limits.
"""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache

from core.cache import CacheUnavailable
from core.network import client_ip

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
# One IPv6 subscriber usually holds a whole /64: its addresses count as one client (as allauth's).
IPV6_PREFIX = 64


def client_key(request) -> str:
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return ip


def allow(request, scope: str, per_minute: int | None = None, *, fail_closed: bool = True) -> bool:
    """Count this request; False once the client has made more than the limit in the window.

    The window starts at the client's first request and lasts a minute (the counter's expiry is
    set when it is created and kept by incr), so a burst cannot straddle two windows.

    When the counts cannot be kept (Redis down: core.cache raises CacheUnavailable), a limit
    that guards a change (`fail_closed`, the public forms) refuses and marks the request
    `rate_limit_unavailable` (the page then says to come back later, with a 503); any other
    lets the request through. Either way the log says so.
    """
    limit = settings.SINERGI_REGISTRATION_RATE_PER_MINUTE if per_minute is None else per_minute
    if limit <= 0:
        return True
    key = f"sinergi:rate:{scope}:{client_key(request)}"
    try:
        count = _count(key)
    except CacheUnavailable:
        if fail_closed:
            logger.error("Rate limit %s cannot be counted (cache unavailable): request refused", scope)
            request.rate_limit_unavailable = True
            return False
        logger.warning("Rate limit %s cannot be counted (cache unavailable): request let through", scope)
        return True
    return count <= limit


def _count(key: str) -> int:
    """This request's number in the client's window."""
    if hasattr(cache, "count_in_window"):  # Redis (core.cache): one atomic round trip
        return cache.count_in_window(key, WINDOW_SECONDS)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        # The counter expired between add and incr: this request opens a new window.
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def refused(request, **context):
    """The page for a refused post: 429 for a client over its limit, 503 when the limit could
    not be counted; both say when to try again."""
    from django.shortcuts import render
    from django.utils.cache import add_never_cache_headers

    unavailable = getattr(request, "rate_limit_unavailable", False)
    response = render(
        request,
        "core/rate_limited.html",
        {**context, "unavailable": unavailable},
        status=503 if unavailable else 429,
    )
    response["Retry-After"] = str(WINDOW_SECONDS)
    add_never_cache_headers(response)
    return response
