"""Minutes with something in every part of the Notula, built through the services (preparation,
points) and the ORM (the rest), and registrations with attendance for the Daftar Hadir."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import docx
import pytest

from directory.models import Organization
from minutes.models import ActionItem, Minutes, Recommendation, Section
from minutes.services.points import add_point
from minutes.services.preparation import prepare_minutes
from participants.models import Attendance, Registration
from tests.factories import AgendaRoleFactory, MeetingHostFactory, OrganizationFactory, PersonFactory

WIB = ZoneInfo("Asia/Jakarta")


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def register(meeting, name, org, *, mode="onsite", state=Registration.State.CONFIRMED, position="Analis"):
    return Registration.objects.create(
        meeting=meeting,
        full_name=name,
        position=position,
        organization=org if isinstance(org, Organization) else None,
        organization_name="" if isinstance(org, Organization) else org,
        email=f"{name.lower().replace(' ', '.')}@example.test",
        phone="+6281234567890",
        mode=mode,
        state=state,
    )


def attend(registration, day, how=Attendance.How.ONSITE):
    return Attendance.objects.create(
        registration=registration,
        day=day,
        how=how,
        first_seen_at=datetime.combine(day.date, time(8, 30), tzinfo=WIB),
    )


def approve(minutes):
    Minutes.objects.filter(pk=minutes.pk).update(state=Minutes.State.APPROVED)
    minutes.refresh_from_db()
    return minutes


@pytest.fixture
def agencies(db):
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    ditpp = OrganizationFactory(
        name="Direktorat Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika", parent=bp2mi
    )
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    return {"bp2mi": bp2mi, "ditpp": ditpp, "kemnaker": kemnaker, "kemlu": kemlu}


@pytest.fixture
def minutes(meeting, organizer, agencies):
    """Draft minutes of the two-day meeting of tests/conftest.py, every part filled."""
    MeetingHostFactory(meeting=meeting, organization=agencies["ditpp"], role="organizer")
    type(meeting).objects.filter(pk=meeting.pk).update(
        venue_name="Kantor BP2MI", venue_room="Ruang Rapat Lantai 2", venue_address="Jakarta"
    )
    meeting.refresh_from_db()
    item1, item2 = [i for d in meeting.days.order_by("date") for i in d.items.order_by("start_time")]
    rendra = PersonFactory(
        full_name="Rendra Setiawan", position="Direktur Bina Penempatan", organization=agencies["kemnaker"]
    )
    dewi = PersonFactory(
        full_name="Dewi Anggraini", position="Analis Kebijakan", organization=agencies["ditpp"]
    )
    AgendaRoleFactory(agenda_item=item2, person=rendra, role="speaker")
    AgendaRoleFactory(agenda_item=item2, person=dewi, role="moderator")
    m = prepare_minutes(meeting, author=organizer)
    Minutes.objects.filter(pk=m.pk).update(
        invitation_reference="B.123/DITPP/IX/2031, 1 September 2031",
        chair_name="Lismia Elita",
        secretary_name="Sekretaris Rapat",
        recorder_name="Notulis Rapat",
        signer_name="Lismia Elita",
        signer_position="Direktur PP Kawasan Asia dan Afrika",
        signer_nip="197001011990032001",
        signed_place="Jakarta",
        signed_on=date(2031, 9, 23),
    )
    m.refresh_from_db()
    opening, s1, s2, closing = m.sections.order_by("order")
    Section.objects.filter(pk=opening.pk).update(summary="Rapat dibuka oleh **Ketua**.")
    add_point(s1, author=organizer, text="Selamat datang.", speaker_name="Lismia Elita")
    add_point(
        s2,
        author=organizer,
        text="Perlu **tim terpadu** dan *rujukan* yang jelas:\n\n- pengaduan di UPT\n- rujukan ke Kemlu\n\n1. pertama\n2. kedua",
        person=rendra,
    )
    Section.objects.filter(pk=s2.pk).update(
        summary="Diskusi berjalan lancar.", conclusions="Dibentuk tim pengawasan lintas instansi."
    )
    rec = Recommendation.objects.create(
        minutes=m,
        section=s2,
        text="Membentuk **tim pengawasan** P3MI lintas instansi",
        instrument=Recommendation.Instrument.DECISION,
        order=0,
    )
    rec.addressed_to.set([agencies["bp2mi"], agencies["kemnaker"]])
    Recommendation.objects.create(
        minutes=m, section=s2, text="Menyusun SOP rujukan pengaduan", instrument="sop", order=1
    )
    ActionItem.objects.create(
        minutes=m,
        section=s2,
        text="Menyusun draf SK tim",
        owner_organization=agencies["ditpp"],
        due_on=date(2031, 10, 31),
        order=0,
    )
    ActionItem.objects.create(minutes=m, section=s2, text="Mengundang Kemenhub", owner_person=rendra, order=1)
    day1, day2 = meeting.days.order_by("date")
    a = register(meeting, "Budi Santoso", agencies["kemlu"], position="Diplomat Ahli Muda")
    b = register(meeting, "Citra Lestari", "BP3MI Bali", mode="online")
    c = register(meeting, "Agus Wirawan", agencies["kemnaker"])
    register(meeting, "Dian Pratama", agencies["kemlu"], state=Registration.State.CANCELLED)
    attend(a, day1)
    attend(b, day1, Attendance.How.ZOOM)
    attend(c, day2)
    m.refresh_from_db()
    return m
