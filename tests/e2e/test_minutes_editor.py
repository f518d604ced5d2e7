"""In the browser: the minutes editor on a phone (autosave, a conflict between two secretaries,
nothing lost), and the whole path from a transcript to an approved Notula downloaded as Word."""

import io
import re
from datetime import date, time

import docx
import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from meetings.models import Meeting
from minutes.models import ActionItem, Minutes, Recommendation, Section
from minutes.services.preparation import prepare_minutes
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    OrganizationFactory,
    OrganizerFactory,
    PersonFactory,
    UserFactory,
)
from tests.minutes.transcripts.conftest import ZOOM_VTT

from .conftest import log_in, wait_for_htmx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "secret-pass-123"


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def fgd():
    organizer = verified(OrganizerFactory(email="lismia@example.test", full_name="Lismia Elita"))
    secretary = verified(UserFactory(email="notulis@example.test", full_name="Dewi Notulis"))
    second = verified(UserFactory(email="notulis2@example.test", full_name="Bayu Notulis"))
    meeting = MeetingFactory(
        title="FGD Pengawasan P3MI",
        organizers=[organizer],
        secretaries=[secretary, second],
        status=Meeting.Status.PUBLISHED,
        timezone="Asia/Jakarta",
    )
    day = MeetingDayFactory(meeting=meeting, date=date(2031, 9, 22), start_time=time(9), end_time=time(12))
    AgendaItemFactory(day=day, start_time=time(9), end_time=time(9, 10), title="Pembukaan", order=1)
    paparan = AgendaItemFactory(
        day=day, start_time=time(9, 10), end_time=time(9, 20), title="Paparan Kemnaker"
    )
    AgendaItemFactory(day=day, start_time=time(9, 20), end_time=time(9, 30), title="Diskusi", order=3)
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    rendra = PersonFactory(full_name="Rendra Setiawan", organization=kemnaker)
    AgendaRoleFactory(agenda_item=paparan, person=rendra, role="speaker")
    return meeting, organizer, secretary, second


def test_two_secretaries_on_phones_autosave_and_resolve_a_conflict(browser, live_server, fgd):
    meeting, _organizer, secretary, second = fgd
    minutes = prepare_minutes(meeting, author=secretary)
    section = minutes.sections.get(title="Paparan Kemnaker")
    phones = []
    for user in (secretary, second):
        context = browser.new_context(
            base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True
        )
        phone = context.new_page()
        phone.set_default_timeout(10_000)
        log_in(phone, user.email, PASSWORD)
        phone.goto(f"/meetings/{meeting.code}/minutes/")
        phones.append(phone)
    first, other = phones
    # Nothing is wider than the phone.
    assert first.evaluate("document.documentElement.scrollWidth") <= 390

    summary = f"#s-summary-{section.pk}"
    first.fill(summary, "Paparan data penempatan **2021**.")
    expect(first.locator(f"#status-section-{section.pk}")).to_contain_text("Tersimpan")
    section.refresh_from_db()
    assert (section.summary, section.revision) == ("Paparan data penempatan **2021**.", 1)

    # The second phone still holds revision 0: its save is refused and both versions are shown.
    other.fill(summary, "Versi Bayu.")
    conflict = other.locator(f"#status-section-{section.pk} [data-conflict]")
    expect(conflict).to_be_visible()
    expect(conflict.locator('[data-theirs="summary"]')).to_have_text("Paparan data penempatan **2021**.")
    expect(conflict.locator('[data-mine="summary"]')).to_have_text("Versi Bayu.")
    section.refresh_from_db()
    assert section.summary == "Paparan data penempatan **2021**."
    assert other.evaluate("document.documentElement.scrollWidth") <= 390

    conflict.get_by_role("button", name="Simpan versi saya menggantikan versi mereka").click()
    expect(other.locator(f"#status-section-{section.pk}")).to_contain_text("Tersimpan")
    section.refresh_from_db()
    assert (section.summary, section.revision) == ("Versi Bayu.", 2)
    # Typing on continues from the new revision without another conflict.
    with other.expect_response(lambda r: f"/sections/{section.pk}/" in r.url) as saved:
        other.fill(f"#s-conclusions-{section.pk}", "Disepakati tim terpadu.")
    assert saved.value.status == 200
    section.refresh_from_db()
    assert (section.conclusions, section.revision) == ("Disepakati tim terpadu.", 3)
    for phone in phones:
        phone.context.close()


