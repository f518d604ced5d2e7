"""Shared pieces of the materials tests: files of every kind (valid, disguised, bombs), a published
meeting with a speaker, a confirmed registrant of it and one of another meeting, and materials of
each visibility with contents that could leak."""

from __future__ import annotations

import io
import zipfile
from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from materials.models import Material
from materials.services import materials as services
from meetings.models import Meeting
from participants.models import Registration
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    OrganizerFactory,
    PersonFactory,
    UserFactory,
    move_days_to_the_past,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode" * 10
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n" * 5


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def secret_pdf(word: str) -> bytes:
    """A PDF whose bytes carry a word a leak test looks for."""
    return PDF + f"% {word}\n".encode()


def registrant(meeting: Meeting, name: str, state=Registration.State.CONFIRMED) -> Registration:
    return Registration.objects.create(
        meeting=meeting,
        full_name=name,
        email=f"{name.lower().replace(' ', '.')}@example.test",
        mode=Registration.Mode.ONSITE,
        state=state,
    )


@pytest.fixture
def fgd(organizer, secretary):
    """A published two-day FGD in 2031 (not ended), with a speaker on its second agenda item."""
    m = MeetingFactory(
        title="FGD Pengawasan P3MI",
        organizers=[organizer],
        secretaries=[secretary],
        status=Meeting.Status.PUBLISHED,
    )
    day1 = MeetingDayFactory(meeting=m, date=date(2031, 9, 22), start_time=time(9), end_time=time(15))
    MeetingDayFactory(meeting=m, date=date(2031, 9, 23), start_time=time(9), end_time=time(12))
    AgendaItemFactory(day=day1, start_time=time(9), end_time=time(10), title="Pembukaan", order=1)
    item = AgendaItemFactory(
        day=day1, start_time=time(10), end_time=time(12), title="Paparan Narasumber", order=2
    )
    speaker = PersonFactory(
        full_name="Rendra Setiawan", position="Direktur Bina Penempatan", email="Rendra@Kemnaker.test"
    )
    AgendaRoleFactory(agenda_item=item, person=speaker, role="speaker")
    m.refresh_from_db()
    return m


@pytest.fixture
def item(fgd):
    return fgd.days.order_by("date").first().items.get(order=2)


@pytest.fixture
def other_meeting(other_organizer):
    m = MeetingFactory(
        title="Rakor Pelindungan ABK", organizers=[other_organizer], status=Meeting.Status.PUBLISHED
    )
    day = MeetingDayFactory(meeting=m, date=date(2031, 10, 6), start_time=time(9), end_time=time(12))
    AgendaItemFactory(day=day, start_time=time(9), end_time=time(10), title="Paparan Lain", order=1)
    m.refresh_from_db()
    return m


@pytest.fixture
def other_secretary(other_meeting):
    user = UserFactory(email="sekretaris.lain@example.test", full_name="Sekretaris Lain")
    other_meeting.secretaries.add(user)
    return user


@pytest.fixture
def stranger_organizer(db):
    return OrganizerFactory(email="stranger@example.test", full_name="Penyelenggara Lain")


@pytest.fixture
def files(fgd, item, organizer):
    """One file of each visibility, each carrying its own secret word, and a link."""
    made = {}
    for visibility in Material.Visibility.values:
        made[visibility] = services.add_file(
            fgd,
            upload=upload(f"paparan-{visibility}.pdf", secret_pdf(f"RAHASIA-{visibility.upper()}")),
            title=f"Paparan {visibility}",
            agenda_item=item,
            visibility=visibility,
            actor=organizer,
        )
    made["link"] = services.add_link(
        fgd,
        url="https://example.test/rekaman-staf",
        title="Rekaman internal",
        agenda_item=item,
        visibility=Material.Visibility.STAFF,
        actor=organizer,
    )
    return made


def end(meeting: Meeting) -> Meeting:
    """The meeting as held in 2021: its days over."""
    move_days_to_the_past(meeting)
    return meeting
