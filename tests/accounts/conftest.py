"""Helpers for the account tests: verified users, logging in through allauth's views, TOTP codes."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse

from tests.factories import OrganizerFactory, UserFactory

PASSWORD = "secret-pass-123"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps rate-limit counters and used TOTP codes in the cache."""
    cache.clear()
    yield
    cache.clear()


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def member(db):
    return verified(UserFactory(email="member@example.test", full_name="Rina Wulandari"))


@pytest.fixture
def organizer_verified(db):
    return verified(OrganizerFactory(email="organizer@example.test", full_name="Lismia Elita"))


def log_in(client, email, password=PASSWORD):
    """Logs in through allauth's login view, so the session records a real (recent) authentication."""
    return client.post(reverse("account_login"), {"login": email, "password": password})


def totp_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def link_in(message) -> str:
    """The path of the first link to this site in an email's text body."""
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def activate_totp(client, user) -> str:
    """Logs in, confirms the password, activates TOTP through the views; returns the secret."""
    log_in(client, user.email)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert client.session["mfa.totp.secret"] == secret

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    return secret
