"""The policy-input document in Word, read back with python-docx (headings in both languages,
the groupings, the appendix table, core properties, the footer's fields, hostile text kept inert)
and rendered by LibreOffice to PDF, read with pdftotext (what Word would show)."""

import io

import docx
import pytest
from docx.oxml.ns import qn

from minutes.models import Recommendation
from policy import documents
from policy.models import PolicyBriefVersion, State
from policy.services import briefs
from tests import libreoffice
from tests.policy import test_briefs

# The fixtures of the views' tests: the same meetings, recommendations and document.
analyst, world, brief = test_briefs.analyst, test_briefs.world, test_briefs.brief

HEADINGS_ID = [
    "I. Ringkasan Eksekutif",
    "II. Latar Belakang",
    "III. Temuan",
    "IV. Rekomendasi",
    "V. Penutup",
    "Sumber",
    "Lampiran: Rekomendasi dan Tindak Lanjutnya",
]
HEADINGS_EN = [
    "I. Executive Summary",
    "II. Background",
    "III. Findings",
    "IV. Recommendations",
    "V. Closing",
    "Sources",
    "Appendix: Recommendations and Their Follow-up",
]


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def render(brief, analyst, language: str, version=None) -> bytes:
    recs = briefs.recommendations(analyst, brief.keys)
    return documents.build(brief, version or brief.versions.get(), recs, language)


