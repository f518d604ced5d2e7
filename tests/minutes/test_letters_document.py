"""The Surat Undangan in Word, read back with python-docx (letterhead, header fields, addressee,
the meeting's details, signature, Tembusan, the attached list) and rendered by LibreOffice to PDF,
read with pdftotext; hostile text stays text."""

import re

import pytest
from docx.oxml.ns import qn

from minutes.documents import letter as document
from minutes.models import InvitationLetter
from minutes.services import letters
from tests import libreoffice
from tests.minutes import letters_support
from tests.minutes.letters_support import draft, read, ready_to_send

agencies, hosted = letters_support.agencies, letters_support.hosted
pytestmark = pytest.mark.django_db
Addressing = InvitationLetter.Addressing


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def agency_letter(hosted, organizer):
    first, _second = draft(hosted, organizer)
    letter = ready_to_send(first, organizer)
    letters.send_letter(letter, by=organizer, email_agencies=False)
    return InvitationLetter.objects.get(pk=letter.pk)


@pytest.fixture
def list_letter(hosted, organizer):
    [letter] = draft(hosted, organizer, Addressing.LIST)
    return ready_to_send(letter, organizer)


def test_the_letter_in_the_official_layout(agency_letter):
    doc = read(document.render(agency_letter))
    texts = [p.text for p in doc.paragraphs]

    # Letterhead: BP2MI above its directorate, then the rule; place and date on the right.
    assert texts[:3] == [
        "BADAN PELINDUNGAN PEKERJA MIGRAN INDONESIA",
        "DIREKTORAT PELINDUNGAN DAN PEMBERDAYAAN KAWASAN ASIA DAN AFRIKA",
        "",
    ]
    assert texts[3] == "Jakarta, 13 September 2031"
    assert doc.paragraphs[3].alignment == 2  # right
    header, details, signature = doc.tables
    assert table_rows(header) == [
        ["Nomor", ":", "1/UND/DITPP/IX/2031"],
        ["Sifat", ":", "Biasa"],
        ["Lampiran", ":", "-"],
        ["Hal", ":", "Undangan Focus Group Discussion"],
    ]
    assert texts[4:9] == [
        "",
        "Yth. Kementerian Ketenagakerjaan",
        "di Tempat",
        "",
        "Dengan hormat, kami mengundang Bapak/Ibu atau pejabat yang ditunjuk untuk menghadiri "
        "Focus Group Discussion “FGD Pengawasan P3MI” yang akan diselenggarakan pada:",
    ]
    assert texts[9].startswith("Konfirmasi kehadiran mohon disampaikan")
    rows = table_rows(details)
    assert [r[0] for r in rows] == ["Hari/Tanggal", "Pukul", "Tempat", "Acara"]
    assert rows[0][2] == "Senin, 22 September 2031 – Selasa, 23 September 2031"
    assert (
        rows[1][2] == "Senin, 22 September 2031: 09.00–15.00 WIB\nSelasa, 23 September 2031: 09.00–12.00 WIB"
    )
    assert rows[2][2].split("\n") == [
        "Ruang Rapat Lantai 2, Kantor BP2MI, Jl. MT Haryono Kav. 52, Jakarta Selatan",
        "Daring: tautan bergabung dikirimkan kepada setiap peserta yang terdaftar",
        f"Pendaftaran: {agency_letter.meeting.urls.absolute.public}",
    ]
    # The room is private: its join link is not in a letter that travels to agencies.
    assert "zoom.example.test" not in rows[2][2]
    assert rows[3][2].split("\n") == [
        "1.\tSenin, 22 September 2031, 09.00–10.00 WIB: Pembukaan",
        "2.\tSenin, 22 September 2031, 10.00–12.00 WIB: Paparan Narasumber",
    ]
    # The details are indented under the opening paragraph.
    assert details._tbl.tblPr.find(qn("w:tblInd")).get(qn("w:w")) == str(int(document.DETAIL_WIDTHS[0] / 635))
    assert [p.text for p in signature.rows[0].cells[1].paragraphs] == [
        "Direktur Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika,",
        "",
        "",
        "",
        "Lismia Elita",
        "NIP 197001011990032001",
    ]
    assert texts[-3:] == [
        "Tembusan:",
        "1. Kepala BP2MI",
        "2. Deputi Penempatan dan Pelindungan Kawasan Asia dan Afrika",
    ]
    # Sent: no DRAFT mark; the footer names the letter.
    assert doc.sections[0].header.paragraphs[0].text == ""
    assert doc.sections[0].footer.paragraphs[0].text.startswith("Surat Undangan 1/UND/DITPP/IX/2031\t")
    assert doc.core_properties.title == "Surat Undangan 1/UND/DITPP/IX/2031 — FGD Pengawasan P3MI"
    assert doc.core_properties.language == "id-ID"


