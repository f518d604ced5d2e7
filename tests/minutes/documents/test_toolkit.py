"""The shared docx toolkit: the letterhead from settings or the organizing unit, the logo, text
cleaning, tables built as XML."""

import struct
import zlib

import pytest
from docx.oxml.ns import qn

from minutes.documents import notula, toolkit
from tests.factories import OrganizationFactory

from .conftest import read

pytestmark = pytest.mark.django_db


def tiny_png(path):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\xff\xff"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def test_letterhead_lines_from_the_unit_and_its_parents():
    top = OrganizationFactory(name="Kementerian Pelindungan Pekerja Migran Indonesia")
    agency = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", parent=top)
    unit = OrganizationFactory(name="Direktorat Kawasan Asia dan Afrika", parent=agency)
    assert toolkit.letterhead_lines(unit) == [
        "KEMENTERIAN PELINDUNGAN PEKERJA MIGRAN INDONESIA",
        "BADAN PELINDUNGAN PEKERJA MIGRAN INDONESIA",
        "DIREKTORAT KAWASAN ASIA DAN AFRIKA",
    ]
    assert toolkit.letterhead_lines(None) == []


def test_letterhead_from_settings_with_a_logo(minutes, settings, tmp_path):
    settings.SINERGI_LETTERHEAD_LINES = ["BADAN UJI", "Jl. MT Haryono Kav. 52, Jakarta"]
    settings.SINERGI_LETTERHEAD_LOGO = str(tiny_png(tmp_path / "logo.png"))
    doc = read(notula.render(minutes))
    letterhead = doc.tables[0]
    assert [[c.text for c in row.cells] for row in letterhead.rows] == [
        ["", "BADAN UJI\nJl. MT Haryono Kav. 52, Jakarta"]
    ]
    assert len(letterhead.rows[0].cells[0]._tc.findall(".//" + qn("w:drawing"))) == 1
    assert doc.paragraphs[1].text == "NOTULA"


def test_a_missing_logo_file_is_left_out(minutes, settings, tmp_path):
    settings.SINERGI_LETTERHEAD_LOGO = str(tmp_path / "missing.png")
    doc = read(notula.render(minutes))
    assert doc.paragraphs[0].text == "BADAN PELINDUNGAN PEKERJA MIGRAN INDONESIA"
    assert not doc.element.body.findall(".//" + qn("w:drawing"))


def test_safe_removes_what_xml_cannot_hold_and_keeps_the_rest():
    assert toolkit.safe("a\x00b\x08c\x0bd\x1fe\x7ff\ufffeg\ud800h\ti\nj") == "abcdefgh\ti\nj"
    assert toolkit.safe(None) == ""
    assert toolkit.safe("<w:p/> & {{ x }}") == "<w:p/> & {{ x }}"


def test_a_data_table_marks_only_its_header_row_and_keeps_text_as_text():
    doc = toolkit.new_document(title="Uji\x00", language="en")
    table = toolkit.data_table(
        doc,
        ["No", "Teks"],
        [["1.", "<w:tr><w:tc/></w:tr>"], ["2.", toolkit.Cell("**tebal** dan *miring*", rich=True)]],
        [toolkit.Cm(2), toolkit.Cm(14)],
    )
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["No", "Teks"],
        ["1.", "<w:tr><w:tc/></w:tr>"],
        ["2.", "tebal dan miring"],
    ]
    assert [r._tr.trPr.find(qn("w:tblHeader")) is not None for r in table.rows] == [True, False, False]
    runs = table.rows[2].cells[1].paragraphs[0].runs
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in runs] == [
        ("tebal", True, False),
        (" dan ", False, False),
        ("miring", False, True),
    ]
    saved = read(toolkit.to_bytes(doc))
    assert saved.core_properties.title == "Uji"
    assert saved.core_properties.language == "en-GB"
