"""Per-client-IP rate limits for the public forms, counted in Django's cache.

The cache is per process with the local-memory backend; with several workers set REDIS_URL so
they share the counts. The client is REMOTE_ADDR: X-Forwarded-For is not trusted, since anyone
can send it (a deployment behind a proxy must set REMOTE_ADDR from the proxy's header itself).
"""

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def allow(request, scope: str, per_minute: int | None = None) -> bool:
    """Count this request; False once the client has made more than the limit in the window.

    The window starts at the client's first request and lasts a minute (the counter's expiry is
    set when it is created and kept by incr), so a burst cannot straddle two windows.
    """
    limit = settings.SINERGI_REGISTRATION_RATE_PER_MINUTE if per_minute is None else per_minute
    if limit <= 0:
        return True
    key = f"sinergi:rate:{scope}:{client_ip(request)}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        # The counter expired between add and incr: this request opens a new window.
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit
