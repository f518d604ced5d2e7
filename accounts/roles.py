"""The roles: who may organize meetings and manage the directory, who is a policy analyst."""

from django.contrib.auth.mixins import AccessMixin
from django.utils.cache import add_never_cache_headers


def may_organize(user) -> bool:
    """Site administrators and users a site administrator marked "may organize meetings"."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.can_organize))


def is_policy_analyst(user) -> bool:
    """Users a site administrator marked "policy analyst": they read recommendations across meetings."""
    return bool(user.is_authenticated and user.is_active and user.is_policy_analyst)


def never_cached(response):
    # Staff pages carry personal data (emails, phones, attendance): no browser or shared cache.
    add_never_cache_headers(response)
    return response


class OrganizerRequiredMixin(AccessMixin):
    """For pages not tied to one meeting (meeting list, new meeting, directory)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_organize(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return never_cached(super().dispatch(request, *args, **kwargs))
