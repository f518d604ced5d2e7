"""A participant registers from the public page; an organizer checks them in at the desk."""

import re
from datetime import time, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting
from participants.models import Attendance, Registration
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizationFactory, OrganizerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def run_worker():
    from django_tasks_db.management.commands import db_worker

    original = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        db_worker.close_old_connections = original


def test_participant_registers_and_organizer_checks_them_in(page, browser, live_server):
    organizer = OrganizerFactory(email="penyelenggara@example.test")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    today = timezone.localdate()
    meeting = MeetingFactory(
        title="Rapat Koordinasi Pengawasan P3MI",
        status=Meeting.Status.PUBLISHED,
        mode=Meeting.Mode.HYBRID,
        capacity_onsite=30,
        capacity_online=100,
        organizers=[organizer],
        registration_closes_at=timezone.now() + timedelta(hours=3),
    )
    MeetingDayFactory(meeting=meeting, date=today, start_time=time(0, 0), end_time=time(23, 59))
    OrganizationFactory(
        name="BP3MI Bali", acronym="BP3MI-BALI", kind="regional_unit", timezone="Asia/Makassar"
    )

    # The participant, without an account, in Indonesian.
    visitor = browser.new_context(base_url=live_server.url, locale="id-ID")
    public = visitor.new_page()
    public.goto(meeting.urls.public)
    public.locator("#register-button").click()
    public.wait_for_url(re.compile(r"/register/$"))
    public.fill("input[name=full_name]", "Ni Made Ayu Lestari")
    public.fill("input[name=position]", "Analis Pengaduan")
    public.fill("input[name=organization_name]", "BP3MI Bali")
    public.fill("input[name=email]", "Ayu.Lestari@Example.test")
    public.fill("input[name=phone]", "0812-3456-7890")
    public.check("input[name=mode][value=onsite]")
    public.check("input[name=consent]")
    with public.expect_navigation():
        public.locator("main form button[type=submit]").last.click()
    expect(public.locator("main")).to_contain_text("ayu.lestari@example.test")
    visitor.close()

    registration = Registration.objects.get()
    assert (registration.email, registration.phone, registration.state, registration.mode) == (
        "ayu.lestari@example.test",
        "+6281234567890",
        "confirmed",
        "onsite",
    )
    assert registration.organization.name == "BP3MI Bali"
    run_worker()
    assert [m.to for m in mail.outbox] == [["ayu.lestari@example.test"]]
    assert registration.code in mail.outbox[0].body
    # Times in the meeting's zone and in the person's own (Bali is WITA).
    assert "00.00–23.59 WIB / 01.00–00.59 WITA" in mail.outbox[0].body

    # The organizer checks her in by typing the code at the desk.
    page.goto("/accounts/login/")
    page.fill("input[name=login]", organizer.email)
    page.fill("input[name=password]", "secret-pass-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    page.goto(meeting.urls.checkin)
    page.fill("#checkin-code-form input[name=code]", registration.code.lower())
    page.locator("#checkin-code-form button[type=submit]").click()
    expect(page.locator(f"#checkin-live [data-person='{registration.code}']").first).to_contain_text(
        "Ni Made Ayu Lestari"
    )
    assert list(Attendance.objects.values_list("registration__code", "day__date", "how")) == [
        (registration.code, today, "onsite")
    ]
