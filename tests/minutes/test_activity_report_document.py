"""The activity report's .docx: every section in order, the participants per agency and mode from
the attendance, the photos chosen for the report with their captions, the materials, the Daftar
Hadir; read back with python-docx and rendered by LibreOffice, in both languages."""

import io

import docx
import pytest
from django.utils.translation import override
from docx.oxml.ns import qn

from materials.models import Material
from minutes.documents import activity_report
from minutes.models import ActivityReport
from minutes.services import reports
from tests import libreoffice
from tests.minutes.documents.conftest import agencies, approve, minutes  # noqa: F401 (fixtures)

from .reports_support import add_material, add_photo

HEADINGS_ID = [
    "I. PENDAHULUAN",
    "A. Latar Belakang",
    "B. Maksud dan Tujuan",
    "C. Ruang Lingkup",
    "II. PELAKSANAAN",
    "A. Waktu dan Tempat",
    "B. Peserta",
    "C. Narasumber dan Moderator",
    "III. HASIL",
    "IV. KESIMPULAN DAN REKOMENDASI",
    "A. Kesimpulan",
    "B. Rekomendasi",
    "V. PENUTUP",
]


@pytest.fixture
def report(minutes):  # noqa: F811 (the fixture imported above)
    approve(minutes)
    meeting = minutes.meeting
    day1, day2 = meeting.days.order_by("date")
    item1 = day1.items.first()
    add_photo(meeting, day1, "Pembukaan oleh Direktur", order=0)
    add_photo(meeting, day2, "Diskusi panel hari kedua", order=0, size=(480, 800))
    add_photo(meeting, day2, "Foto yang tidak dipilih", in_report=False, order=1)
    add_material(meeting, "Paparan Kebijakan Penempatan", item=item1)
    add_material(meeting, "Tautan rekaman", kind="link")
    return reports.report_for(meeting)


def _read(data: bytes):
    return docx.Document(io.BytesIO(data))


def _headings(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]


def test_activity_report_has_every_section_in_order(report):
    doc = _read(activity_report.render(report))
    assert _headings(doc) == HEADINGS_ID
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"][:1] == ["LAPORAN KEGIATAN"]


def test_activity_report_in_english_has_english_headings(report):
    doc = _read(activity_report.render(report, language="en"))
    assert _headings(doc)[:5] == [
        "I. INTRODUCTION",
        "A. Background",
        "B. Purpose and objectives",
        "C. Scope",
        "II. IMPLEMENTATION",
    ]
    assert doc.core_properties.language == "en-GB"


def test_activity_report_counts_participants_per_agency_and_mode_from_attendance(report):
    doc = _read(activity_report.render(report))
    counts = next(t for t in doc.tables if t.rows[0].cells[1].text == "Instansi")
    assert [[c.text for c in row.cells] for row in counts.rows] == [
        ["No", "Instansi", "Luring", "Daring", "Jumlah"],
        ["1.", "BP3MI Bali", "0", "1", "1"],
        ["2.", "Kementerian Ketenagakerjaan", "1", "0", "1"],
        ["3.", "Kementerian Luar Negeri", "1", "0", "1"],
        ["", "Jumlah", "2", "1", "3"],
    ]
    peserta = next(p.text for p in doc.paragraphs if p.text.startswith("Kegiatan dihadiri"))
    assert peserta.startswith(
        "Kegiatan dihadiri oleh 3 peserta dari 3 instansi: 2 secara luring dan 1 secara daring"
    )


def test_activity_report_embeds_the_chosen_photos_with_captions(report):
    doc = _read(activity_report.render(report))
    assert len(doc.inline_shapes) == 2
    widths = [shape.width for shape in doc.inline_shapes]
    assert widths[0] == activity_report.toolkit.TEXT_WIDTH
    assert doc.inline_shapes[1].height == activity_report.PHOTO_MAX_HEIGHT
    texts = [p.text for p in doc.paragraphs]
    assert "Pembukaan oleh Direktur" in texts
    assert "Diskusi panel hari kedua" in texts
    assert "Foto yang tidak dipilih" not in texts


def test_activity_report_lists_materials_and_appends_the_attendance_lists(report):
    doc = _read(activity_report.render(report))
    materials = next(t for t in doc.tables if t.rows[0].cells[1].text == "Judul")
    rows = [[c.text for c in row.cells] for row in materials.rows[1:]]
    item1 = report.meeting.days.order_by("date").first().items.first()
    with override("id"):
        link, file = str(Material.Kind.LINK.label), str(Material.Kind.FILE.label)
    assert rows == [
        ["1.", "Tautan rekaman", "Seluruh rapat", link],
        ["2.", "Paparan Kebijakan Penempatan", item1.title, f"{file} (PDF)"],
    ]
    texts = [p.text for p in doc.paragraphs]
    assert texts.count("DAFTAR HADIR") == 2
    assert [t for t in texts if t.startswith("Lampiran ")] == [
        "Lampiran 1: Daftar Hadir",
        "Lampiran 2: Daftar Hadir",
        "Lampiran 3: Daftar Materi Narasumber",
        "Lampiran 4: Dokumentasi",
    ]


def test_activity_report_keeps_an_edited_section_and_drafts_the_rest(report, organizer):
    reports.save_section(report, "penutup", "Laporan ini **disampaikan** kepada Kepala Badan.", organizer)
    report = reports.report_for(report.meeting)
    doc = _read(activity_report.render(report))
    texts = [p.text for p in doc.paragraphs]
    assert "Laporan ini disampaikan kepada Kepala Badan." in texts
    reports.reset_section(report, "penutup", organizer)
    assert ActivityReport.objects.get(meeting=report.meeting).sections == {}


def test_activity_report_with_no_photos_says_so(minutes):  # noqa: F811
    approve(minutes)
    doc = _read(activity_report.render(reports.report_for(minutes.meeting)))
    assert len(doc.inline_shapes) == 0
    texts = [p.text for p in doc.paragraphs]
    assert "Tidak ada foto dokumentasi yang dipilih untuk laporan." in texts
    assert "Tidak ada materi yang dibagikan." in texts


def test_activity_report_needs_approved_minutes(minutes):  # noqa: F811
    with pytest.raises(reports.NoApprovedMinutes):
        reports.report_for(minutes.meeting)


def test_activity_report_rendered_by_libreoffice(report):
    data = activity_report.render(report)
    text = " ".join(libreoffice.pdf_text(data, "laporan").split())
    for expected in (
        "LAPORAN KEGIATAN",
        "I. PENDAHULUAN",
        "B. Peserta",
        "III. HASIL",
        "V. PENUTUP",
        "Pembukaan oleh Direktur",
        "Paparan Kebijakan Penempatan",
        "DAFTAR HADIR",
        "Budi Santoso",
    ):
        assert expected in text
    doc = _read(data)
    footer = doc.sections[0].footer.paragraphs[0]
    assert [el.text.strip() for el in footer._p.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
