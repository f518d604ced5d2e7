"""The public .ics download and the "add to calendar" links of the public meeting page."""

from __future__ import annotations

import re
from datetime import date, time
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date
from icalendar import Calendar

from meetings.models import Meeting
from participants.models import Registration
from tests.conftest import login
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    OnlineRoomFactory,
)

pytestmark = pytest.mark.django_db

# The meeting (with its online room and last audit time), days, items, roles (with people).
ICS_QUERIES = 4


def url(meeting, items=False):
    return f"/m/{meeting.code}/calendar.ics" + ("?items=1" if items else "")


def uids(response) -> list[str]:
    return [str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]


# Download ------------------------------------------------------------------------------------


def test_calendar_download_is_an_attachment_with_one_event_per_day(client, published_meeting):
    day1, day2 = published_meeting.days.order_by("date")

    response = client.get(url(published_meeting))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{published_meeting.code}.ics"'
    assert response["Cache-Control"] == "public, max-age=300"
    assert uids(response) == [
        f"sinergi-{published_meeting.code}-{day1.pk}@testserver",
        f"sinergi-{published_meeting.code}-{day2.pk}@testserver",
    ]


def test_calendar_download_with_items_adds_the_agenda(client, published_meeting):
    day1, day2 = published_meeting.days.order_by("date")
    opening, talk = day1.items.order_by("start_time")

    response = client.get(url(published_meeting, items=True))

    code = published_meeting.code
    assert uids(response) == [
        f"sinergi-{code}-{day1.pk}@testserver",
        f"sinergi-{code}-item-{opening.pk}@testserver",
        f"sinergi-{code}-item-{talk.pk}@testserver",
        f"sinergi-{code}-{day2.pk}@testserver",
    ]


@pytest.mark.parametrize("items", ["0", "yes", ""])
def test_calendar_download_other_items_values_mean_days_only(client, published_meeting, items):
    response = client.get(url(published_meeting) + f"?items={items}")

    assert len(uids(response)) == 2


