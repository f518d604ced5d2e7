"""The dashboard: per meeting the counts an organizer checks every morning, in a fixed number
of queries however many meetings there are, and no promise of features that do not exist."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from participants.models import Attendance, Registration
from tests.factories import MeetingDayFactory, MeetingFactory
from tests.participants.test_registration_list import make_registration

pytestmark = pytest.mark.django_db

State, Mode = Registration.State, Registration.Mode


def populate(meeting, today):
    day = MeetingDayFactory(meeting=meeting, date=today)
    yesterday = MeetingDayFactory(meeting=meeting, date=today - timedelta(days=1))
    ani = make_registration(meeting, "Ani", mode=Mode.ONSITE)
    budi = make_registration(meeting, "Budi", mode=Mode.ONSITE)
    make_registration(meeting, "Citra", mode=Mode.ONLINE)
    make_registration(meeting, "Dewi", mode=Mode.ONSITE, state=State.WAITLISTED)
    make_registration(meeting, "Eko", mode=Mode.ONLINE, state=State.WAITLISTED)
    make_registration(meeting, "Fajar", mode=Mode.ONLINE, state=State.PENDING)
    make_registration(meeting, "Gita", mode=Mode.ONSITE, state=State.CANCELLED)
    now = timezone.now()
    Attendance.objects.create(registration=ani, day=day, first_seen_at=now)
    Attendance.objects.create(registration=budi, day=yesterday, first_seen_at=now - timedelta(days=1))


def test_dashboard_shows_counts_per_meeting(client, organizer, meeting):
    today = timezone.localdate()
    populate(meeting, today)
    empty = MeetingFactory(title="Rapat Kosong", organizers=[organizer])
    client.force_login(organizer)
    response = client.get(reverse("dashboard"))
    rows = {
        m.title: (m.confirmed_onsite, m.confirmed_online, m.waiting, m.pending, m.checked_in_today)
        for m in response.context["staffed"]
    }
    assert rows == {meeting.title: (2, 1, 2, 1, 1), empty.title: (0, 0, 0, 0, 0)}
    body = response.content.decode()
    assert f'href="{meeting.urls.registrations}?state=pending"' in body


def test_dashboard_runs_a_fixed_number_of_queries(client, organizer):
    today = timezone.localdate()
    client.force_login(organizer)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        return len(queries)

    populate(MeetingFactory(organizers=[organizer]), today)
    few = cost()
    for _n in range(12):
        populate(MeetingFactory(organizers=[organizer]), today)
    assert cost() == few


def test_dashboard_promises_no_minutes(client, organizer, meeting):
    client.force_login(organizer)
    body = client.get(reverse("dashboard")).content.decode()
    assert "notula" not in body.lower()
    assert "Rapat Anda" in body


def test_dashboard_counts_no_other_meeting(client, secretary, meeting, other_organizer):
    other = MeetingFactory(title="Rapat Orang Lain", organizers=[other_organizer])
    populate(other, timezone.localdate())
    client.force_login(secretary)
    response = client.get(reverse("dashboard"))
    assert [(m.title, m.confirmed_onsite) for m in response.context["staffed"]] == [(meeting.title, 0)]
    assert Meeting.objects.count() == 2
