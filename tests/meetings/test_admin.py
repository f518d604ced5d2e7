"""The admin: pages load for site administrators, lifecycle actions go through the services."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry, User
from meetings.models import Meeting
from tests.factories import AgendaItemFactory, OnlineRoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser(email="admin@example.test", password="x", full_name="Admin")
    client.force_login(user)
    return client


def test_admin_meeting_changelist_searches_by_title(admin_client, meeting):
    response = admin_client.get(reverse("admin:meetings_meeting_changelist"), {"q": "P3MI"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [meeting]


def test_admin_meeting_changelist_filters_by_status(admin_client, meeting, other_organizer):
    response = admin_client.get(reverse("admin:meetings_meeting_changelist"), {"status__exact": "published"})
    assert list(response.context["cl"].result_list) == []


def test_admin_meeting_change_page_shows_days_inline(admin_client, meeting):
    response = admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 200
    assert "2031-09-22" in response.content.decode()


def test_admin_meeting_status_is_read_only(admin_client, meeting):
    response = admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert "status" not in response.context["adminform"].form.fields


def test_admin_publish_action_uses_service_and_audit(admin_client, meeting):
    response = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "action_publish", "_selected_action": [meeting.pk]},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert list(
        AuditEntry.objects.filter(action__startswith="meeting.")
        .exclude(action__startswith="meeting.reminders_")  # written by participants' receivers
        .values_list("action", flat=True)
    ) == ["meeting.publish"]


def test_admin_invalid_action_changes_nothing(admin_client, meeting):
    admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "action_close", "_selected_action": [meeting.pk]},
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


@pytest.mark.parametrize(("name", "expected"), [("meetingday", 2), ("agendaitem", 3), ("onlineroom", 1)])
def test_admin_other_changelists_search_by_meeting_code(admin_client, meeting, name, expected):
    AgendaItemFactory(day=meeting.days.first(), title="Tanya jawab")
    OnlineRoomFactory(meeting=meeting)
    response = admin_client.get(reverse(f"admin:meetings_{name}_changelist"), {"q": meeting.code})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == expected


def test_admin_meeting_day_change_page_shows_items(admin_client, meeting):
    day = meeting.days.first()
    response = admin_client.get(reverse("admin:meetings_meetingday_change", args=[day.pk]))
    assert response.status_code == 200
    assert "Pembukaan" in response.content.decode()


def test_admin_add_meeting_page_loads(admin_client):
    assert admin_client.get(reverse("admin:meetings_meeting_add")).status_code == 200
