"""The certificate of attendance in Word: the built-in layout read back with python-docx (the
text in order, A4 landscape, the QR code picture holding the verification link) and rendered by
LibreOffice, read with pdftotext; an organizer's template with placeholders split across runs,
in tables and headers, filled; templates without the required placeholders refused; hostile
text inert."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import docx
import png
import pytest
import qrcode
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm

from minutes.documents import certificate as document
from participants.models import Registration
from participants.services import certificates
from tests import libreoffice

pytestmark = pytest.mark.django_db
ISSUED_AT = datetime(2021, 9, 22, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
BUILT_IN_ID = [
    "SERTIFIKAT",
    "Nomor: 1/SERT/{code}/2021",
    "diberikan kepada",
    "Ani Hadir",
    "Analis Kebijakan — Kemnaker",
    "atas partisipasinya sebagai peserta dalam kegiatan",
    "FGD Pengawasan P3MI",
    "yang diselenggarakan pada 20–21 September 2021",
]


@pytest.fixture
def issued(held, people, organizer):
    certificates.save_settings(
        held,
        actor=organizer,
        min_online_minutes=60,
        signer_name="Dr. Rinardi, S.H., M.H.",
        signer_position="Direktur Pelindungan",
    )
    created = certificates.issue_all(held, actor=organizer, at=ISSUED_AT).created
    return {c.registration.full_name: c for c in created}


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def pictures(doc_or_part) -> list[bytes]:
    """The PNG pictures of a document, in order of their drawings in the body."""
    part = doc_or_part.part
    blips = part.element.findall(".//" + qn("a:blip"))
    return [part.related_parts[b.get(qn("r:embed"))].blob for b in blips]


def qr_modules(data: bytes, box: int = 8) -> list[list[bool]]:
    """The dark modules of a QR picture as qrcode drew it (box pixels per module)."""
    width, height, rows, _info = png.Reader(file=io.BytesIO(data)).asRGBA8()
    rows = [list(r) for r in rows]
    return [
        [rows[y * box + box // 2][(x * box + box // 2) * 4] < 128 for x in range(width // box)]
        for y in range(height // box)
    ]


def expected_modules(text: str) -> list[list[bool]]:
    qr = qrcode.QRCode(border=2)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.get_matrix()


def test_the_built_in_certificate_in_indonesian(issued, held):
    ani = issued["Ani Hadir"]
    doc = read(document.render(ani))

    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    start = texts.index("SERTIFIKAT")
    assert texts[start : start + len(BUILT_IN_ID)] == [t.format(code=held.code.upper()) for t in BUILT_IN_ID]
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    [table] = doc.tables
    left, right = table.rows[0].cells
    url = ani.urls.absolute.verify
    assert [p.text for p in left.paragraphs] == ["", f"Periksa keaslian sertifikat ini: {url}"]
    assert [p.text for p in right.paragraphs if p.text] == ["Direktur Pelindungan", "Dr. Rinardi, S.H., M.H."]
    [qr] = pictures(doc)
    assert qr_modules(qr) == expected_modules(url)
    assert url.endswith(f"/certificate/{ani.verification_code}/")
    assert doc.core_properties.title == f"Sertifikat kehadiran — {ani.number}"
    assert doc.core_properties.language == "id-ID"


def test_the_built_in_certificate_in_english(issued):
    doc = read(document.render(issued["Budi Daring"], language="en"))

    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    start = texts.index("CERTIFICATE")
    assert texts[start : start + 8] == [
        "CERTIFICATE",
        f"Number: {issued['Budi Daring'].number}",
        "is awarded to",
        "Budi Daring",
        "Disnaker Kab. Cirebon",
        "for taking part as a participant in",
        "FGD Pengawasan P3MI",
        "held on 20–21 September 2021",
    ]
    assert doc.core_properties.language == "en-GB"


def test_libreoffice_shows_one_page_with_the_whole_text(issued, held):
    ani = issued["Ani Hadir"]
    text = libreoffice.pdf_text(document.render(ani), "sertifikat")

    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == 1
    lines = [" ".join(line.split()) for line in pages[0].splitlines() if line.strip()]
    body = [line for line in lines if line in {t.format(code=held.code.upper()) for t in BUILT_IN_ID}]
    assert body == [t.format(code=held.code.upper()) for t in BUILT_IN_ID]
    assert "Dr. Rinardi, S.H., M.H." in lines
    assert f"Periksa keaslian sertifikat ini: {ani.urls.absolute.verify}" in lines


# The organizer's template ----------------------------------------------------------------------


def split_runs(paragraph, *pieces: str, bold_first: bool = False) -> None:
    """Text written in several runs, as Word stores what was typed and corrected."""
    for n, piece in enumerate(pieces):
        run = paragraph.add_run(piece)
        run.bold = bold_first and n == 0 or None


def template_bytes(*, header=True, drop: str = "", extra: str = "") -> bytes:
    doc = docx.Document()
    if header:
        split_runs(doc.sections[0].header.paragraphs[0], "No. {{no", "mor}}")
    split_runs(doc.add_paragraph(), "SERTIFIKAT")
    name = ("{", "{ nama", " }}") if drop != "nama" else ()
    split_runs(
        doc.add_paragraph(),
        "Diberikan kepada ",
        *name,
        ", ",
        "{{jabatan}} pada {{instansi}}",
        bold_first=True,
    )
    table = doc.add_table(rows=1, cols=2)
    split_runs(table.cell(0, 0).paragraphs[0], "Kegiatan: {{kegiatan}} ({{tanggal}})")
    split_runs(table.cell(0, 1).paragraphs[0], "Pindai: {{qr}} — {{tautan}}")
    split_runs(doc.add_paragraph(), "{{jabatan_penandatangan}}, {{penandatangan}}" + extra)
    out = io.BytesIO()
    doc.save(out)
    data = out.getvalue()
    if drop and drop != "nama":
        data = replace_in_docx(data, "{{" + drop + "}}", "")
    return data


def replace_in_docx(data: bytes, old: str, new: str) -> bytes:
    doc = docx.Document(io.BytesIO(data))
    for p in list(doc.paragraphs) + [p for t in doc.tables for c in t._cells for p in c.paragraphs]:
        for run in p.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(data: bytes, name="templat.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_a_template_with_every_placeholder_is_accepted(held):
    data = template_bytes()
    assert document.check_template(upload(data)) == data
    assert document.placeholders(read(data)) == [
        "nama",
        "jabatan",
        "instansi",
        "kegiatan",
        "tanggal",
        "qr",
        "tautan",
        "jabatan_penandatangan",
        "penandatangan",
        "nomor",
    ]


@pytest.mark.parametrize("missing", ["nama", "kegiatan", "tanggal", "qr"])
def test_a_template_without_a_required_placeholder_is_refused(missing):
    with pytest.raises(ValidationError) as refused:
        document.check_template(upload(template_bytes(drop=missing)))
    assert refused.value.messages == [f"Templat tidak memuat penanda berikut: {{{{{missing}}}}}."]


def test_a_template_without_the_number_in_its_header_is_refused():
    with pytest.raises(ValidationError) as refused:
        document.check_template(upload(template_bytes(header=False)))
    assert refused.value.messages == ["Templat tidak memuat penanda berikut: {{nomor}}."]


def test_an_unknown_placeholder_is_refused_with_the_known_ones():
    with pytest.raises(ValidationError) as refused:
        document.check_template(upload(template_bytes(extra=" {{nama_lengkap}}")))
    [message] = refused.value.messages
    assert message.startswith(
        "Templat memuat penanda yang tidak dikenal Sinergi: {{nama_lengkap}}. Yang dikenal: {{nama}}, "
    )


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "templat.docx"),
        (b"PK\x03\x04 not really a zip", "templat.docx"),
        (b"just text {{nama}}", "templat.docx"),
    ],
)
def test_what_is_not_a_word_document_is_refused(data, name):
    with pytest.raises(ValidationError):
        document.check_template(upload(data, name))


def test_a_filled_template_has_the_values_across_runs_and_the_qr_picture(issued, held, organizer):
    certificates.set_template(held, actor=organizer, data=template_bytes(), name="templat.docx")
    ani = issued["Ani Hadir"]
    url = ani.urls.absolute.verify

    doc = read(document.render(ani))

    assert [p.text for p in doc.paragraphs] == [
        "SERTIFIKAT",
        "Diberikan kepada Ani Hadir, Analis Kebijakan pada Kemnaker",
        "Direktur Pelindungan, Dr. Rinardi, S.H., M.H.",
    ]
    # The first run of a placeholder keeps its formatting: "Diberikan kepada {" was bold.
    assert doc.paragraphs[1].runs[0].bold is True
    cell_kegiatan, cell_qr = doc.tables[0].rows[0].cells
    assert cell_kegiatan.text == "Kegiatan: FGD Pengawasan P3MI (20–21 September 2021)"
    assert cell_qr.text == f"Pindai:  — {url}"
    [qr] = pictures(doc)
    assert qr_modules(qr) == expected_modules(url)
    drawing = cell_qr.paragraphs[0]._p.find(".//" + qn("wp:extent"))
    assert int(drawing.get("cx")) == Cm(3.2)
    assert doc.sections[0].header.paragraphs[0].text == f"No. {ani.number}"
    assert document.placeholders(doc) == []


def test_the_filled_template_renders_in_libreoffice(issued, held, organizer):
    certificates.set_template(held, actor=organizer, data=template_bytes(), name="templat.docx")
    ani = issued["Ani Hadir"]

    text = libreoffice.pdf_text(document.render(ani), "templat")

    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert f"No. {ani.number}" in lines
    assert "Diberikan kepada Ani Hadir, Analis Kebijakan pada Kemnaker" in lines
    assert "Direktur Pelindungan, Dr. Rinardi, S.H., M.H." in lines


HOSTILE = "Eve {{nomor}} </w:t><w:p/>&amp; <script>\x07\x1b"


def test_hostile_text_stays_text_in_the_built_in_layout_and_the_template(issued, held, organizer):
    ani = issued["Ani Hadir"]
    Registration.objects.filter(pk=ani.registration_id).update(full_name=HOSTILE, position="{{qr}}")
    ani.registration.refresh_from_db()
    expected = "Eve {{nomor}} </w:t><w:p/>&amp; <script>"

    built_in = read(document.render(ani))
    assert expected in [p.text for p in built_in.paragraphs]
    assert len(pictures(built_in)) == 1

    certificates.set_template(held, actor=organizer, data=template_bytes(), name="templat.docx")
    filled = read(document.render(ani))
    assert filled.paragraphs[1].text == f"Diberikan kepada {expected}, {{{{qr}}}} pada Kemnaker"
    # The values are never read for placeholders: one QR picture, the number only in the header.
    assert len(pictures(filled)) == 1
    assert ani.number not in filled.paragraphs[1].text


def test_filename_is_ascii(issued):
    assert (
        document.filename(issued["Ani Hadir"])
        == f"sertifikat-1-{issued['Ani Hadir'].meeting.code.lower()}-ani-hadir.docx"
    )
