"""The token pages: a signed-in user creates a token (its secret shown once, only a digest
stored), lists and revokes their own, never another user's; each change is in the audit log."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from api import services
from api.models import ApiToken
from core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(email="analis@example.test", full_name="Analis Kebijakan")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def create(client, name="Sistem informasi kebijakan"):
    return client.post(reverse("api:token_create"), {"name": name})


def test_the_profile_links_to_the_tokens(signed_in):
    page = signed_in.get(reverse("accounts:profile")).content.decode()

    assert reverse("api:tokens") in page


def test_a_new_tokens_secret_is_shown_once_and_only_its_digest_kept(signed_in, user):
    response = create(signed_in)

    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("sng_")
    assert len(secret) > 40
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    assert token.name == "Sistem informasi kebijakan"
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.fields]).get()]
    assert not any(secret in value for value in stored)
    assert secret[:10] in token.prefix
    # Never again: not on the list, not in the audit log.
    listing = signed_in.get(reverse("api:tokens")).content.decode()
    assert "Sistem informasi kebijakan" in listing
    assert secret not in listing
    entry = AuditEntry.objects.get(action="api.token_created")
    assert entry.actor == user
    assert secret not in str(entry.data)
    # And it works.
    api = signed_in.get(reverse("api:meeting-list"), headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200


def test_a_name_is_required(signed_in, user):
    response = create(signed_in, name="  ")

    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.filter(action="api.token_created").exists()


def test_too_many_active_tokens_are_refused(signed_in, user):
    for n in range(services.MAX_TOKENS_PER_USER):
        services.create_token(user, name=f"Token {n}")

    response = create(signed_in)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert ApiToken.objects.filter(user=user).count() == services.MAX_TOKENS_PER_USER


def test_revoking_ones_own_token(signed_in, user):
    token, secret = services.create_token(user, name="Dasbor")

    response = signed_in.post(reverse("api:token_revoke", kwargs={"pk": token.pk}))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.authenticate(secret) is None
    assert AuditEntry.objects.filter(action="api.token_revoked", actor=user).count() == 1
    # A second time changes nothing.
    signed_in.post(reverse("api:token_revoke", kwargs={"pk": token.pk}))
    assert AuditEntry.objects.filter(action="api.token_revoked").count() == 1
    listing = signed_in.get(reverse("api:tokens")).content.decode()
    assert reverse("api:token_revoke", kwargs={"pk": token.pk}) not in listing


def test_another_users_token_is_neither_listed_nor_revocable(signed_in, user):
    other = UserFactory(email="lain@example.test")
    token, secret = services.create_token(other, name="Token milik orang lain")

    listing = signed_in.get(reverse("api:tokens")).content.decode()
    response = signed_in.post(reverse("api:token_revoke", kwargs={"pk": token.pk}))

    assert "Token milik orang lain" not in listing
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert services.authenticate(secret) == token
    assert not AuditEntry.objects.filter(action="api.token_revoked").exists()


def test_revoking_needs_a_post(signed_in, user):
    token, _secret = services.create_token(user, name="Dasbor")

    assert signed_in.get(reverse("api:token_revoke", kwargs={"pk": token.pk})).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_users_go_to_the_login(client):
    for name in ("api:tokens", "api:token_create"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    assert client.post(reverse("api:token_create"), {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_last_used_is_written_at_most_once_a_minute(user, django_assert_num_queries):
    token, secret = services.create_token(user, name="Dasbor")
    assert token.last_used_at is None

    first = services.authenticate(secret)
    assert first.last_used_at is not None
    with django_assert_num_queries(1):  # the lookup only, no UPDATE
        assert services.authenticate(secret).last_used_at == first.last_used_at


def test_an_inactive_users_token_does_not_authenticate(user):
    _token, secret = services.create_token(user, name="Dasbor")
    user.is_active = False
    user.save()

    assert services.authenticate(secret) is None
