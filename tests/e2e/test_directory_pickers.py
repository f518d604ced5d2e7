"""The organization picker in a real browser: type, choose a suggestion, submit once."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from meetings.models import MeetingHost
from tests.e2e.test_plan_meeting import log_in
from tests.factories import MeetingFactory, OrganizationFactory, OrganizerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organizer_adds_a_host_agency_through_the_picker(page):
    organizer = OrganizerFactory(email="penyelenggara@example.test")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    meeting = MeetingFactory(organizers=[organizer])
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    log_in(page, organizer.email, "secret-pass-123")

    page.goto(meeting.urls.hosts)
    picker = page.locator("input[name=organization_text]")
    picker.press_sequentially("naker")
    suggestion = page.locator("datalist option")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_have_attribute("value", "Kementerian Ketenagakerjaan")
    picker.fill("Kementerian Ketenagakerjaan")
    expect(page.locator("input[name=organization]")).to_have_value(str(kemnaker.pk))
    page.select_option("select[name=role]", "organizer")
    with page.expect_navigation(url=re.compile(r"/hosts/$")):
        page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_contain_text("Kementerian Ketenagakerjaan")
    assert list(meeting.hosts.values_list("organization", "role")) == [
        (kemnaker.pk, MeetingHost.Role.ORGANIZER)
    ]
