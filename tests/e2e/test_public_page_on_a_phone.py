"""The public meeting page on a phone: when, how, where and the registration button come first."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from config.management.commands.seed_demo import FGD_BACKGROUND, FGD_DESCRIPTION, FGD_THEME, FGD_TITLE
from meetings.models import Meeting
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    MeetingHostFactory,
    OnlineRoomFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fgd_with_a_long_agenda() -> Meeting:
    """The 2021 FGD's texts, open for registration, two days of eight sessions with speakers."""
    meeting = MeetingFactory(
        title=FGD_TITLE,
        theme=FGD_THEME,
        description=FGD_DESCRIPTION,
        background=FGD_BACKGROUND,
        status=Meeting.Status.PUBLISHED,
        mode=Meeting.Mode.HYBRID,
        venue_name="Kantor BP2MI",
        venue_room="Ruang Rapat Lantai 2",
        venue_address="Jl. MT Haryono Kav. 52, Pancoran, Jakarta Selatan",
        registration_closes_at=timezone.now() + timedelta(days=30),
    )
    MeetingHostFactory(
        meeting=meeting, organization=OrganizationFactory(name="Direktorat Pelindungan dan Pemberdayaan")
    )
    MeetingHostFactory(
        meeting=meeting,
        organization=OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker"),
    )
    for offset in (0, 1):
        day = MeetingDayFactory(
            meeting=meeting,
            date=date(2031, 9, 22) + timedelta(days=offset),
            start_time=time(8),
            end_time=time(17),
        )
        for hour in range(8, 16):
            item = AgendaItemFactory(
                day=day,
                start_time=time(hour),
                end_time=time(hour, 50),
                title=f"Paparan dan diskusi tentang pengawasan penempatan pekerja migran, sesi {hour}",
                description="Narasumber memaparkan temuan pengawasan dan peserta menanggapi.",
            )
            AgendaRoleFactory(agenda_item=item, person=PersonFactory(position="Direktur Pengawasan Norma"))
    OnlineRoomFactory(meeting=meeting)
    return meeting


def test_phone_shows_date_mode_venue_and_registration_on_the_first_screen(browser, live_server):
    meeting = fgd_with_a_long_agenda()
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(meeting.urls.public)

        facts = page.locator("#meeting-facts")
        expect(facts.locator("#meeting-dates")).to_have_text(
            "Senin, 22 September 2031 – Selasa, 23 September 2031, 08.00–17.00 WIB"
        )
        expect(facts.locator("#meeting-mode")).to_have_text("Hibrida (luring dan daring)")
        expect(facts.locator("#meeting-venue")).to_have_text("Kantor BP2MI, Ruang Rapat Lantai 2")
        button = page.locator("#register-button")
        expect(button).to_have_text("Daftar")
        assert page.evaluate("window.scrollY") == 0
        for element in (facts.locator("#meeting-dates"), facts.locator("#meeting-venue"), button):
            box = element.bounding_box()
            assert box is not None
            assert box["y"] >= 0
            assert box["y"] + box["height"] <= PHONE["height"]
        # The agenda is still all there, after them.
        agenda = page.locator("#agenda-heading").bounding_box()
        assert agenda["y"] > button.bounding_box()["y"]
        assert page.locator("section[aria-labelledby=agenda-heading] tbody tr").count() == 16

        # The account link is not called "Daftar": that word belongs to the meeting.
        page.locator("button.navbar-toggler").click()
        account = page.locator("nav a[href='/accounts/signup/']")
        expect(account).to_have_text("Buat akun")
        assert page.get_by_role("link", name="Daftar", exact=True).count() == 1
    finally:
        context.close()


def test_wide_screen_keeps_registration_beside_the_agenda(browser, live_server):
    meeting = fgd_with_a_long_agenda()
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(meeting.urls.public)
        box = page.locator("#registration-box").bounding_box()
        agenda = page.locator("#agenda-heading").bounding_box()
        assert box["x"] > agenda["x"] + agenda["width"]
        assert box["y"] + box["height"] <= 900
    finally:
        context.close()
