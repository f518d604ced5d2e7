"""The speakers' materials submitted in a real browser: the staff's upload and upload-link forms,
and the speaker's private upload page (CSRF checks the Origin Chromium sends from a page behind
a private link)."""

import re
from datetime import date, time

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from materials.models import Material, UploadLink
from meetings.models import Meeting
from tests.e2e.conftest import log_in
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    OrganizerFactory,
    PersonFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def meeting_with_speaker(organizer):
    meeting = MeetingFactory(
        title="FGD Pengawasan P3MI", organizers=[organizer], status=Meeting.Status.PUBLISHED
    )
    day = MeetingDayFactory(meeting=meeting, date=date(2031, 9, 22), start_time=time(9), end_time=time(15))
    item = AgendaItemFactory(
        day=day, start_time=time(10), end_time=time(12), title="Paparan Narasumber", order=1
    )
    speaker = PersonFactory(full_name="Rendra Setiawan", email="rendra@kemnaker.example.go.id")
    AgendaRoleFactory(agenda_item=item, person=speaker, role="speaker")
    return meeting, item


def test_the_organizer_uploads_a_file_and_a_speaker_uploads_through_their_link(page):
    organizer = OrganizerFactory(email="penyelenggara@example.go.id")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    meeting, item = meeting_with_speaker(organizer)

    log_in(page, organizer.email, "secret-pass-123")
    page.goto(meeting.urls.detail)
    page.locator("#materials-link").click()
    form = page.locator("#material-form")
    form.locator("select[name=agenda_item]").select_option(str(item.pk))
    form.locator("input[name=title]").fill("Paparan Kebijakan")
    form.locator("select[name=visibility]").select_option("participants")
    form.locator("input[name=file]").set_input_files(
        {"name": "paparan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(f'[data-group="{item.pk}"]')).to_contain_text("Paparan Kebijakan")

    links = page.locator("#upload-link-form")
    links.locator("select[name=agenda_item]").select_option(str(item.pk))
    with page.expect_navigation():
        links.locator("button[type=submit]").click()
    link = UploadLink.objects.get()
    expect(page.locator(f"#upload-link-{link.pk}")).to_contain_text("Rendra Setiawan")

    # Edit the organizer's material: everyone may see it after the meeting.
    mine = Material.objects.get()
    page.locator(f"#material-{mine.pk} a", has_text="Ubah").click()
    page.locator("input[name=title]").fill("Paparan Kebijakan (final)")
    page.locator("select[name=visibility]").select_option("public")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(f"#material-{mine.pk}")).to_contain_text("Paparan Kebijakan (final)")
    mine.refresh_from_db()
    assert mine.visibility == "public"

    # The speaker, signed out, on their private page.
    page.context.clear_cookies()
    page.goto(link.urls.page)
    expect(page.locator("#agenda-slot")).to_contain_text("Paparan Narasumber")
    upload = page.locator("#upload-form")
    upload.locator("input[name=file]").set_input_files(
        {"name": "slide rendra.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        upload.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("slide rendra")
    own = Material.objects.get(upload_link=link)
    with page.expect_navigation():
        page.locator(f"#material-{own.pk} button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Belum ada yang diunggah.")
    assert list(Material.objects.values_list("title", flat=True)) == ["Paparan Kebijakan (final)"]
    assert re.search(r"/u/\d+/", page.url)

    # The organizer revokes the link; the speaker's page is gone.
    log_in(page, organizer.email, "secret-pass-123")
    page.goto(meeting.urls.materials)
    with page.expect_navigation():
        page.locator(f"#upload-link-{link.pk} button", has_text="Cabut").click()
    expect(page.locator(f"#upload-link-{link.pk}")).to_contain_text("Dicabut")
    assert page.goto(link.urls.page).status == 404
