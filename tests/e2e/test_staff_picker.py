"""The staff picker on a phone: narrow the list by typing, tick people, save."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from tests.factories import MeetingFactory, OrganizerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organizer_picks_a_secretary_on_a_phone(browser, live_server):
    organizer = OrganizerFactory(email="penyelenggara@example.test", full_name="Lismia Elita")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    notulis = UserFactory(email="notulis@example.test", full_name="Rahmat Hidayat")
    for n in range(30):
        UserFactory(email=f"pegawai{n}@example.test", full_name=f"Pegawai {n}")
    meeting = MeetingFactory(organizers=[organizer])

    phone = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844}, has_touch=True
    )
    page = phone.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", organizer.email)
    page.fill("input[name=password]", "secret-pass-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/$"))

    page.goto(meeting.urls.staff)
    secretaries = page.locator("fieldset[data-people-picker]").nth(1)
    secretaries.locator("input[type=search]").fill("rahmat")
    expect(secretaries.locator("[data-people-option]:visible")).to_have_count(1)
    secretaries.get_by_label(re.compile("Rahmat Hidayat")).tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan").click()
    phone.close()

    assert list(meeting.secretaries.all()) == [notulis]
    assert list(meeting.organizers.all()) == [organizer]
