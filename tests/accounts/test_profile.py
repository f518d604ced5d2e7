"""The profile page: what it shows, and editing name and position through accounts.services."""

import pytest
from django.urls import reverse

from accounts import services
from core.models import AuditEntry


def test_profile_redirects_anonymous_to_login(client, db):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('accounts:profile')}"


def test_profile_shows_details_and_organizer_role(client, organizer_verified):
    organizer_verified.position = "Direktur Pelindungan"
    organizer_verified.save()
    client.force_login(organizer_verified)

    response = client.get(reverse("accounts:profile"))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["is_organizer"] is True
    assert response.context["email_verified"] is True
    assert response.context["has_totp"] is False
    for text in ("Lismia Elita", "organizer@example.test", "Direktur Pelindungan"):
        assert text in html
    for name in ("account_email", "account_change_password", "mfa_index"):
        assert f'href="{reverse(name)}"' in html


def test_profile_shows_participant_role_for_non_organizer(client, member):
    client.force_login(member)

    response = client.get(reverse("accounts:profile"))

    assert response.context["is_organizer"] is False


def test_profile_edit_saves_and_writes_audit_entry(client, member):
    client.force_login(member)

    response = client.post(
        reverse("accounts:profile"), {"full_name": "Rina W. Lestari ", "position": "Analis Kebijakan"}
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    member.refresh_from_db()
    assert (member.full_name, member.position) == ("Rina W. Lestari", "Analis Kebijakan")
    entries = list(AuditEntry.objects.values_list("actor", "action", "object_id", "data"))
    assert entries == [
        (
            member.pk,
            "account.profile_updated",
            str(member.pk),
            {
                "changes": {
                    "full_name": ["Rina Wulandari", "Rina W. Lestari"],
                    "position": ["", "Analis Kebijakan"],
                }
            },
        )
    ]


def test_profile_edit_without_name_shows_error_and_changes_nothing(client, member):
    client.force_login(member)

    response = client.post(reverse("accounts:profile"), {"full_name": "", "position": "Analis"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["full_name"]
    assert 'aria-invalid="true"' in response.content.decode()
    member.refresh_from_db()
    assert (member.full_name, member.position) == ("Rina Wulandari", "")
    assert AuditEntry.objects.count() == 0


def test_profile_edit_without_changes_writes_no_audit_entry(client, member):
    client.force_login(member)

    response = client.post(reverse("accounts:profile"), {"full_name": "Rina Wulandari", "position": ""})

    assert response.status_code == 302
    assert AuditEntry.objects.count() == 0


def test_update_profile_returns_changed_fields(member):
    assert services.update_profile(member, full_name="Rina Wulandari", position="Kepala Seksi") == [
        "position"
    ]
    assert services.update_profile(member, full_name="Rina Wulandari", position="Kepala Seksi") == []
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["account.profile_updated"]


def test_update_profile_refuses_other_fields(member):
    with pytest.raises(TypeError):
        services.update_profile(member, can_organize=True)

    member.refresh_from_db()
    assert member.can_organize is False
