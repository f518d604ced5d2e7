"""Sign-up with email verification, login, password reset and email change, through allauth's real views."""

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import PASSWORD, link_in, log_in


def test_signup_page_asks_full_name_with_visible_labels(client, db):
    response = client.get(reverse("account_signup"))

    html = response.content.decode()
    assert response.status_code == 200
    for field in ("email", "password1", "password2", "full_name"):
        assert f'<label class="form-label" for="id_{field}">' in html
    assert 'class="form-control"' in html


def test_signup_verification_link_verifies_email_and_logs_in(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Rina.Wulandari@Kemnaker.GO.ID",
            "password1": "Tahun-2021-fgd",
            "password2": "Tahun-2021-fgd",
            "full_name": "Rina Wulandari",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert (user.email, user.full_name) == ("rina.wulandari@kemnaker.go.id", "Rina Wulandari")
    assert SESSION_KEY not in client.session
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rina.wulandari@kemnaker.go.id"]
    assert mail.outbox[0].subject.startswith("[Sinergi] ")
    assert mail.outbox[0].body.startswith("Halo dari Sinergi!")

    confirm_url = link_in(mail.outbox[0])
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert page.context["confirmation"].email_address.email == "rina.wulandari@kemnaker.go.id"

    response = client.post(confirm_url)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("rina.wulandari@kemnaker.go.id", True, True)
    ]
    assert client.session[SESSION_KEY] == str(user.pk)


def test_signup_without_full_name_is_refused_next_to_the_field(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.test", "password1": "Tahun-2021-fgd", "password2": "Tahun-2021-fgd"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["full_name"]
    assert 'id="id_full_name_errors"' in response.content.decode()
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_login_with_email_and_password_logs_in(client, member):
    response = log_in(client, "MEMBER@example.test")

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.session[SESSION_KEY] == str(member.pk)


def test_login_with_wrong_password_shows_error(client, member):
    response = log_in(client, member.email, "not-the-password")

    assert response.status_code == 200
    message = str(get_adapter().error_messages["email_password_mismatch"])
    assert response.context["form"].non_field_errors() == [message]
    assert f'<div class="alert alert-danger" role="alert">{message}</div>' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_login_with_unverified_email_sends_verification_instead(client, db):
    from tests.factories import UserFactory

    user = UserFactory(email="new@example.test")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = log_in(client, user.email)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert SESSION_KEY not in client.session
    assert [m.to for m in mail.outbox] == [["new@example.test"]]


def test_password_reset_link_sets_new_password(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.email})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]

    # The emailed link redirects once to a URL without the key (kept in the session).
    page = client.get(link_in(mail.outbox[0]), follow=True)
    assert page.status_code == 200
    assert page.context.get("token_fail", False) is False
    assert "password1" in page.context["form"].fields
    form_url = page.redirect_chain[-1][0]

    response = client.post(form_url, {"password1": "Baru-2021-fgd", "password2": "Baru-2021-fgd"})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_from_key_done")
    member.refresh_from_db()
    assert member.check_password("Baru-2021-fgd")
    assert not member.check_password(PASSWORD)


def test_password_reset_with_bad_key_says_so(client, member):
    response = client.get(reverse("account_reset_password_from_key", args=["abc", "bad-key"]), follow=True)

    assert response.status_code == 200
    assert response.context["token_fail"] is True


def test_email_change_takes_effect_after_verification(client, member):
    log_in(client, member.email)
    assert client.get(reverse("account_email")).status_code == 200

    response = client.post(reverse("account_email"), {"action_add": "", "email": "rina@bp2mi.go.id"})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["rina@bp2mi.go.id"]]
    member.refresh_from_db()
    assert member.email == "member@example.test"  # unchanged until the new address is verified

    confirm_url = link_in(mail.outbox[0])
    response = client.post(confirm_url)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "rina@bp2mi.go.id"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", "verified", "primary")) == [
        ("rina@bp2mi.go.id", True, True)
    ]


def test_password_change_keeps_user_logged_in(client, member):
    log_in(client, member.email)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Baru-2021-fgd", "password2": "Baru-2021-fgd"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Baru-2021-fgd")
    assert client.session[SESSION_KEY] == str(member.pk)


def test_logout_ends_session(client, member):
    log_in(client, member.email)
    assert client.get(reverse("account_logout")).status_code == 200

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert SESSION_KEY not in client.session