def test_a_draft_says_draft_on_every_page(hosted, organizer):
    first, _ = draft(hosted, organizer)
    doc = read(document.render(first))
    assert doc.sections[0].header.paragraphs[0].text.startswith("DRAFT  Belum dikirim")
    assert document.filename(first) == "surat-undangan-1-und-ditpp-ix-2031-draft.docx"


def test_a_letter_to_many_says_attached_list_and_lists_them(list_letter):
    doc = read(document.render(list_letter))
    texts = [p.text for p in doc.paragraphs]

    assert "Yth. Daftar terlampir" in texts
    assert table_rows(doc.tables[0])[2] == ["Lampiran", ":", "1 (satu) lembar"]
    attachment_fields, addressees = doc.tables[-2:]
    assert table_rows(attachment_fields) == [
        ["Lampiran Surat", "", ""],
        ["Nomor", ":", "1/UND/DITPP/IX/2031"],
        ["Tanggal", ":", "13 September 2031"],
    ]
    assert "DAFTAR UNDANGAN" in texts
    assert table_rows(addressees) == [
        ["No", "Tujuan"],
        ["1.", "Kementerian Ketenagakerjaan"],
        ["2.", "Kementerian Luar Negeri"],
    ]


def test_an_open_room_gives_its_link(hosted, organizer):
    hosted.online_room.open_to_public = True
    hosted.online_room.save()
    first, _ = draft(hosted, organizer)
    details = table_rows(read(document.render(first)).tables[1])
    assert details[2][2].split("\n")[1] == "Daring: https://zoom.example.test/j/98765432100"


def test_in_english_on_request(agency_letter):
    doc = read(document.render(agency_letter, language="en"))
    assert [r[0] for r in table_rows(doc.tables[0])] == [
        "Number",
        "Nature",
        "Enclosures",
        "Subject of the letter",
    ]
    assert document.filename(agency_letter, "en") == "invitation-letter-1-und-ditpp-ix-2031-en.docx"


HOSTILE = 'A</w:t><w:t>B & <script>alert(1)</script> "quotes" \x07bell {seq} %(x)s'


def test_hostile_text_stays_text(hosted, organizer):
    first, _ = draft(hosted, organizer)
    letters.update_letter(
        first,
        by=organizer,
        version=first.version,
        number=HOSTILE,
        hal=HOSTILE,
        addressees=[HOSTILE],
        opening=HOSTILE,
        signer_name=HOSTILE,
        signer_position=HOSTILE,
        tembusan=[HOSTILE],
    )
    letter = InvitationLetter.objects.get(pk=first.pk)
    doc = read(document.render(letter))
    cleaned = " ".join(HOSTILE.replace("\x07", "").split())

    texts = [p.text for p in doc.paragraphs]
    assert f"Yth. {cleaned}" in texts
    assert cleaned in texts
    assert f"1. {cleaned}" in texts
    assert table_rows(doc.tables[0])[0] == ["Nomor", ":", cleaned]
    assert table_rows(doc.tables[0])[3] == ["Hal", ":", cleaned]
    # Nothing typed became an element: no w:t holds markup that split it.
    xml = doc.element.xml
    assert "<script>" not in xml
    assert len(re.findall(r"<w:t[ >]", xml)) == len(doc.element.findall(".//" + qn("w:t")))
    assert document.filename(letter).endswith("-draft.docx")


def test_libreoffice_renders_the_letter(agency_letter):
    text = libreoffice.pdf_text(document.render(agency_letter), "surat")
    flat = " ".join(text.split())

    for expected in (
        "BADAN PELINDUNGAN PEKERJA MIGRAN INDONESIA",
        "Jakarta, 13 September 2031",
        "Nomor : 1/UND/DITPP/IX/2031",
        "Sifat : Biasa",
        "Hal : Undangan Focus Group Discussion",
        "Yth. Kementerian Ketenagakerjaan",
        "Hari/Tanggal : Senin, 22 September 2031 – Selasa, 23 September 2031",
        "Acara : 1. Senin, 22 September 2031, 09.00–10.00 WIB: Pembukaan",
        "Lismia Elita",
        "NIP 197001011990032001",
        "Tembusan:",
        "1. Kepala BP2MI",
        "Halaman 1 dari 1",
    ):
        assert expected in flat, expected
    assert "DRAFT" not in text


def test_libreoffice_renders_the_attached_list_on_its_own_page(list_letter):
    text = libreoffice.pdf_text(document.render(list_letter), "surat-daftar")
    first, second = text.strip("\f").split("\f")[:2]

    assert "Yth. Daftar terlampir" in first
    assert "DAFTAR UNDANGAN" in second
    assert "2. Kementerian Luar Negeri" in " ".join(second.split())
    assert "Halaman 2 dari 2" in second
