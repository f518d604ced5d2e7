"""In the browser: an organizer copies a meeting to new dates, then makes a series for regional
units in WIB, WITA and WIT and lands on its page (each form submitted once: CSRF, referrer, CSP)."""

import re
from datetime import date, time

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from meetings.models import Meeting, MeetingSeries
from tests.factories import (
    AgendaItemFactory,
    MeetingDayFactory,
    MeetingFactory,
    OrganizationFactory,
    OrganizerFactory,
)

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_organizer_copies_a_meeting_and_makes_a_series(page):
    organizer = OrganizerFactory(email="lismia@example.test", full_name="Lismia Elita")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    meeting = MeetingFactory(title="Sosialisasi Pengawasan P3MI", organizers=[organizer])
    day = MeetingDayFactory(meeting=meeting, date=date(2031, 9, 22), start_time=time(9), end_time=time(12))
    AgendaItemFactory(day=day, start_time=time(9), end_time=time(10), title="Pembukaan")
    for name, zone in (
        ("Medan", "Asia/Jakarta"),
        ("Makassar", "Asia/Makassar"),
        ("Jayapura", "Asia/Jayapura"),
    ):
        OrganizationFactory(name=f"BP3MI {name}", acronym="", kind="regional_unit", timezone=zone)
    log_in(page, organizer.email, "secret-pass-123")

    page.goto(f"/meetings/{meeting.code}/")
    page.locator("#copy-link").click()
    page.fill("input[name=title]", "Sosialisasi Lanjutan")
    page.fill("input[name=first_date]", "2032-03-01")
    page.select_option("select[name=timezone]", "Asia/Makassar")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).to_contain_text("Sosialisasi Lanjutan")
    copy = Meeting.objects.get(title="Sosialisasi Lanjutan")
    assert (copy.timezone, copy.starts_on) == ("Asia/Makassar", date(2032, 3, 1))

    page.goto(f"/meetings/{meeting.code}/")
    page.locator("#series-create-link").click()
    page.fill("input[name=title]", "Sosialisasi di UPT")
    page.fill("input[name=first_date]", "2032-04-05")
    for label in ("BP3MI Medan", "BP3MI Makassar", "BP3MI Jayapura"):
        page.get_by_label(re.compile(label)).check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/series/\d+/$"))
    expect(page.locator("#meetings tbody tr")).to_have_count(3)
    expect(page.locator("#meetings")).to_contain_text("WIT")
    assert MeetingSeries.objects.get().meetings.count() == 3
