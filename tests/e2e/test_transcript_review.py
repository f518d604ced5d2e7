"""In the browser: a secretary uploads a Zoom transcript, accepts two drafts (one with htmx, one
edited first) and merges two more; the points are in the minutes, the rest waits for review."""

import re
from datetime import date, time

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from meetings.models import Meeting
from minutes.models import Point
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


def test_a_secretary_uploads_a_transcript_and_accepts_two_drafts(page, tmp_path):
    organizer = OrganizerFactory(email="lismia@example.test", full_name="Lismia Elita")
    secretary = UserFactory(email="notulis@example.test", full_name="Dewi Notulis")
    EmailAddress.objects.create(user=secretary, email=secretary.email, verified=True, primary=True)
    meeting = MeetingFactory(
        title="FGD Pengawasan P3MI",
        organizers=[organizer],
        secretaries=[secretary],
        status=Meeting.Status.PUBLISHED,
        timezone="Asia/Jakarta",
    )
    day = MeetingDayFactory(meeting=meeting, date=date(2031, 9, 22), start_time=time(9), end_time=time(12))
    AgendaItemFactory(day=day, start_time=time(9), end_time=time(9, 10), title="Pembukaan", order=1)
    paparan = AgendaItemFactory(
        day=day, start_time=time(9, 10), end_time=time(9, 20), title="Paparan Kemnaker"
    )
    AgendaItemFactory(day=day, start_time=time(9, 20), end_time=time(9, 30), title="Diskusi", order=3)
    rendra = PersonFactory(
        full_name="Rendra Setiawan",
        organization=OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker"),
    )
    AgendaRoleFactory(agenda_item=paparan, person=rendra, role="speaker")
    minutes = prepare_minutes(meeting, author=organizer)
    transcript_file = tmp_path / "GMT20310922-020000_Recording.transcript.vtt"
    transcript_file.write_text(ZOOM_VTT, encoding="utf-8")

    log_in(page, secretary.email, "secret-pass-123")
    page.goto(f"/meetings/{meeting.code}/minutes/transcripts/")
    page.set_input_files("input[name=file]", str(transcript_file))
    page.fill("input[name=start_time]", "09:00")
    page.get_by_role("button", name="Impor sebagai draf").click()
    page.wait_for_url(re.compile(r"/minutes/transcripts/\d+/$"))
    expect(page.get_by_text("7 draf poin menunggu ditinjau.")).to_be_visible()
    expect(page.get_by_role("heading", name="Paparan Kemnaker")).to_be_visible()

    # Accept Rendra's point in "Paparan Kemnaker" in place (htmx swaps the row).
    row = page.locator("tr", has_text="Ada peningkatan pengaduan PMI nonprosedural")
    expect(row.locator("[data-col=match]")).to_have_text("Rendra Setiawan")
    row.get_by_role("button", name="Terima").click()
    wait_for_htmx(page)
    expect(row).to_have_attribute("data-state", "accepted")
    expect(row.get_by_text("Diterima")).to_be_visible()

    # Correct the unknown speaker's remark, then accept it.
    page.locator("tr", has_text="Suaranya putus-putus").get_by_role("link", name="Ubah").click()
    page.fill("textarea[name=text]", "Peserta daring melaporkan gangguan audio.")
    page.get_by_role("button", name="Simpan dan terima").click()
    expect(page.get_by_text("Draf ditambahkan ke notula.")).to_be_visible()
    expect(page.locator("tr", has_text="Peserta daring melaporkan gangguan audio.")).to_have_attribute(
        "data-state", "accepted"
    )

    # Merge the two drafts of the opening item (checkboxes, a plain form post).
    page.locator("tr", has_text="Selamat pagi Bapak Ibu").locator("input[type=checkbox]").check()
    page.locator("tr", has_text="Saya akan memaparkan").locator("input[type=checkbox]").check()
    page.get_by_role("button", name="Gabungkan draf yang dipilih menjadi satu poin").click()
    expect(page.get_by_text("2 draf digabungkan menjadi satu poin notula.")).to_be_visible()

    points = list(Point.objects.filter(section__minutes=minutes).order_by("section__order", "id"))
    assert [(p.section.title, p.speaker_name, p.text, p.source) for p in points] == [
        (
            "Pembukaan",
            "Lismia Elita",
            "Selamat pagi Bapak Ibu sekalian, kita mulai FGD hari ini. Terima kasih atas kehadirannya.\n\n"
            "**Rendra Setiawan**: Baik, terima kasih. Saya akan memaparkan data penempatan.",
            "transcript",
        ),
        (
            "Paparan Kemnaker",
            "Rendra Setiawan",
            "Ada peningkatan pengaduan PMI nonprosedural sepanjang tahun ini.",
            "transcript",
        ),
        ("Paparan Kemnaker", "iPhone Galaxy", "Peserta daring melaporkan gangguan audio.", "transcript"),
    ]
    expect(page.locator('tr[data-state="pending"]')).to_have_count(3)
