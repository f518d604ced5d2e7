"""Sends organizers without TOTP to the MFA setup page when the site requires it."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class RequireOrganizerMFAMiddleware:
    # Pages an organizer must still reach to set MFA up or leave.
    allowed_prefixes = ("/accounts/", "/static/", "/i18n/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SINERGI_REQUIRE_MFA_FOR_ORGANIZERS and self._must_enroll(request):
            return redirect(reverse("mfa_activate_totp") + f"?next={request.path}")
        return self.get_response(request)

    def _must_enroll(self, request) -> bool:
        user = getattr(request, "user", None)
        if not user or not user.is_authenticated or not user.can_organize:
            return False
        path = request.path_info
        if any(path.startswith(p) or path[3:].startswith(p) for p in self.allowed_prefixes):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