def test_from_a_transcript_to_an_approved_notula_in_word(page, browser, live_server, fgd, tmp_path):
    meeting, organizer, secretary, _second = fgd
    transcript_file = tmp_path / "GMT20310922-020000_Recording.transcript.vtt"
    transcript_file.write_text(ZOOM_VTT, encoding="utf-8")

    log_in(page, secretary.email, PASSWORD)
    page.goto(f"/meetings/{meeting.code}/")
    page.locator("#minutes-link").click()
    page.get_by_role("button", name="Siapkan notula dari agenda").click()
    expect(page.get_by_text("Notula telah disiapkan dari agenda.")).to_be_visible()

    page.get_by_role("link", name="Transkrip").first.click()
    page.set_input_files("input[name=file]", str(transcript_file))
    page.fill("input[name=start_time]", "09:00")
    page.get_by_role("button", name="Impor sebagai draf").click()
    page.wait_for_url(re.compile(r"/minutes/transcripts/\d+/$"))
    for text in ("Ada peningkatan pengaduan PMI nonprosedural", "Suaranya putus-putus"):
        row = page.locator("tr", has_text=text)
        row.get_by_role("button", name="Terima").click()
        wait_for_htmx(page)
        expect(row).to_have_attribute("data-state", "accepted")

    page.goto(f"/meetings/{meeting.code}/minutes/")
    paparan = Section.objects.get(minutes__meeting=meeting, title="Paparan Kemnaker")
    expect(page.locator(f"#points-{paparan.pk} [data-point] input[name=speaker]").first).to_have_value(
        "Rendra Setiawan"
    )

    page.locator("#new-recommendation summary").click()
    form = page.locator("#new-recommendation form")
    form.locator("textarea[name=text]").fill("Membentuk **Tim Pengawasan P3MI** lintas instansi.")
    form.locator("select[name=instrument]").select_option("decision")
    form.locator("select[name=addressed_to]").select_option(label="Kementerian Ketenagakerjaan (Kemnaker)")
    form.locator("input[name=themes]").fill("pengawasan")
    form.get_by_role("button", name="Tambahkan rekomendasi").click()
    wait_for_htmx(page)
    expect(page.locator("#recommendation-list [data-recommendation]")).to_have_count(1)

    page.locator("#new-action summary").click()
    form = page.locator("#new-action form")
    form.locator("textarea[name=text]").fill("Menyusun SK Tim Pengawasan.")
    form.locator("input[name=due_on]").fill("2031-10-30")
    form.get_by_role("button", name="Tambahkan tindak lanjut").click()
    wait_for_htmx(page)
    expect(page.locator("#action-list [data-action-item]")).to_have_count(1)

    page.get_by_role("button", name="Ajukan untuk disetujui").click()
    expect(page.get_by_text("Notula telah diajukan kepada pimpinan untuk disetujui.")).to_be_visible()
    expect(page.locator("[data-minutes-state]")).to_have_attribute("data-minutes-state", "submitted")

    chair = browser.new_context(base_url=live_server.url, locale="id-ID").new_page()
    chair.set_default_timeout(10_000)
    log_in(chair, organizer.email, PASSWORD)
    chair.goto(f"/meetings/{meeting.code}/minutes/")
    chair.get_by_role("button", name="Setujui").click()
    expect(chair.get_by_text("Notula telah disetujui dan kini terkunci.")).to_be_visible()
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.state, minutes.approved_by) == (Minutes.State.APPROVED, organizer)

    chair.goto(f"/meetings/{meeting.code}/minutes/documents/")
    with chair.expect_download() as download:
        chair.locator('a[href*="notula.docx"][href*="lang=id"]').first.click()
    document = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Ada peningkatan pengaduan PMI nonprosedural" in text
    assert "Membentuk Tim Pengawasan P3MI lintas instansi." in cells
    assert "Menyusun SK Tim Pengawasan." in cells
    assert "DRAFT" not in "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert Recommendation.objects.get().addressed_to.get().acronym == "Kemnaker"
    assert ActionItem.objects.get().due_on == date(2031, 10, 30)
    chair.context.close()
