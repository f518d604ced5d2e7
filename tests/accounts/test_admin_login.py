"""The admin's login goes through allauth: it asks for the TOTP code and keeps the login lockout."""

from urllib.parse import urlencode

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, activate_totp, totp_code, verified
from tests.factories import UserFactory

ADMIN_LOGIN = reverse("admin:login") + "?" + urlencode({"next": reverse("admin:index")})


@pytest.fixture
def administrator(db):
    return verified(
        UserFactory(email="admin@example.test", full_name="Rina Suryani", is_staff=True, is_superuser=True)
    )


def log_in_at_admin(client, email: str, password: str):
    """Submits the form a person reaches from /admin/login/, whichever form that is."""
    page = client.get(ADMIN_LOGIN)
    form_url = page.url if page.status_code == 302 else ADMIN_LOGIN
    return client.post(form_url, {"username": email, "login": email, "password": password})


def test_admin_login_page_sends_to_the_account_login(client, administrator):
    response = client.get(ADMIN_LOGIN)

    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?" + urlencode({"next": reverse("admin:index")})


def test_admin_login_with_totp_asks_for_the_code(client, administrator):
    secret = activate_totp(client, administrator)
    client.post(reverse("account_logout"))

    response = log_in_at_admin(client, administrator.email, PASSWORD)

    # The password alone opens nothing: the next step is allauth's code form.
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("admin:index")).status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert client.session[SESSION_KEY] == str(administrator.pk)
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_login_is_locked_after_repeated_wrong_passwords(client, settings, administrator):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    too_many = str(get_adapter().error_messages["too_many_login_attempts"])

    for _ in range(5):
        log_in_at_admin(client, administrator.email, "wrong-password")
    response = log_in_at_admin(client, administrator.email, PASSWORD)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [too_many]
    assert SESSION_KEY not in client.session


def test_admin_refuses_a_signed_in_person_who_is_not_staff(client, administrator):
    member = verified(UserFactory(email="member@example.test"))
    client.force_login(member)

    response = client.get(ADMIN_LOGIN)

    assert response.status_code == 403
