"""In the browser: an organizer drafts the invitation letters of a meeting, edits one, sends it
and downloads it (each form submitted once by a real browser: CSRF, referrer, CSP)."""

import re
from datetime import date, time

import docx
import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from meetings.models import Meeting
from minutes.models import InvitationLetter
from participants.services import invitations as inv
from tests.factories import (
    MeetingDayFactory,
    MeetingFactory,
    MeetingHostFactory,
    OrganizationFactory,
    OrganizerFactory,
)

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_organizer_drafts_edits_sends_and_downloads_a_letter(page):
    organizer = OrganizerFactory(email="lismia@example.test", full_name="Lismia Elita")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    meeting = MeetingFactory(
        title="FGD Pengawasan P3MI", organizers=[organizer], status=Meeting.Status.PUBLISHED
    )
    MeetingDayFactory(meeting=meeting, date=date(2031, 9, 22), start_time=time(9), end_time=time(12))
    ditpp = OrganizationFactory(name="Direktorat PP Kawasan Asia dan Afrika", acronym="DITPP")
    MeetingHostFactory(meeting=meeting, organization=ditpp, role="organizer")
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    inv.invite(meeting, actor=organizer, organization=kemlu, quota=2, focal_point_email="undangan@kemlu.test")
    log_in(page, organizer.email, "secret-pass-123")

    page.goto(f"/meetings/{meeting.code}/letters/")
    page.fill("input[name=letter_date]", "2031-09-13")
    page.locator("#letter-draft-form button[type=submit]").click()
    expect(page.locator(".alert-success, [role=alert]").first).to_contain_text("1/UND/DITPP/IX/2031")

    page.locator("#letter-table a", has_text="1/UND/DITPP/IX/2031").click()
    page.fill("input[name=signer_name]", "Lismia Elita")
    page.fill("input[name=signer_position]", "Direktur PP Kawasan Asia dan Afrika")
    page.fill("textarea[name=tembusan]", "Kepala BP2MI")
    page.locator("#letter-form button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Surat tersimpan.")

    page.locator("#letter-send-form button[type=submit]").click()
    expect(page.locator("#letter-sent")).to_be_visible()
    letter = InvitationLetter.objects.get()
    assert (letter.state, letter.signer_name, letter.tembusan) == ("sent", "Lismia Elita", ["Kepala BP2MI"])

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Unduh")).click()
    assert docx.Document(str(download.value.path())).tables[0].rows[0].cells[2].text == "1/UND/DITPP/IX/2031"
