"""A registrant corrects their details on their private page; an organizer opens a room to the public."""

import re
from datetime import time, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from core.models import AuditEntry
from meetings.models import Meeting, OnlineRoom
from participants.services import registration as reg
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_meeting(**fields) -> Meeting:
    meeting = MeetingFactory(
        status=Meeting.Status.PUBLISHED,
        mode=Meeting.Mode.HYBRID,
        registration_closes_at=timezone.now() + timedelta(days=3),
        **fields,
    )
    MeetingDayFactory(meeting=meeting, date=timezone.localdate() + timedelta(days=5), start_time=time(9))
    return meeting


def test_registrant_corrects_name_position_and_phone_in_the_browser(page):
    meeting = open_meeting()
    registration = reg.register(
        meeting,
        full_name="Ni Made Ayu Lestar",
        position="Analis",
        email="ayu@example.test",
        phone="+6281234567890",
        mode="onsite",
        consent=True,
    ).registration

    page.goto(registration.urls.private)
    page.locator("#correct-details summary").click()
    page.fill("#correct-details input[name=full_name]", "Ni Made Ayu Lestari")
    page.fill("#correct-details input[name=position]", "Analis Pengaduan")
    page.fill("#correct-details input[name=phone]", "0813-1111-2222")
    with page.expect_navigation():
        page.locator("#correct-details button[type=submit]").click()

    expect(page.locator("main [role=alert]").first).to_contain_text("Data Anda telah diperbaiki.")
    registration.refresh_from_db()
    assert (registration.full_name, registration.position, registration.phone, registration.email) == (
        "Ni Made Ayu Lestari",
        "Analis Pengaduan",
        "+6281311112222",
        "ayu@example.test",
    )
    assert AuditEntry.objects.filter(action="registration.details_corrected").count() == 1


def test_organizer_opens_the_room_to_the_public_in_the_browser(page):
    organizer = OrganizerFactory(email="penyelenggara@example.test")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    meeting = open_meeting(organizers=[organizer])
    page.goto("/accounts/login/")
    page.fill("input[name=login]", organizer.email)
    page.fill("input[name=password]", "secret-pass-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/$"))

    page.goto(meeting.urls.online_room)
    page.fill("input[name=join_url]", "https://zoom.example.test/j/123456789")
    page.check("input[name=open_to_public]")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    expect(page.locator("#room-audience")).to_have_text("terbuka untuk umum")
    assert OnlineRoom.objects.get(meeting=meeting).open_to_public is True
    visitor = page.context.browser.new_context(base_url=page.url.split("/meetings/")[0], locale="id-ID")
    try:
        public = visitor.new_page()
        public.goto(meeting.urls.public)
        expect(public.locator("a[href='https://zoom.example.test/j/123456789']")).to_be_visible()
    finally:
        visitor.close()
