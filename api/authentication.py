"""`Authorization: Bearer <token>` (or `Token <token>`): the personal API token of a user."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from . import services

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    """No session: a signed-in browser without a token gets 401 like anyone else, so no request
    can ride on a session cookie (no CSRF to worry about in a read-only API either)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer ”, with no spaces in it."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token.")) from None
        token = services.authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        return token.user, token

    def authenticate_header(self, request):
        # A 401 (not a 403) for a missing or bad token, with the scheme to use.
        return 'Bearer realm="api"'