@pytest.mark.parametrize("status", [Meeting.Status.HELD, Meeting.Status.CLOSED, Meeting.Status.CANCELLED])
def test_calendar_download_for_every_public_status(client, published_meeting, status):
    Meeting.objects.filter(pk=published_meeting.pk).update(status=status)

    response = client.get(url(published_meeting))

    statuses = [str(e["STATUS"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    expected = "CANCELLED" if status == Meeting.Status.CANCELLED else "CONFIRMED"
    assert (response.status_code, statuses) == (200, [expected, expected])


def test_calendar_download_of_a_draft_is_404_even_for_its_organizer(client, meeting, organizer):
    assert meeting.days.count() == 2
    assert client.get(url(meeting)).status_code == 404
    login(client, organizer)
    response = client.get(url(meeting, items=True))
    assert response.status_code == 404
    assert meeting.title.encode() not in response.content


def test_calendar_download_of_an_unknown_code_is_404(client):
    assert client.get("/m/nosuchcd/calendar.ics").status_code == 404


def test_calendar_download_never_has_a_personal_join_link(client, published_meeting):
    OnlineRoomFactory(
        meeting=published_meeting, join_url="https://zoom.example.test/j/8080", open_to_public=True
    )
    Registration.objects.create(
        meeting=published_meeting,
        full_name="Peserta Daring",
        email="peserta@example.test",
        mode=Registration.Mode.ONLINE,
        state=Registration.State.CONFIRMED,
        personal_join_url="https://zoom.example.test/w/8080?tk=PERSONAL-SECRET-4242",
    )
    assert Registration.objects.filter(personal_join_url__contains="PERSONAL-SECRET-4242").count() == 1

    for items in (False, True):
        response = client.get(url(published_meeting, items=items))
        unfolded = response.content.replace(b"\r\n ", b"")  # RFC 5545 line folding
        assert b"PERSONAL-SECRET" not in unfolded
        assert b"peserta@example.test" not in unfolded
        assert b"https://zoom.example.test/j/8080" in unfolded


def test_calendar_download_answers_conditional_requests(client, published_meeting, organizer):
    first = client.get(url(published_meeting))
    etag, modified = first["ETag"], first["Last-Modified"]

    again = client.get(url(published_meeting), HTTP_IF_NONE_MATCH=etag)
    since = client.get(url(published_meeting), HTTP_IF_MODIFIED_SINCE=modified)
    items = client.get(url(published_meeting, items=True), HTTP_IF_NONE_MATCH=etag)

    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    assert (since.status_code, since.content) == (304, b"")
    # The per-item file is another representation, with its own ETag.
    assert items.status_code == 200
    assert items["ETag"] != etag
    assert modified == http_date(published_meeting.updated_at.timestamp())


def _meeting_with_items(count: int) -> Meeting:
    meeting = MeetingFactory(status=Meeting.Status.PUBLISHED)
    OnlineRoomFactory(meeting=meeting)
    days = [
        MeetingDayFactory(meeting=meeting, date=date(2031, 6, d), start_time=time(7), end_time=time(22))
        for d in (2, 3, 4)
    ]
    for n in range(count):
        day = days[n % 3]
        slot = n // 3
        item = AgendaItemFactory(
            day=day,
            start_time=time(7 + slot // 2, 30 * (slot % 2)),
            end_time=time(7 + slot // 2, 29 + 30 * (slot % 2)),
        )
        AgendaRoleFactory(agenda_item=item)
    return meeting


def test_calendar_download_runs_a_fixed_number_of_queries(client):
    small, large = _meeting_with_items(1), _meeting_with_items(60)
    counts = []
    for meeting in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(meeting, items=True))
        assert response.status_code == 200
        counts.append((len(ctx.captured_queries), len(uids(response))))

    assert counts == [(ICS_QUERIES, 3 + 1), (ICS_QUERIES, 3 + 60)]


# "Add to calendar" links on the public page ----------------------------------------------------


def links(response) -> dict[str, list[str]]:
    html = response.content.decode()
    section = re.search(r'<section[^>]*id="add-to-calendar".*?</section>', html, re.S)
    if not section:
        return {}
    hrefs = [unescape(h) for h in re.findall(r'href="([^"]+)"', section.group(0))]
    return {
        "ics": [h for h in hrefs if h.startswith("/m/")],
        "google": [h for h in hrefs if h.startswith("https://calendar.google.com/")],
        "outlook": [h for h in hrefs if h.startswith("https://outlook.live.com/")],
    }


def test_public_page_links_to_the_calendar_files(client, published_meeting):
    response = client.get(f"/m/{published_meeting.code}/")

    assert links(response)["ics"] == [url(published_meeting), url(published_meeting, items=True)]


def test_public_page_google_and_outlook_links_carry_the_day_exactly(client, organizer):
    meeting = MeetingFactory(
        title="FGD Pengawasan P3MI & Sinergi #2",
        theme="Koordinasi, pengawasan; tindak lanjut",
        mode=Meeting.Mode.HYBRID,
        venue_name="Kantor BP3MI Sulawesi Selatan",
        timezone="Asia/Makassar",
        status=Meeting.Status.PUBLISHED,
    )
    OnlineRoomFactory(meeting=meeting, join_url="https://zoom.example.test/j/777", open_to_public=True)
    MeetingDayFactory(meeting=meeting, date=date(2031, 9, 22), start_time=time(9), end_time=time(15))

    found = links(client.get(f"/m/{meeting.code}/"))

    assert len(found["google"]) == len(found["outlook"]) == 1
    google, outlook = urlsplit(found["google"][0]), urlsplit(found["outlook"][0])
    details = f"Koordinasi, pengawasan; tindak lanjut\n\nhttps://zoom.example.test/j/777\n\nhttp://testserver/m/{meeting.code}/"
    assert (google.scheme, google.netloc, google.path) == ("https", "calendar.google.com", "/calendar/render")
    assert parse_qs(google.query) == {
        "action": ["TEMPLATE"],
        "text": ["FGD Pengawasan P3MI & Sinergi #2"],
        # 09.00-15.00 WITA is 01.00-07.00 UTC.
        "dates": ["20310922T010000Z/20310922T070000Z"],
        "details": [details],
        "location": ["Kantor BP3MI Sulawesi Selatan, Daring"],
        "ctz": ["Asia/Makassar"],
    }
    assert (outlook.netloc, outlook.path) == ("outlook.live.com", "/calendar/0/deeplink/compose")
    assert parse_qs(outlook.query) == {
        "path": ["/calendar/action/compose"],
        "rru": ["addevent"],
        "subject": ["FGD Pengawasan P3MI & Sinergi #2"],
        "startdt": ["2031-09-22T01:00:00Z"],
        "enddt": ["2031-09-22T07:00:00Z"],
        "body": [details],
        "location": ["Kantor BP3MI Sulawesi Selatan, Daring"],
    }
    # Everything is encoded: no raw space, &, # or newline inside a parameter.
    assert " " not in found["google"][0]
    assert "#" not in found["google"][0]
    assert found["google"][0].count("&") == 5
    assert found["outlook"][0].count("&") == 6


def test_public_page_has_one_pair_of_links_per_day(client, published_meeting):
    found = links(client.get(f"/m/{published_meeting.code}/"))

    dates = [parse_qs(urlsplit(g).query)["dates"][0] for g in found["google"]]
    starts = [parse_qs(urlsplit(o).query)["startdt"][0] for o in found["outlook"]]
    assert dates == ["20310922T020000Z/20310922T080000Z", "20310923T020000Z/20310923T050000Z"]
    assert starts == ["2031-09-22T02:00:00Z", "2031-09-23T02:00:00Z"]


@pytest.mark.parametrize("status", [Meeting.Status.HELD, Meeting.Status.CANCELLED])
def test_public_page_offers_google_and_outlook_only_while_published(client, published_meeting, status):
    Meeting.objects.filter(pk=published_meeting.pk).update(status=status)

    found = links(client.get(f"/m/{published_meeting.code}/"))

    assert found == {
        "ics": [url(published_meeting), url(published_meeting, items=True)],
        "google": [],
        "outlook": [],
    }


def test_draft_preview_has_no_calendar_links(client, meeting, organizer):
    login(client, organizer)

    response = client.get(f"/m/{meeting.code}/?preview=1")

    assert response.status_code == 200
    assert links(response) == {}
