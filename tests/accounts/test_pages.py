"""allauth's pages render inside Sinergi's layout, with Bootstrap forms and visible labels, in both languages."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import log_in

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
# Page, and the tab marked as the current one (logout is no tab).
MEMBER_PAGES = [
    ("account_email", "account_email"),
    ("account_change_password", "account_change_password"),
    ("mfa_index", "mfa_index"),
    ("accounts:profile", "accounts:profile"),
    ("account_logout", None),
]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_entrance_page_renders_in_site_layout(client, db, name):
    response = client.get(reverse(name))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="navbar navbar-expand-lg navbar-dark bg-sinergi"' in html
    assert '<h1 class="h3 mb-3">' in html
    assert "<strong>Menu:</strong>" not in html  # allauth's own bare layout is not used


@pytest.mark.parametrize(("name", "tab"), MEMBER_PAGES)
def test_account_page_renders_with_account_tabs(client, member, name, tab):
    log_in(client, member.email)

    response = client.get(reverse(name))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<nav aria-label="Pengaturan akun" class="mb-4">' in html
    active = [
        line.split('href="')[1].split('"')[0] for line in html.splitlines() if "nav-link active" in line
    ]
    assert active == ([reverse(tab)] if tab else [])


def test_login_page_is_indonesian_by_default(client, db):
    response = client.get(reverse("account_login"))

    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "<title>Masuk · Sinergi</title>" in html
    assert '<label class="form-label" for="id_login">' in html
    assert 'class="form-control" required id="id_login"' in html
    assert '<button class="btn btn-primary" type="submit">' in html


def test_login_page_in_english_when_chosen(client, db):
    client.cookies["django_language"] = "en"

    response = client.get(reverse("account_login"))

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<title>Sign In · Sinergi</title>" in html


def test_email_page_shows_current_address_and_change_field(client, member):
    log_in(client, member.email)

    html = client.get(reverse("account_email")).content.decode()

    assert 'id="current_email" value="member@example.test" disabled' in html
    assert '<label class="form-label" for="id_email">' in html
