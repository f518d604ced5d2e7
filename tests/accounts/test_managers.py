"""The user manager: email login, normalised addresses, superusers may organize."""

import pytest

from accounts.models import User


def test_create_user_normalises_email_to_lowercase(db):
    user = User.objects.create_user("Budi.Santoso@BP2MI.GO.ID", "secret-pass-123", full_name="Budi")

    assert user.email == "budi.santoso@bp2mi.go.id"
    assert user.check_password("secret-pass-123")
    assert (user.is_staff, user.is_superuser, user.can_organize) == (False, False, False)


def test_create_user_without_email_raises(db):
    with pytest.raises(ValueError, match="An email address is required"):
        User.objects.create_user("", "secret-pass-123")


def test_create_superuser_gets_can_organize(db):
    user = User.objects.create_superuser("Admin@Example.TEST", "secret-pass-123")

    assert user.email == "admin@example.test"
    assert (user.is_staff, user.is_superuser, user.can_organize) == (True, True, True)


def test_user_str_falls_back_to_email(db):
    assert str(User(email="a@example.test")) == "a@example.test"
    assert str(User(email="a@example.test", full_name="Ani Lestari")) == "Ani Lestari"
    assert User(email="a@example.test", full_name="Ani Lestari").get_short_name() == "Ani"
