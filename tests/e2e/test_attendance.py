"""Attendance in the browser: an online registrant at the desk, and online attendance ticked by hand."""

import re
from datetime import time

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting
from participants.models import Attendance
from participants.services import registration as reg
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizerFactory

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_up(meeting, name, mode):
    return reg.register(
        meeting,
        full_name=name,
        email=f"{name.split()[0].lower()}@example.test",
        mode=mode,
        consent=True,
        check_window=False,
    ).registration


def test_desk_warns_about_an_online_registrant_and_online_attendance_is_ticked(page):
    organizer = OrganizerFactory(email="penyelenggara@example.test")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    meeting = MeetingFactory(
        title="FGD Hibrida", status=Meeting.Status.PUBLISHED, mode=Meeting.Mode.HYBRID, organizers=[organizer]
    )
    today = timezone.localtime(timezone.now(), meeting.tz).date()
    day = MeetingDayFactory(meeting=meeting, date=today, start_time=time(0, 0), end_time=time(23, 59))
    _ani, _bayu, cici = (sign_up(meeting, f"{n} Daring", "online") for n in ("Ani", "Bayu", "Cici"))
    sign_up(meeting, "Oki Luring", "onsite")
    log_in(page, organizer.email, "secret-pass-123")

    # At the desk, the online registrant's code is checked in with a warning.
    page.goto(f"/meetings/{meeting.code}/checkin/{day.pk}/")
    page.fill("input[name=code]", cici.code)
    page.locator("#checkin-code-form button[type=submit]").first.click()
    expect(page.locator("[data-result=mode_mismatch]")).to_have_text(
        "Cici Daring mendaftar untuk hadir secara daring dan kini tercatat registrasi ulang luring. "
        "Batalkan jika ia akan mengikuti secara daring."
    )

    # Online attendance: narrow the list, tick, save.
    page.get_by_role("link", name="Kehadiran daring").click()
    page.wait_for_url(re.compile(r"/online/$"))
    page.get_by_placeholder("Ketik nama atau instansi untuk mempersempit daftar").fill("ani")
    page.get_by_role("button", name="Centang semua yang tampil").click()
    page.get_by_placeholder("Ketik nama atau instansi untuk mempersempit daftar").fill("")
    page.get_by_label(re.compile("Bayu Daring")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan kehadiran daring").click()
    expect(page.locator(".alert-success")).to_have_text(
        "Kehadiran daring disimpan: 2 ditambahkan, 0 dihapus."
    )
    assert sorted(Attendance.objects.values_list("registration__full_name", "how")) == [
        ("Ani Daring", "online"),
        ("Bayu Daring", "online"),
        ("Cici Daring", "onsite"),
    ]

    # The summary counts them as online, and the missing as not yet arrived (the day runs).
    page.goto(meeting.urls.attendance)
    table = page.locator(f"table[data-day='{today.isoformat()}']")
    expect(table.locator("thead th").last).to_have_text("Belum datang")
    expect(table.locator("tfoot td")).to_have_text(["4", "1", "2", "1"])
