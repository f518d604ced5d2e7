"""TOTP through allauth.mfa's views: activation (after reauthentication), then login asks for a code."""

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, activate_totp, log_in, totp_code


def test_activate_totp_creates_authenticator_and_recovery_codes(client, member):
    activate_totp(client, member)

    types = sorted(Authenticator.objects.filter(user=member).values_list("type", flat=True))
    assert types == [Authenticator.Type.RECOVERY_CODES, Authenticator.Type.TOTP]
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    unused = RecoveryCodes(Authenticator.objects.get(user=member, type="recovery_codes")).get_unused_codes()
    assert len(unused) == 10
    assert unused[0] in codes.content.decode()
    index = client.get(reverse("mfa_index"))
    assert index.context["authenticators"]["totp"].instance.user == member
    assert f'href="{reverse("mfa_deactivate_totp")}"' in index.content.decode()


def test_activate_totp_with_wrong_code_is_refused(client, member):
    log_in(client, member.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    wrong = "000000" if totp_code(page.context["form"].secret) != "000000" else "111111"

    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]
    assert 'id="id_code_errors"' in response.content.decode()
    assert Authenticator.objects.filter(user=member).count() == 0


def test_login_with_totp_requires_code(client, member):
    secret = activate_totp(client, member)
    client.post(reverse("account_logout"))

    response = log_in(client, member.email)

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    assert '<label class="form-label" for="id_code">' in page.content.decode()

    wrong = client.post(reverse("mfa_authenticate"), {"code": "12345x"})
    assert wrong.status_code == 200
    assert list(wrong.context["form"].errors) == ["code"]
    assert SESSION_KEY not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.session[SESSION_KEY] == str(member.pk)


def test_login_with_recovery_code_instead_of_totp(client, member):
    activate_totp(client, member)
    client.post(reverse("account_logout"))
    code = RecoveryCodes(Authenticator.objects.get(user=member, type="recovery_codes")).get_unused_codes()[0]

    log_in(client, member.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)
    rc = RecoveryCodes(Authenticator.objects.get(user=member, type="recovery_codes"))
    assert code not in rc.get_unused_codes()


def test_deactivate_totp_through_view(client, member):
    activate_totp(client, member)
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_index")
    assert list(Authenticator.objects.filter(user=member)) == []
