"""System checks for a deployment: settings that work on one machine but fail on several."""

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning

# Caches whose contents one process alone sees (or that keep nothing at all).
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches)
def rate_limit_store_is_shared(app_configs, **kwargs):
    """The public forms' limits and allauth's lockout count in the cache: every worker must see it."""
    if settings.DEBUG or settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL_CACHES:
        return []
    return [
        CheckWarning(
            "Rate limits and the login lockout are counted in each process's own memory.",
            hint="Several web workers would each allow the full rate. Set REDIS_URL to a Redis server "
            "that every process of the site uses.",
            id="sinergi.W001",
        )
    ]
