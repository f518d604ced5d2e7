"""The client's address behind SINERGI_TRUSTED_PROXIES reverse proxies, for every rate limit."""

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse

from core.network import client_ip
from tests.accounts.conftest import PASSWORD

PROXY = "10.0.0.1"


def request(xff: str | None = None, remote: str = PROXY):
    extra = {"HTTP_X_FORWARDED_FOR": xff} if xff is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.SINERGI_TRUSTED_PROXIES = 0

    assert client_ip(request("203.0.113.9")) == PROXY


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        # One proxy appends the address it saw; whatever the client wrote before it is ignored.
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.66, 203.0.113.9", "203.0.113.9"),
        # Two proxies: the outer one appended the client, the inner one the outer proxy.
        (2, "198.51.100.66, 203.0.113.9,10.0.0.7", "203.0.113.9"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_counted_from_the_right(settings, proxies, xff, expected):
    settings.SINERGI_TRUSTED_PROXIES = proxies

    assert client_ip(request(xff)) == expected


@pytest.mark.parametrize("xff", [None, "", "203.0.113.9", "not-an-address, 10.0.0.7"])
def test_a_header_that_does_not_fit_the_proxies_falls_back_to_the_peer(settings, xff):
    # Two proxies promised, but the header has too few or malformed entries: the request did not
    # come the promised way, so the peer's own address is the only one known to be true.
    settings.SINERGI_TRUSTED_PROXIES = 2

    assert client_ip(request(xff)) == PROXY


def test_allauth_uses_the_same_client_address(settings):
    settings.SINERGI_TRUSTED_PROXIES = 1

    assert get_adapter().get_client_ip(request("198.51.100.66, 203.0.113.9")) == "203.0.113.9"


@pytest.mark.django_db
def test_allauth_login_lockout_counts_each_client_behind_the_proxy(client, settings, member):
    settings.SINERGI_TRUSTED_PROXIES = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    too_many = str(get_adapter().error_messages["too_many_login_attempts"])

    def attempt(ip: str, password: str, forged: str = ""):
        return client.post(
            reverse("account_login"),
            {"login": member.email, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{forged}{ip}",
        )

    # The attacker changes the part of the header they control, to no avail.
    errors = [attempt("203.0.113.9", "wrong", forged=f"192.0.2.{n}, ").context["form"] for n in range(4)]
    assert errors[-1].non_field_errors() == [too_many]

    # A colleague behind the same proxy logs in normally.
    response = attempt("203.0.113.10", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)
