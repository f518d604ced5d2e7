"""Admin pages of the participants app: the directory saves through the services, the rest is
read-only and links to the organizer screens."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, OutgoingEmail
from directory.models import Organization, Person
from meetings.models import AgendaRole
from participants.models import AgencyInvitation, Attendance, Nomination
from participants.services import registration as registrations
from tests.factories import (
    AgendaRoleFactory,
    MeetingHostFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)


def app_of(model_name: str) -> str:
    """The admin's app label of a model name: the directory, meetings, or participants."""
    return {
        "organization": "directory",
        "person": "directory",
        "meetinghost": "meetings",
        "agendarole": "meetings",
    }.get(model_name, "participants")


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
    url = reverse(f"admin:{app_of(model)}_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "binapenta"}).status_code == 200


def test_admin_organization_add_rejects_duplicate_name(admin_client):
    OrganizationFactory(name="Kementerian Luar Negeri")
    response = admin_client.post(
        reverse("admin:directory_organization_add"),
        {"name": "kementerian luar negeri", "kind": "ministry", "timezone": "Asia/Jakarta"},
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["name"]
    assert Organization.objects.count() == 1


def test_admin_organization_add_writes_audit_log(admin_client):
    response = admin_client.post(
        reverse("admin:directory_organization_add"),
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


@pytest.fixture
def records(published_meeting, organizer):
    """One of each record of a meeting that the organizer screens change."""
    day = published_meeting.days.order_by("date").first()
    agency = OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
    registration = registrations.register(
        published_meeting,
        full_name="Siti Rahma",
        email="siti@example.test",
        mode="onsite",
        consent=True,
        check_window=False,
    ).registration
    return {
        "meetinghost": MeetingHostFactory(meeting=published_meeting, organization=agency),
        "agendarole": AgendaRoleFactory(agenda_item=day.items.first()),
        "agencyinvitation": AgencyInvitation.objects.create(
            meeting=published_meeting, organization=agency, quota=3, focal_point_email="fokal@kkp.go.id"
        ),
        "registration": registration,
        "attendance": Attendance.objects.create(
            registration=registration, day=day, how="onsite", first_seen_at=timezone.now()
        ),
        "nomination": Nomination.objects.create(
            invitation=AgencyInvitation.objects.get(meeting=published_meeting, organization=agency),
            full_name="Siti R.",
            email="siti@example.test",
            mode="onsite",
            state="asked",
        ),
    }


ORGANIZER_SCREENS = {
    "meetinghost": lambda obj, meeting: meeting.urls.hosts,
    "agendarole": lambda obj, meeting: reverse(
        "meetings:agenda_roles", kwargs={"code": meeting.code, "item_id": obj.agenda_item_id}
    ),
    "agencyinvitation": lambda obj, meeting: meeting.urls.invitations,
    "registration": lambda obj, meeting: f"{meeting.urls.registrations}?q={obj.code}",
    "attendance": lambda obj, meeting: meeting.urls.attendance,
    "nomination": lambda obj, meeting: meeting.urls.invitations,
}


@pytest.mark.parametrize(
    "name", ["meetinghost", "agendarole", "agencyinvitation", "registration", "attendance", "nomination"]
)
def test_admin_meeting_records_are_read_only_and_link_to_the_organizer_screen(
    admin_client, records, published_meeting, name
):
    obj = records[name]
    change_url = reverse(f"admin:{app_of(name)}_{name}_change", args=[obj.pk])

    response = admin_client.get(change_url)

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    screen = ORGANIZER_SCREENS[name](obj, published_meeting)
    assert f'<a href="{screen}">Buka layar penyelenggara</a>' in response.content.decode()
    assert admin_client.post(change_url, {}).status_code == 403
    delete_url = reverse(f"admin:{app_of(name)}_{name}_delete", args=[obj.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse(f"admin:{app_of(name)}_{name}_add")).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    ("name", "form", "kept"),
    [
        (  # handing an agency's invitation to someone else
            "agencyinvitation",
            {
                "quota": "10",
                "focal_point_email": "orang.lain@example.test",
                "language": "id",
                "reminder_count": "0",
            },
            {"quota": 3, "focal_point_email": "fokal@kkp.go.id"},
        ),
        (
            "registration",
            {"full_name": "Nama Lain", "email": "lain@example.test", "language": "id"},
            {"full_name": "Siti Rahma", "email": "siti@example.test"},
        ),
    ],
)
def test_admin_change_of_an_invitation_or_registration_is_refused(admin_client, records, name, form, kept):
    obj = records[name]
    audit_before, emails_before = AuditEntry.objects.count(), OutgoingEmail.objects.count()

    response = admin_client.post(reverse(f"admin:{app_of(name)}_{name}_change", args=[obj.pk]), form)

    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).values(*kept).get() == kept
    assert (AuditEntry.objects.count(), OutgoingEmail.objects.count()) == (audit_before, emails_before)


@pytest.mark.parametrize("model", [Organization, Person])
def test_admin_does_not_delete_directory_entries(admin_client, model):
    obj = PersonFactory() if model is Person else OrganizationFactory()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_admin_person_change_goes_through_the_service(admin_client):
    person = PersonFactory(full_name="Budi Santoso", organization=OrganizationFactory())
    url = reverse("admin:directory_person_change", args=[person.pk])
    form = {
        "full_name": "Budi Santoso, S.H.",
        "position": person.position,
        "organization": person.organization_id,
        "email": person.email,
        "phone": "",
    }

    response = admin_client.post(url, form)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Budi Santoso, S.H."
    assert list(AuditEntry.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)) == [
        "person.updated"
    ]
