"""RequireOrganizerMFAMiddleware: organizers without TOTP go to the TOTP setup when the site requires it."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, log_in, totp_code
from tests.factories import OrganizerFactory, UserFactory

SETUP = reverse("mfa_activate_totp")


@pytest.fixture
def mfa_required(settings):
    settings.SINERGI_REQUIRE_MFA_FOR_ORGANIZERS = True


def test_mfa_required_redirects_organizer_without_totp(client, mfa_required, db):
    client.force_login(OrganizerFactory())

    response = client.get(reverse("dashboard") + "?tab=mine&x=1")

    assert response.status_code == 302
    assert response.url == f"{SETUP}?next=%2Fdashboard%2F%3Ftab%3Dmine%26x%3D1"


def test_mfa_required_redirects_superuser_without_can_organize(client, mfa_required, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, can_organize=False))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(SETUP)


def test_mfa_required_redirects_a_staff_member_who_is_no_organizer(client, mfa_required, db):
    client.force_login(UserFactory(is_staff=True, can_organize=False))

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(SETUP)


def test_health_probes_are_never_sent_to_the_mfa_setup(client, mfa_required, db):
    client.force_login(OrganizerFactory())

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code in (200, 503)  # what it checks, not a redirect


def test_mfa_required_leaves_non_organizer_alone(client, mfa_required, db):
    client.force_login(UserFactory())

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200


def test_mfa_required_leaves_organizer_with_totp_alone(client, mfa_required, db):
    organizer = OrganizerFactory()
    TOTP.activate(organizer, generate_totp_secret())
    client.force_login(organizer)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200


def test_mfa_required_lets_organizer_reach_account_pages(client, mfa_required, db):
    client.force_login(OrganizerFactory())

    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_mfa_required_answers_htmx_with_hx_redirect(client, mfa_required, db):
    client.force_login(OrganizerFactory())

    response = client.get(reverse("dashboard"), headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{SETUP}?next=%2Fdashboard%2F"


def test_mfa_not_required_leaves_organizer_alone(client, settings, db):
    settings.SINERGI_REQUIRE_MFA_FOR_ORGANIZERS = False
    client.force_login(OrganizerFactory())

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200


def test_mfa_required_organizer_sets_up_totp_then_reaches_dashboard(client, mfa_required, organizer_verified):
    log_in(client, organizer_verified.email)

    response = client.get(reverse("dashboard"), follow=True)

    # Setting up TOTP asks for the password again first (allauth's reauthentication).
    assert [url for url, _ in response.redirect_chain][0] == f"{SETUP}?next=%2Fdashboard%2F"
    assert response.request["PATH_INFO"] == reverse("account_reauthenticate")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret = client.get(SETUP).context["form"].secret
    client.post(SETUP, {"code": totp_code(secret)})

    assert client.get(reverse("dashboard")).status_code == 200
