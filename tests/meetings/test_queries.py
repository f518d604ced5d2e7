"""Page cost independent of size: the organizer's list and the public page run fixed queries."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting
from tests.conftest import login
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    MeetingHostFactory,
    OnlineRoomFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

# Session, user, page count, the page of meetings (with its day count annotated).
LIST_QUERIES = 4
# Meeting (with online room), hosts (with organizations), days, items, roles (with people and
# their organizations), confirmed counts per mode, the opt-in participant list, and one per
# panel of the apps above (the published minutes). Anonymous visitors cost no session or user query.
PUBLIC_QUERIES = 8


def make_meetings(organizer, count):
    for n in range(count):
        m = MeetingFactory(organizers=[organizer])
        MeetingDayFactory(meeting=m, date=date(2031, 1, 1) + timedelta(days=n))


def list_queries(client, url="/meetings/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_meeting_list_queries_do_not_grow_with_meetings(client, organizer):
    login(client, organizer)
    make_meetings(organizer, 5)
    small, response = list_queries(client)
    assert len(response.context["meetings"]) == 5
    make_meetings(organizer, 195)
    large, response = list_queries(client)
    assert len(response.context["meetings"]) == 25
    assert response.context["paginator"].count == 200
    assert (small, large) == (LIST_QUERIES, LIST_QUERIES)


def test_meeting_list_with_filters_runs_the_same_queries(client, organizer):
    login(client, organizer)
    make_meetings(organizer, 30)
    count, response = list_queries(client, "/meetings/?q=Rapat&status=draft&kind=fgd&starts_from=2031-01-01")
    assert response.context["paginator"].count == 30
    assert count == LIST_QUERIES


def build_agenda(meeting, items: int, speakers: int):
    days = [
        MeetingDayFactory(
            meeting=meeting, date=date(2031, 9, 22) + timedelta(days=n), start_time=time(7), end_time=time(22)
        )
        for n in range(max(1, (items + 14) // 15))
    ]
    made = []
    for n in range(items):
        day = days[n // 15]
        start = 7 + n % 15
        made.append(
            AgendaItemFactory(day=day, start_time=time(start), end_time=time(start, 50), title=f"Sesi {n}")
        )
    for n in range(speakers):
        AgendaRoleFactory(agenda_item=made[n % len(made)], person=PersonFactory(full_name=f"Narasumber {n}"))
    MeetingHostFactory(meeting=meeting)
    MeetingHostFactory(meeting=meeting)
    OnlineRoomFactory(meeting=meeting, host_url="https://zoom.example.test/s/host")


def public_queries(client, meeting):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(meeting.urls.public)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_public_page_queries_are_fixed_for_a_large_agenda(client):
    small = MeetingFactory(status=Meeting.Status.PUBLISHED)
    build_agenda(small, items=2, speakers=1)
    large = MeetingFactory(status=Meeting.Status.PUBLISHED)
    build_agenda(large, items=60, speakers=40)

    small_count, _body = public_queries(client, small)
    large_count, body = public_queries(client, large)

    assert body.count("Narasumber ") == 40
    assert "Sesi 59" in body
    assert (small_count, large_count) == (PUBLIC_QUERIES, PUBLIC_QUERIES)


def test_public_page_queries_are_fixed_for_a_signed_in_visitor(client, organizer):
    large = MeetingFactory(status=Meeting.Status.PUBLISHED)
    build_agenda(large, items=60, speakers=40)
    login(client, organizer)
    count, _body = public_queries(client, large)
    # Plus the session, the user, and whether they staff the meeting (who sees a private room's link).
    assert count == PUBLIC_QUERIES + 3
