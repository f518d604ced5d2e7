"""Sends organizers and administrators without TOTP to the MFA setup page when the site requires
it (the default under production settings)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import may_organize


class RequireOrganizerMFAMiddleware:
    # Pages an organizer must still reach to set MFA up or leave. The site has no language prefix
    # in its URLs (LocaleMiddleware reads the cookie), so these are matched against the path as is.
    allowed_prefixes = ("/accounts/", "/static/", "/i18n/", "/media/", "/healthz", "/readyz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SINERGI_REQUIRE_MFA_FOR_ORGANIZERS and self._must_enroll(request):
            target = reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()})
            if getattr(request, "htmx", False):
                # A redirect would be swapped into the fragment; htmx reloads the whole page instead.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            messages.warning(
                request, _("Organizers must turn on two-factor authentication before continuing.")
            )
            return redirect(target)
        return self.get_response(request)

    def _must_enroll(self, request) -> bool:
        user = getattr(request, "user", None)
        if not user or not user.is_authenticated:
            return False
        if not (may_organize(user) or user.is_staff):
            return False
        if request.path_info.startswith(self.allowed_prefixes):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
