"""The client's address as every rate limit sees it, behind SINERGI_TRUSTED_PROXIES reverse proxies."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent this request.

    Without trusted proxies it is the peer's address (REMOTE_ADDR): X-Forwarded-For is written
    by the client and proves nothing. With N proxies in front, each appends the address it
    received the request from, so the client is the Nth entry from the right; entries further
    left are the client's own invention. A header with too few or malformed entries did not come
    the promised way, and the peer's address is the only one known to be true.
    """
    peer = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.SINERGI_TRUSTED_PROXIES
    if proxies <= 0:
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return peer
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return peer
