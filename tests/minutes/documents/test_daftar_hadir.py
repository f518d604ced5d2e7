"""The Daftar Hadir of one day, filled in from attendance or blank for printing."""

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from minutes.documents import daftar_hadir
from participants.models import Attendance

from .conftest import attend, read, register

pytestmark = pytest.mark.django_db


def cells(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def day1(minutes):
    return minutes.meeting.days.order_by("date").first()


def test_filled_in_from_the_days_attendance(day1):
    doc = read(daftar_hadir.render(day1))
    fields, people = doc.tables
    assert cells(fields) == [
        ["Sidang/Rapat", ":", "FGD Pengawasan P3MI"],
        ["Hari/Tanggal", ":", "Senin, 22 September 2031"],
        ["Waktu", ":", "09.00–15.00 WIB"],
        ["Tempat", ":", "Ruang Rapat Lantai 2, Kantor BP2MI, Jakarta dan daring"],
    ]
    assert cells(people) == [
        ["No", "Nama", "Jabatan", "Instansi", "Kehadiran", "Tanda Tangan"],
        ["1.", "Citra Lestari", "Analis", "BP3MI Bali", "Daring", "1. ........"],
        ["2.", "Budi Santoso", "Diplomat Ahli Muda", "Kementerian Luar Negeri", "Luring", "2. ........"],
    ]
    header = people.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in people.rows[1:])
    # Signatures alternate left and right.
    assert [row.cells[5].paragraphs[0].alignment for row in people.rows[1:]] == [
        WD_ALIGN_PARAGRAPH.LEFT,
        WD_ALIGN_PARAGRAPH.RIGHT,
    ]
    assert "DAFTAR HADIR" in [p.text for p in doc.paragraphs]
    assert doc.sections[0].footer.paragraphs[0].text == "Daftar Hadir\tHalaman 1 dari 1"


def test_on_site_wins_over_online_and_nobody_is_listed_twice(day1, minutes):
    citra = minutes.meeting.registrations.get(full_name="Citra Lestari")
    attend(citra, day1, Attendance.How.ONSITE)
    people = cells(read(daftar_hadir.render(day1)).tables[1])
    assert [row[1:5] for row in people[1:]] == [
        ["Citra Lestari", "Analis", "BP3MI Bali", "Luring"],
        ["Budi Santoso", "Diplomat Ahli Muda", "Kementerian Luar Negeri", "Luring"],
    ]


def test_blank_list_has_the_confirmed_registrants_and_nothing_ticked(day1):
    people = cells(read(daftar_hadir.render(day1, blank=True)).tables[1])
    assert people[1:] == [
        ["1.", "Citra Lestari", "Analis", "BP3MI Bali", "", "1. ........"],
        ["2.", "Agus Wirawan", "Analis", "Kementerian Ketenagakerjaan", "", "2. ........"],
        ["3.", "Budi Santoso", "Diplomat Ahli Muda", "Kementerian Luar Negeri", "", "3. ........"],
    ]


def test_english_and_no_contact_data(day1):
    doc = read(daftar_hadir.render(day1, language="en"))
    assert cells(doc.tables[1])[0] == ["No.", "Name", "Position", "Institution", "Attendance", "Signature"]
    assert cells(doc.tables[0])[3] == ["Place", ":", "Ruang Rapat Lantai 2, Kantor BP2MI, Jakarta and online"]
    everything = "\n".join(c for t in doc.tables for r in cells(t) for c in r)
    assert "@example.test" not in everything
    assert "+6281234567890" not in everything
    assert doc.core_properties.title == "Attendance list — FGD Pengawasan P3MI — Monday, 22 September 2031"
    assert daftar_hadir.filename(day1, language="en", blank=True) == (
        "attendance-list-blank-fgd-pengawasan-p3mi-2031-09-22.docx"
    )


def test_a_day_without_attendance_says_so(minutes):
    day2 = minutes.meeting.days.order_by("date").last()
    Attendance.objects.filter(day=day2).delete()
    doc = read(daftar_hadir.render(day2))
    assert cells(doc.tables[1]) == [["No", "Nama", "Jabatan", "Instansi", "Kehadiran", "Tanda Tangan"]]
    assert "Belum ada yang tercatat hadir pada hari ini." in [p.text for p in doc.paragraphs]


def test_queries_are_fixed_whatever_the_number_of_people(day1, agencies, django_assert_num_queries):
    with django_assert_num_queries(2):
        daftar_hadir.rows(day1)
    for n in range(40):
        attend(register(day1.meeting, f"Peserta {n:02d}", agencies["kemlu"]), day1, Attendance.How.ZOOM)
    with django_assert_num_queries(2):
        rows = daftar_hadir.rows(day1)
    assert len(rows) == 42
    with django_assert_num_queries(1):
        assert len(daftar_hadir.rows(day1, blank=True)) == 43
