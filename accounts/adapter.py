"""allauth's account adapter: its rate limits count the same client address as Sinergi's own."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from core.network import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's own reading (ALLAUTH_TRUSTED_PROXY_COUNT) answers a short X-Forwarded-For
        # with an error page; ours falls back to the peer, like every other limit of the site.
        return client_ip(request)
