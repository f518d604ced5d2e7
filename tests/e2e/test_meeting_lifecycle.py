"""An organizer marks a meeting as held in the browser: asked first, refused too early, undone."""

import re
from datetime import time, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from core.models import AuditEntry
from meetings.models import Meeting
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizerFactory

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def status_actions(meeting):
    return list(
        AuditEntry.objects.filter(
            object_id=str(meeting.pk), action__in=["meeting.mark_held", "meeting.reopen"]
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_mark_held_asks_first_refuses_a_future_meeting_and_can_be_undone(page):
    organizer = OrganizerFactory(email="penyelenggara@example.test")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    today = timezone.localdate()
    future = MeetingFactory(
        title="FGD Tiga Minggu Lagi", status=Meeting.Status.PUBLISHED, organizers=[organizer]
    )
    MeetingDayFactory(meeting=future, date=today + timedelta(weeks=3))
    today_meeting = MeetingFactory(
        title="FGD Hari Ini", status=Meeting.Status.PUBLISHED, organizers=[organizer]
    )
    MeetingDayFactory(meeting=today_meeting, date=today, start_time=time(0, 0), end_time=time(23, 59))
    log_in(page, organizer.email, "secret-pass-123")

    # Three weeks ahead: the button leads to a page that says why not, and nothing changes.
    page.goto(future.urls.detail)
    page.locator("[data-action=mark_held]").click()
    page.wait_for_url(re.compile(r"/held/$"))
    expect(page.locator("[data-refusal]")).to_contain_text("Rapat ini belum dimulai")
    expect(page.get_by_role("button", name="Ya, tandai terlaksana")).to_have_count(0)
    future.refresh_from_db()
    assert (future.status, status_actions(future)) == ("published", [])

    # Under way: confirm, then undo from the meeting page.
    page.goto(today_meeting.urls.detail)
    page.locator("[data-action=mark_held]").click()
    page.wait_for_url(re.compile(r"/held/$"))
    with page.expect_navigation():
        page.get_by_role("button", name="Ya, tandai terlaksana").click()
    expect(page.locator(".alert-success")).to_contain_text("Rapat telah ditandai terlaksana.")
    today_meeting.refresh_from_db()
    assert today_meeting.status == "held"
    with page.expect_navigation():
        page.locator("[data-action=reopen]").click()
    today_meeting.refresh_from_db()
    assert today_meeting.status == "published"
    assert status_actions(today_meeting) == ["meeting.mark_held", "meeting.reopen"]
    expect(page.locator("[data-action=mark_held]")).to_be_visible()
