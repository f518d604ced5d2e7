"""Absolute links (emails, calendars, feeds): the one place that joins settings.SINERGI_BASE_URL to a path.

Models that people link to carry a `urls` helper built on `Urls` (pretalx's pattern):
`meeting.urls.public` is the path a page links to, `meeting.urls.absolute.public` the full link an
email or a calendar carries.
"""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings


def absolute(path: str) -> str:
    """The full link of a path of this site (`/m/FGD-2021/` → `https://sinergi.example/m/FGD-2021/`)."""
    return settings.SINERGI_BASE_URL + path


def site_host() -> str:
    """The site's host name, for calendar UIDs (`sinergi-<code>-<day>@<host>`)."""
    return urlparse(settings.SINERGI_BASE_URL).hostname or "sinergi.invalid"


class Urls:
    """Where an object lives: each attribute of a subclass is a path; `absolute.<name>` is the full link."""

    @property
    def absolute(self) -> Absolute:
        return Absolute(self)


class Absolute:
    """`urls.absolute.private`: the helper's path `private`, made absolute."""

    def __init__(self, urls: Urls):
        self._urls = urls

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return absolute(getattr(self._urls, name))


def private_link_page(response):
    """Headers of a page behind a secret link (a focal point's, a nominee's): never cached, never
    indexed, the URL not sent as a referrer to other sites. "same-origin", not "no-referrer":
    under no-referrer Chromium sends `Origin: null` with the page's own forms and Django's CSRF
    check refuses every submit."""
    from django.utils.cache import add_never_cache_headers

    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


class PrivateLinkMixin:
    """A view behind a private link: `open_link(**kwargs)` finds what the URL's token opens (and
    sets `self.meeting`), returning False for a wrong, tampered or revoked link (404); a POST
    counts against the rate limit `rate_scope`; every answer gets `private_link_page`'s headers."""

    rate_scope = ""

    def open_link(self, **kwargs) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        from django.http import Http404

        from . import ratelimit

        if not self.open_link(**kwargs):
            raise Http404
        if request.method == "POST" and not ratelimit.allow(request, self.rate_scope):
            response = ratelimit.refused(request, meeting=self.meeting)
        else:
            response = super().dispatch(request, *args, **kwargs)
        return private_link_page(response)
