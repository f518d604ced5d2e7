"""An administrator with TOTP opens the admin in the browser: allauth's login, then the code."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from tests.accounts.conftest import PASSWORD, totp_code
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_administrator_with_totp_reaches_the_admin_only_after_the_code(page):
    admin = UserFactory(
        email="admin@example.test", full_name="Rina Suryani", is_staff=True, is_superuser=True
    )
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)

    page.goto("/admin/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=%2Fadmin%2F$"))
    page.fill("input[name=login]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()

    # The password alone leads to the code form, not into the admin.
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.locator("#site-name")).to_have_count(0)

    page.fill("input[name=code]", totp_code(secret))
    page.locator("input[name=code]").press("Enter")

    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_be_visible()
    expect(page.locator("#user-tools")).to_contain_text("Rina")