def outline(doc) -> list[tuple[int, str]]:
    return [
        (int(p.style.name.split()[-1]), p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]


def section_of(doc, heading: str) -> list:
    """The paragraphs after a top-level heading, up to the next one."""
    out, inside = [], False
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == heading
            continue
        if inside:
            out.append(p)
    return out


def test_indonesian_headings_in_order(brief, analyst):
    doc = read(render(brief, analyst, "id"))

    assert [text for level, text in outline(doc) if level == 1] == HEADINGS_ID
    assert outline(doc) == [
        (1, "I. Ringkasan Eksekutif"),
        (1, "II. Latar Belakang"),
        (1, "III. Temuan"),
        (2, "1. Pelindungan"),
        (2, "2. Pengawasan"),
        (1, "IV. Rekomendasi"),
        (2, "1. Kementerian Ketenagakerjaan"),
        (3, "1.1. Peraturan"),
        (3, "1.2. SOP atau alur proses"),
        (2, "2. Kementerian Luar Negeri"),
        (3, "2.1. SOP atau alur proses"),
        (3, "2.2. Program"),
        (1, "V. Penutup"),
        (1, "Sumber"),
        (1, "Lampiran: Rekomendasi dan Tindak Lanjutnya"),
    ]
    texts = [p.text for p in doc.paragraphs]
    # The organizing unit's letterhead, then the title.
    assert texts[:5] == [
        "BADAN PELINDUNGAN PEKERJA MIGRAN INDONESIA",
        "DIREKTORAT PELINDUNGAN DAN PEMBERDAYAAN KAWASAN ASIA DAN AFRIKA",
        "",
        "BAHAN MASUKAN KEBIJAKAN",
        "Masukan Kebijakan Pengawasan P3MI",
    ]


def test_english_headings_in_order(brief, analyst):
    doc = read(render(brief, analyst, "en"))

    assert [text for level, text in outline(doc) if level == 1] == HEADINGS_EN
    assert [text for level, text in outline(doc) if level == 3] == [
        "1.1. Regulation (peraturan)",
        "1.2. SOP or process flow",
        "2.1. SOP or process flow",
        "2.2. Programme",
    ]
    assert doc.core_properties.language == "en-GB"
    assert "Page " in doc.sections[0].footer.paragraphs[0].text


def test_recommendations_grouped_by_addressee_then_instrument(brief, analyst, world):
    doc = read(render(brief, analyst, "id"))
    body = [p.text for p in section_of(doc, "IV. Rekomendasi") if not p.style.name.startswith("Heading")]

    # Under each instrument, numbered, each citing its row of the appendix.
    assert body == [
        "1. Perkuat pengawasan perusahaan penempatan",
        "(Lampiran no. 1)",
        "1. Susun SOP rujukan pengaduan",
        "(Lampiran no. 2)",
        "1. Susun SOP rujukan pengaduan",
        "(Lampiran no. 2)",
        "1. Satu data awak kapal perikanan",
        "(Lampiran no. 3)",
    ]
    bold = [r.text for p in section_of(doc, "IV. Rekomendasi") for r in p.runs if r.bold]
    assert "pengawasan" in bold  # the minutes' rich text stays rich


def test_prose_sections_come_from_the_version(brief, analyst):
    version = briefs.save_version(
        brief,
        analyst,
        1,
        {
            "title": "Judul Versi Dua",
            "summary": "Baris satu\n\nBaris dua",
            "background": "",
            "findings": {"pengawasan": "Temuan P", "pelindungan": "", "lama": "Tema yang sudah tidak ada"},
            "closing": "Demikian.",
        },
    )
    doc = read(render(brief, analyst, "id", version))

    assert [p.text for p in section_of(doc, "I. Ringkasan Eksekutif")] == ["Baris satu", "Baris dua"]
    assert [p.text for p in section_of(doc, "II. Latar Belakang")] == ["-"]
    assert [p.text for p in section_of(doc, "III. Temuan")] == [
        "1. Pelindungan",
        "-",
        "2. Pengawasan",
        "Temuan P",
        "3. lama",
        "Tema yang sudah tidak ada",
    ]
    assert [p.text for p in section_of(doc, "V. Penutup")] == ["Demikian."]
    assert doc.core_properties.title == "Judul Versi Dua"


def test_sources_name_each_meeting_with_date_place_and_speakers(brief, analyst):
    doc = read(render(brief, analyst, "id"))

    assert [p.text for p in section_of(doc, "Sumber")] == [
        "1. FGD Pengawasan P3MI",
        "Tanggal: Senin, 20 September 2021 – Selasa, 21 September 2021",
        "Tempat: Ruang Rapat Lantai 2, Kantor BP2MI, Jakarta dan daring",
        "Narasumber: Rendra Setiawan (Direktur Bina Penempatan dan Pelindungan PMI, Kementerian Ketenagakerjaan)",
        "2. Rakor Pelindungan ABK",
        "Tanggal: Kamis, 10 Maret 2022",
        "Tempat: Daring",
        "Narasumber: -",
        "",  # the page break before the appendix
    ]


def test_appendix_table_rows_and_columns(brief, analyst):
    doc = read(render(brief, analyst, "id"))

    assert len(doc.tables) == 1
    table = doc.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["No", "Rekomendasi", "Ditujukan kepada", "Instrumen", "Sumber", "Tindak Lanjut"]
    assert [r[:4] for r in rows[1:]] == [
        ["1.", "Perkuat pengawasan perusahaan penempatan", "Kementerian Ketenagakerjaan", "Peraturan"],
        [
            "2.",
            "Susun SOP rujukan pengaduan",
            "Kementerian Ketenagakerjaan\nKementerian Luar Negeri",
            "SOP atau alur proses",
        ],
        ["3.", "Satu data awak kapal perikanan", "Kementerian Luar Negeri", "Program"],
    ]
    assert rows[1][4].split("\n") == [
        "FGD Pengawasan P3MI",
        "Senin, 20 September 2021 – Selasa, 21 September 2021",
        "Paparan Narasumber",
        "F.X. Watratan (Kementerian Ketenagakerjaan)",
    ]
    # Without a proposer, the speakers of its agenda item.
    assert rows[2][4].split("\n")[-1].startswith("Rendra Setiawan (")
    assert rows[3][4].split("\n") == ["Rakor Pelindungan ABK", "Kamis, 10 Maret 2022"]
    follow = rows[1][5].split("\n")
    # The state's label is the follow-up's own (policy.models.State), in the document's language.
    assert (follow[0], follow[1].startswith("tenggat "), follow[2]) == (
        str(State.IN_PROGRESS.label),
        True,
        "terlambat",
    )
    assert [r[5] for r in rows[2:]] == ["Diusulkan", "Diusulkan"]
    # The header row repeats on every page.
    header = table.rows[0]._tr.trPr
    assert header is not None
    assert header.find(qn("w:tblHeader")) is not None


def test_core_properties_and_footer_field(brief, analyst):
    doc = read(render(brief, analyst, "id"))
    props = doc.core_properties

    assert (props.title, props.subject, props.author, props.language, props.keywords) == (
        "Masukan Kebijakan Pengawasan P3MI",
        "Dokumen bahan masukan kebijakan",
        "Analis Kebijakan",
        "id-ID",
        "masukan kebijakan, versi 1, Pelindungan, Pengawasan",
    )
    footer = doc.sections[0].footer.paragraphs[0]
    assert [el.text.strip() for el in footer._p.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert footer.text == "Masukan Kebijakan — Masukan Kebijakan Pengawasan P3MI\tHalaman 1 dari 1"


def test_no_letterhead_without_an_organizing_unit(analyst, world):
    other = briefs.create_brief(analyst, "Hanya Rakor", "id", [str(world["b"].key)])
    doc = read(render(other, analyst, "id"))

    assert doc.paragraphs[0].style.name == "Title"
    assert doc.paragraphs[0].text == "BAHAN MASUKAN KEBIJAKAN"


def test_hostile_text_is_inert(brief, analyst, world):
    hostile = "<script>alert(1)</script>\x07 </w:t><w:p>&amp; \x1b[31m"
    Recommendation.objects.filter(pk=world["a"].pk).update(text=hostile, rationale=hostile)
    version = PolicyBriefVersion.objects.create(
        brief=brief, number=2, title="Judul\x0b <b>tebal</b>", summary=hostile, findings={"x\x01": hostile}
    )
    data = render(brief, analyst, "id", version)
    doc = read(data)

    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for row in doc.tables[0].rows for c in row.cells)
    assert "<script>alert(1)</script>" in text
    assert "<script>alert(1)</script>" in cells
    assert "</w:t><w:p>&amp;" in text
    for char in ("\x07", "\x0b", "\x1b", "\x01"):
        assert char not in text + cells
    assert doc.core_properties.title == "Judul <b>tebal</b>"
    # Nothing typed became an element: the body holds only what the builder wrote.
    assert b"<script" not in data


def test_document_runs_no_query_while_building(brief, analyst, django_assert_max_num_queries):
    recs = briefs.recommendations(analyst, brief.keys)
    version = brief.versions.select_related("saved_by").get()
    # Only the letterhead's organizing unit is read.
    with django_assert_max_num_queries(1):
        documents.build(brief, version, recs, "id")


@pytest.fixture
def pdf_text(brief, analyst):
    """The Indonesian document converted by LibreOffice, as pdftotext reads it."""
    libreoffice.tools()
    return libreoffice.pdf_text(render(brief, analyst, "id"), "brief")


def test_libreoffice_renders_headings_table_and_page_numbers(pdf_text):
    pages = [p for p in pdf_text.split("\f") if p.strip()]
    total = len(pages)

    # The appendix starts on a page of its own.
    assert total >= 2
    for number, page in enumerate(pages, 1):
        assert f"Halaman {number} dari {total}" in page, f"page {number}"
    assert "Halaman 1 dari" in pages[0]
    assert "BAHAN MASUKAN KEBIJAKAN" in pages[0]
    flat = " ".join(pdf_text.split())
    for heading in HEADINGS_ID:
        assert heading in flat, heading
    start = next(i for i, p in enumerate(pages) if "Lampiran: Rekomendasi dan Tindak Lanjutnya" in p)
    appendix = pages[start:]
    assert start > 0
    first = appendix[0]
    for column in ("No", "Rekomendasi", "Ditujukan", "Instrumen", "Sumber", "Tindak"):
        assert column in first, column
    # No agency name or date breaks inside a word in its column.
    assert "Kementerian Ketenagakerjaan" in flat
    lines = first.splitlines()
    assert any("Ketenagakerjaan" in line for line in lines)
    assert not any(line.rstrip().endswith("Ketenagakerja") for line in lines)
    assert "Perkuat pengawasan" in first
    assert "Diusulkan" in first
