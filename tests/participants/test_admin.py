"""Admin pages of the participants app load and save through the services."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from participants.models import AgendaRole, Organization
from tests.factories import (
    AgendaRoleFactory,
    MeetingHostFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(email="admin@example.test", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["organization", "person", "meetinghost", "agendarole"])
def test_admin_changelists_load_and_search(admin_client, model):
    parent = OrganizationFactory(name="Kemnaker")
    person = PersonFactory(organization=OrganizationFactory(name="Ditjen Binapenta", parent=parent))
    MeetingHostFactory(organization=parent)
    AgendaRoleFactory(person=person, role=AgendaRole.Role.MODERATOR)
    url = reverse(f"admin:participants_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "binapenta"}).status_code == 200


def test_admin_organization_add_rejects_duplicate_name(admin_client):
    OrganizationFactory(name="Kementerian Luar Negeri")
    response = admin_client.post(
        reverse("admin:participants_organization_add"),
        {"name": "kementerian luar negeri", "kind": "ministry", "timezone": "Asia/Jakarta"},
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["name"]
    assert Organization.objects.count() == 1


def test_admin_organization_add_writes_audit_log(admin_client):
    response = admin_client.post(
        reverse("admin:participants_organization_add"),
        {
            "name": "Kementerian Perhubungan",
            "acronym": "Kemenhub",
            "kind": "ministry",
            "timezone": "Asia/Jakarta",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get()
    assert list(AuditEntry.objects.filter(object_id=str(org.pk)).values_list("action", flat=True)) == [
        "organization.created"
    ]
