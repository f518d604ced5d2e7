"""The admin: pages load for site administrators, lifecycle actions go through the services, and
nothing else changes there (the organizer screens, linked from each page, do that)."""

from datetime import time

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from core.models import AuditEntry
from meetings.models import Meeting
from tests.factories import AgendaItemFactory, OnlineRoomFactory
from tests.meetings.test_views_meeting import edit_data

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


def test_admin_cannot_add_a_meeting(admin_client):
    assert admin_client.get(reverse("admin:meetings_meeting_add")).status_code == 403
    assert Meeting.objects.count() == 0


def meeting_form(meeting, **changes) -> dict:
    """What the old admin change form of a meeting posted (its inlines unchanged)."""
    return {
        **edit_data(meeting, **changes),
        "organizers": [u.pk for u in meeting.organizers.all()],
        "secretaries": [u.pk for u in meeting.secretaries.all()],
        **{
            f"{prefix}-{count}": "0"
            for prefix in ("days", "online_room")
            for count in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }


def snapshot(meeting):
    meeting.refresh_from_db()
    return {
        "meeting": (meeting.venue_name, meeting.calendar_sequence, meeting.starts_on),
        "days": list(meeting.days.values_list("date", "start_time", "end_time")),
        "audit": AuditEntry.objects.count(),
        "tasks": DBTaskResult.objects.count(),
    }


def test_admin_change_of_a_published_meeting_is_refused_and_changes_nothing(admin_client, published_meeting):
    before = snapshot(published_meeting)
    url = reverse("admin:meetings_meeting_change", args=[published_meeting.pk])

    response = admin_client.post(url, meeting_form(published_meeting, venue_name="Hotel Lain"))

    assert response.status_code == 403
    assert snapshot(published_meeting) == before


def test_admin_change_of_day_hours_is_refused_and_changes_nothing(admin_client, published_meeting):
    day = published_meeting.days.order_by("date").first()
    before = snapshot(published_meeting)
    url = reverse("admin:meetings_meetingday_change", args=[day.pk])
    form = {
        "meeting": published_meeting.pk,
        "date": "2031-09-21",
        "start_time": "08:00",
        "end_time": "16:00",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }

    response = admin_client.post(url, form)

    assert response.status_code == 403
    assert snapshot(published_meeting) == before
    assert (day.start_time, day.end_time) == (time(9), time(15))


@pytest.mark.parametrize("name", ["meeting", "meetingday", "agendaitem", "onlineroom"])
def test_admin_pages_are_read_only_and_link_to_the_organizer_screen(admin_client, meeting, name):
    room = OnlineRoomFactory(meeting=meeting)
    day = meeting.days.order_by("date").first()
    obj, screen = {
        "meeting": (meeting, meeting.urls.edit),
        "meetingday": (day, meeting.urls.agenda),
        "agendaitem": (day.items.first(), meeting.urls.agenda),
        "onlineroom": (room, meeting.urls.online_room),
    }[name]
    change_url = reverse(f"admin:meetings_{name}_change", args=[obj.pk])

    response = admin_client.get(change_url)

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert f'<a href="{screen}">Buka layar penyelenggara</a>' in response.content.decode()
    assert admin_client.post(change_url, {}).status_code == 403
    assert (
        admin_client.post(
            reverse(f"admin:meetings_{name}_delete", args=[obj.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert admin_client.get(reverse(f"admin:meetings_{name}_add")).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_admin_shows_zoom_webhook_deliveries_read_only(admin_client):
    from meetings.models import ZoomWebhookEvent

    delivery = ZoomWebhookEvent.objects.create(
        event="meeting.participant_joined",
        payload={"payload": {"object": {"participant": {"user_name": "<b>Rendra</b>"}}}},
        timestamp=1947810000,
        digest="a" * 64,
        outcome="participant joined",
    )
    listing = admin_client.get(reverse("admin:meetings_zoomwebhookevent_changelist"))
    assert "participant joined" in listing.content.decode()
    page = admin_client.get(reverse("admin:meetings_zoomwebhookevent_change", args=[delivery.pk]))
    html = page.content.decode()
    assert "&lt;b&gt;Rendra&lt;/b&gt;" in html
    assert "<b>Rendra</b>" not in html
    assert 'name="outcome"' not in html  # nothing to edit
    response = admin_client.post(
        reverse("admin:meetings_zoomwebhookevent_delete", args=[delivery.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ZoomWebhookEvent.objects.filter(pk=delivery.pk).exists()
