"""The admin: users with email login, and an audit log nobody can add to, edit or delete."""

import pytest
from django.urls import reverse

from accounts.models import User
from core import audit
from core.models import AuditEntry, OutgoingEmail


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("admin@example.test", "secret-pass-123"))
    return client


@pytest.fixture
def entry(member):
    return audit.record(member, "account.profile_updated", member, changes={"position": ["", "Analis"]})


def test_admin_user_changelist_lists_and_searches_users(admin_client, member, organizer_verified):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "Rina"})

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [member]


def test_admin_user_changelist_filters_organizers(admin_client, member, organizer_verified):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"can_organize__exact": "1"})

    assert sorted(u.email for u in response.context["cl"].queryset) == [
        "admin@example.test",
        "organizer@example.test",
    ]


def test_admin_user_change_page_loads(admin_client, member):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[member.pk]))

    assert response.status_code == 200
    assert b'name="full_name"' in response.content


def test_admin_user_add_creates_user_with_lowercase_email(admin_client):
    assert admin_client.get(reverse("admin:accounts_user_add")).status_code == 200

    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Narasumber@KEMLU.go.id",
            "full_name": "Narasumber Kemlu",
            "can_organize": "on",
            "usable_password": "true",
            "password1": "Tahun-2021-fgd",
            "password2": "Tahun-2021-fgd",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(full_name="Narasumber Kemlu")
    assert (user.email, user.can_organize, user.is_staff) == ("narasumber@kemlu.go.id", True, False)
    assert user.check_password("Tahun-2021-fgd")


def test_admin_user_add_refuses_duplicate_email_in_other_case(admin_client, member):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "MEMBER@example.test", "full_name": "Dup", "usable_password": "false"},
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["email"]


def test_admin_audit_log_changelist_loads(admin_client, entry):
    response = admin_client.get(reverse("admin:core_auditentry_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [entry]
    assert (
        '<td class="field-sentence">Rina Wulandari mengubah profil: jabatan dari “(kosong)” menjadi “Analis”</td>'
        in (response.content.decode())
    )


def test_admin_audit_log_add_is_forbidden(admin_client):
    response = admin_client.get(reverse("admin:core_auditentry_add"))

    assert response.status_code == 403


def test_admin_audit_log_entry_is_read_only(admin_client, entry):
    response = admin_client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False
    assert admin_client.post(reverse("admin:core_auditentry_delete", args=[entry.pk])).status_code == 403
    assert AuditEntry.objects.count() == 1


def test_admin_outgoing_emails_are_read_only_and_failed_ones_can_be_sent_again(admin_client, db):
    from core.mail import queue_email

    email = queue_email(key="k", to=["peserta@example.test"], builder="x.y", params={}, language="id")
    OutgoingEmail.objects.filter(pk=email.pk).update(state="failed", last_error="SMTPServerDisconnected")
    change_url = reverse("admin:core_outgoingemail_change", args=[email.pk])

    assert admin_client.get(change_url).context["has_change_permission"] is False
    assert admin_client.post(change_url, {"state": "sent"}).status_code == 403
    delete_url = reverse("admin:core_outgoingemail_delete", args=[email.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403

    response = admin_client.post(
        reverse("admin:core_outgoingemail_changelist"),
        {"action": "send_again", "_selected_action": [email.pk]},
    )

    assert response.status_code == 302
    email.refresh_from_db()
    assert email.state == "queued"


def test_admin_user_add_marks_policy_analyst(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "analis@bp2mi.go.id",
            "full_name": "Analis Kebijakan",
            "is_policy_analyst": "on",
            "usable_password": "false",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="analis@bp2mi.go.id")
    assert (user.is_policy_analyst, user.can_organize) == (True, False)


def test_admin_user_changelist_filters_policy_analysts(admin_client, member):
    User.objects.filter(pk=member.pk).update(is_policy_analyst=True)

    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"is_policy_analyst__exact": "1"})

    assert list(response.context["cl"].queryset) == [member]
    page = admin_client.get(reverse("admin:accounts_user_change", args=[member.pk]))
    assert b'name="is_policy_analyst"' in page.content
