"""A hybrid meeting's Zoom room in the browser, from publishing to the attendance summary.

An organizer asks for personal join links and publishes the meeting: the fake Zoom server
(tests/zoomfake.py) gets one recurring meeting with an occurrence per day. An online registrant's
confirmation and private page carry their own Zoom link, and once the fake reports the first day,
the attendance summary counts them online that day.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils.html import escape
from playwright.sync_api import expect

from meetings.models import OnlineRoom
from participants.models import Attendance, Registration
from tests.zoomfake import z

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "ayu.lestari@example.test"


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of September 2031 in Jakarta (UTC+7), the meeting's zone."""
    return datetime(2031, 9, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


def column(table, header: str) -> int:
    """The index of a column of `table`, found by its header text, as a reader finds it."""
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    return headers.index(header)


def test_hybrid_meeting_zoom_room_personal_link_and_online_attendance(
    page, browser, live_server, meeting, organizer, fake_zoom, run_tasks
):
    assert (meeting.mode, meeting.status, meeting.timezone) == ("hybrid", "draft", "Asia/Jakarta")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    log_in(page, organizer.email, "secret-pass-123")

    # 1. Personal join links on, then publish; the worker makes the Zoom meeting.
    page.goto(meeting.urls.online_room)
    page.get_by_label("Tautan bergabung pribadi").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Gunakan ruang Zoom").click()
    expect(page.locator("#room-state")).to_contain_text("Menunggu Zoom")
    page.goto(meeting.urls.detail)
    with page.expect_navigation():
        page.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Rapat telah diterbitkan.")
    run_tasks()

    page.goto(meeting.urls.online_room)
    expect(page.locator("#room-state")).to_contain_text("Selaras dengan Zoom")
    expect(page.get_by_label("Tautan bergabung pribadi")).to_be_checked()
    creates = fake_zoom.calls("POST", "/users/me/meetings")
    assert len(creates) == 1
    body = creates[0].body
    assert (body["type"], body["recurrence"], body["settings"]["approval_type"]) == (
        8,
        {"type": 1, "repeat_interval": 1, "end_times": 2},
        0,
    )
    room = OnlineRoom.objects.get(meeting=meeting)
    zoom_meeting = fake_zoom.meetings[int(room.provider_id)]
    # Each day of the meeting is an occurrence at its own hours (09.00–15.00 and 09.00–12.00 WIB).
    assert [(o["start_time"], o["duration"]) for o in zoom_meeting["occurrences"]] == [
        (z(wib(22, 9)), 360),
        (z(wib(23, 9)), 180),
    ]
    shared_url = room.join_url
    assert shared_url == zoom_meeting["join_url"]
    expect(page.locator("#room-state")).to_contain_text(shared_url)

    # 2. A person registers online on the public page, without an account.
    visitor = browser.new_context(base_url=live_server.url, locale="id-ID")
    try:
        public = visitor.new_page()
        public.set_default_timeout(10_000)
        public.goto(meeting.urls.public)
        public.locator("#register-button").click()
        public.wait_for_url(re.compile(r"/register/$"))
        public.fill("input[name=full_name]", "Ni Made Ayu Lestari")
        public.fill("input[name=position]", "Analis Pengaduan")
        public.fill("input[name=organization_name]", "BP3MI Bali")
        public.fill("input[name=email]", EMAIL)
        public.fill("input[name=phone]", "0812-3456-7890")
        public.check("input[name=mode][value=online]")
        public.check("input[name=consent]")
        with public.expect_navigation():
            public.locator("main form button[type=submit]").last.click()
        expect(public.locator("main")).to_contain_text(EMAIL)

        registration = Registration.objects.get(meeting=meeting)
        assert (registration.state, registration.mode) == ("confirmed", "online")
        assert mail.outbox == []  # held until Zoom has the person's link
        run_tasks()  # the registrants' sync, then the email it queues

        registrants = fake_zoom.registrants[zoom_meeting["id"]]
        assert [(r["email"], r["first_name"], r["last_name"]) for r in registrants] == [
            (EMAIL, "Ni Made Ayu", "Lestari")
        ]
        personal_url = registrants[0]["join_url"]
        assert personal_url != shared_url
        registration.refresh_from_db()
        assert (registration.zoom_registrant_id, registration.personal_join_url) == (
            registrants[0]["registrant_id"],
            personal_url,
        )
        assert [m.to for m in mail.outbox] == [[EMAIL]]
        confirmation = mail.outbox[0]
        parts = {kind.split(";")[0]: content for content, kind in confirmation.alternatives}
        ics = parts["text/calendar"]
        ics = ics.decode() if isinstance(ics, bytes) else ics
        ics = re.sub(r"\r?\n[ \t]", "", ics)  # unfolded: a long link is one line again
        for text in (confirmation.body, parts["text/html"], ics):
            assert escape(personal_url) in text or personal_url in text
            assert shared_url not in text
            assert escape(shared_url) not in text
        assert f"Bergabung secara daring: {personal_url}" in confirmation.body
        assert f'CONFERENCE;FEATURE="AUDIO,VIDEO";VALUE=URI:{personal_url}' in ics

        # The private link of the email opens a page with the personal link.
        private = re.search(r"https?://[^/\s]+(/r/\S+/)", confirmation.body).group(1)
        public.goto(private)
        joining = public.locator("main p", has_text="Bergabung secara daring")
        expect(joining.get_by_role("link", name=personal_url)).to_have_attribute("href", personal_url)
        expect(public.locator(f"a[href='{shared_url}']")).to_have_count(0)
    finally:
        visitor.close()

    # 3. Zoom reports the first day; the organizer imports the report.
    fake_zoom.reports[room.provider_id] = [
        {
            "id": "participant-ayu",
            "user_id": "16778240",
            "name": "Ni Made Ayu Lestari",
            "user_email": EMAIL,
            "join_time": z(wib(22, 9, 5)),
            "leave_time": z(wib(22, 11, 5)),
            "duration": 2 * 60 * 60,
            "registrant_id": registration.zoom_registrant_id,
            "status": "in_meeting",
        }
    ]
    page.goto(reverse("participants:zoom_attendance", args=[meeting.code]))
    with page.expect_navigation():
        page.get_by_role("button", name="Impor laporan Zoom sekarang").click()
    expect(page.locator(".alert-success")).to_be_visible()
    run_tasks()
    reports = fake_zoom.calls("GET", f"/report/meetings/{room.provider_id}/participants")
    assert len(reports) == 1
    assert list(Attendance.objects.values_list("registration__email", "day__date", "how", "minutes")) == [
        (EMAIL, meeting.days.order_by("date")[0].date, "zoom", 120)
    ]

    page.goto(meeting.urls.attendance)
    expect(page.get_by_role("heading", name="Kehadiran", exact=True)).to_be_visible()
    day1 = page.locator("table[data-day='2031-09-22']")
    day2 = page.locator("table[data-day='2031-09-23']")
    online = column(day1, "Daring")
    registered = column(day1, "Terdaftar")
    agency = day1.locator("tbody tr", has_text="BP3MI Bali")
    expect(agency.locator("th, td").nth(registered)).to_have_text("1")
    expect(agency.locator("th, td").nth(online)).to_have_text("1")
    expect(day1.locator("tfoot tr[data-total] th, tfoot tr[data-total] td").nth(online)).to_have_text("1")
    # Zoom reported nothing of the second day: nobody online there.
    expect(day2.locator("tfoot tr[data-total] th, tfoot tr[data-total] td").nth(online)).to_have_text("0")
