"""The certificate of attendance (sertifikat) as a .docx: the built-in layout (A4 landscape:
letterhead, SERTIFIKAT, the number, the person, the meeting and its dates, the signer, the QR code
of the public verification page), or the organizer's own template with placeholders filled.

An organizer's template is a .docx with placeholders such as {{nama}} and {{qr}}. Word splits
typed text into runs at will ("{{na" "ma}}"), so placeholders are found in a paragraph's joined
text and replaced across its runs; the first run of a placeholder keeps its formatting. {{qr}}
becomes the QR code as a PNG picture. Values are text of `w:t` elements (escaped by lxml) and are
never read for placeholders again, so a name like "{{nomor}}" or "<w:p>" stays what it is.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass

import qrcode
import qrcode.image.pure
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from core import uploads
from participants.models import Certificate
from participants.services import certificates as certificate_services

from . import toolkit
from .notula import organizing_unit

LANGUAGES = ("id", "en")
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")
# What a template must show: whom, what, when, the number and the QR code that proves it.
REQUIRED = ("nama", "kegiatan", "tanggal", "nomor", "qr")
OPTIONAL = ("jabatan", "instansi", "penandatangan", "jabatan_penandatangan", "tautan")
KNOWN = REQUIRED + OPTIONAL
QR_WIDTH = Cm(3.2)


@dataclass(frozen=True)
class Fields:
    nama: str
    jabatan: str
    instansi: str
    kegiatan: str
    tanggal: str
    nomor: str
    tautan: str  # the verification page's full link (what the QR code holds)
    penandatangan: str
    jabatan_penandatangan: str

    def values(self) -> dict[str, str]:
        return {name: _one_line(getattr(self, name)) for name in KNOWN if name != "qr"}


def _one_line(text: str) -> str:
    return " ".join(toolkit.safe(text).split())


def fields_for(certificate: Certificate) -> Fields:
    registration, meeting = certificate.registration, certificate.meeting
    settings = certificate_services.settings_for(meeting)
    return Fields(
        nama=registration.full_name,
        jabatan=registration.position,
        instansi=registration.organization_display,
        kegiatan=meeting.title,
        tanggal=certificate_services.dates_text(meeting),
        nomor=certificate.number,
        tautan=certificate.urls.absolute.verify,
        penandatangan=settings.signer_name,
        jabatan_penandatangan=settings.signer_position,
    )


def qr_png(text: str) -> bytes:
    image = qrcode.make(text, image_factory=qrcode.image.pure.PyPNGImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def render(certificate: Certificate, *, language: str = "id") -> bytes:
    """The certificate as a .docx: the meeting's template when it has one, else the built-in."""
    if language not in LANGUAGES:
        language = "id"
    settings = certificate_services.settings_for(certificate.meeting)
    fields = fields_for(certificate)
    with override(language):
        if settings.has_template:
            return fill(certificate_services.template_bytes(settings), fields)
        return toolkit.to_bytes(build(certificate, fields, language=language))


def filename(certificate: Certificate) -> str:
    """`sertifikat-12-fgd-2021-nama-peserta.docx`: ASCII only."""
    person = slugify(certificate.registration.full_name)[:40].strip("-") or "peserta"
    code = slugify(certificate.meeting.code)[:30] or "rapat"
    return f"sertifikat-{certificate.sequence}-{code}-{person}.docx"


# --- the built-in layout ----------------------------------------------------------------------


def build(certificate: Certificate, fields: Fields, *, language: str = "id"):
    meeting = certificate.meeting
    doc = toolkit.new_document(
        title=_("Certificate of attendance") + f" — {fields.nomor}",
        subject=meeting.title,
        author=fields.penandatangan or meeting.title,
        language=language,
        keywords=_("certificate"),
    )
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = toolkit.PAGE_HEIGHT, toolkit.PAGE_WIDTH
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    lines = toolkit.letterhead_lines(organizing_unit(meeting))
    if lines:
        toolkit.letterhead(doc, lines)
    center = WD_ALIGN_PARAGRAPH.CENTER
    toolkit.paragraph(doc, _("CERTIFICATE"), style="Title", size=Pt(26))
    toolkit.paragraph(doc, _("Number: %(number)s") % {"number": fields.nomor}, align=center)
    toolkit.paragraph(doc, _("is awarded to"), align=center).paragraph_format.space_before = Pt(10)
    toolkit.paragraph(doc, fields.nama, bold=True, align=center, size=Pt(20))
    details = " — ".join(part for part in (fields.jabatan, fields.instansi) if part)
    if details:
        toolkit.paragraph(doc, details, align=center)
    toolkit.paragraph(
        doc, _("for taking part as a participant in"), align=center
    ).paragraph_format.space_before = Pt(10)
    toolkit.paragraph(doc, fields.kegiatan, bold=True, align=center, size=Pt(14))
    toolkit.paragraph(doc, _("held on %(dates)s") % {"dates": fields.tanggal}, align=center)
    _signature_and_qr(doc, fields, meeting)
    return doc


def _signature_and_qr(doc, fields: Fields, meeting) -> None:
    """The QR code and its caption at the left, the signer at the right."""
    table = doc.add_table(rows=1, cols=2)
    toolkit._no_borders(table)
    width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    toolkit.set_widths(table, [width // 2, width - width // 2])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.add_run().add_picture(io.BytesIO(qr_png(fields.tautan)), width=QR_WIDTH)
    caption = left.add_paragraph()
    caption.paragraph_format.space_after = Pt(0)
    run = caption.add_run(_("Check this certificate: %(link)s") % {"link": fields.tautan})
    run.font.size = Pt(7)
    first = right.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if fields.jabatan_penandatangan:
        first.add_run(_one_line(fields.jabatan_penandatangan))
    for _i in range(3):
        right.add_paragraph().paragraph_format.space_after = Pt(0)
    name = right.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    signer = name.add_run(_one_line(fields.penandatangan) or "(.................................)")
    signer.bold = True
    signer.underline = bool(fields.penandatangan)


# --- the organizer's template -----------------------------------------------------------------


def _stories(doc):
    """Every part with text and the object pictures of that part are added through: the body,
    then each section's headers and footers (text boxes and tables inside them included)."""
    yield doc.element.body, doc.part
    seen = set()
    for section in doc.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            element = part._element
            if id(element) in seen:
                continue
            seen.add(id(element))
            yield element, part


class _Story:
    """A parent for paragraphs found by XPath: python-docx needs `.part` for pictures."""

    def __init__(self, part):
        self.part = part if not hasattr(part, "part") else part.part


def _paragraphs(doc):
    for element, part in _stories(doc):
        story = _Story(part)
        for p in element.iter(qn("w:p")):
            yield Paragraph(p, story)


def placeholders(doc) -> list[str]:
    """The placeholder names the document's paragraphs hold, in order of appearance."""
    found = []
    for paragraph in _paragraphs(doc):
        text = "".join(run.text for run in paragraph.runs)
        found.extend(m.group(1).lower() for m in PLACEHOLDER.finditer(text))
    return found


def _open(data: bytes):
    try:
        return Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken or foreign file
        raise ValidationError(_("This file cannot be read as a Word document (.docx).")) from exc


def check_template(upload) -> bytes:
    """The uploaded template's bytes, or a ValidationError in the organizer's language: a real
    .docx (core.uploads, by content), not too large, with every required placeholder and no
    unknown one (a typo such as {{nama_}} would print as typed)."""
    checked = uploads.check_document(upload, max_bytes=MAX_TEMPLATE_BYTES)
    if checked.extension != "docx":
        raise ValidationError(_("The template must be a Word document (.docx)."))
    upload.seek(0)
    data = upload.read()
    names = placeholders(_open(data))
    missing = [name for name in REQUIRED if name not in names]
    unknown = sorted({name for name in names if name not in KNOWN})
    errors = []
    if missing:
        errors.append(
            _("The template lacks these placeholders: %(names)s.")
            % {"names": ", ".join("{{" + n + "}}" for n in missing)}
        )
    if unknown:
        errors.append(
            _("The template has placeholders Sinergi does not know: %(names)s. Known: %(known)s.")
            % {
                "names": ", ".join("{{" + n + "}}" for n in unknown),
                "known": ", ".join("{{" + n + "}}" for n in KNOWN),
            }
        )
    if errors:
        raise ValidationError(errors)
    return data


def fill(data: bytes, fields: Fields) -> bytes:
    """The template with every placeholder replaced; {{qr}} by the QR code picture."""
    doc = _open(data)
    values = fields.values()
    png = qr_png(fields.tautan)
    for paragraph in list(_paragraphs(doc)):
        _fill_paragraph(paragraph, values, png)
    return toolkit.to_bytes(doc)


def _fill_paragraph(paragraph: Paragraph, values: dict[str, str], png: bytes) -> None:
    runs = paragraph.runs
    texts = [run.text for run in runs]
    joined = "".join(texts)
    matches = list(PLACEHOLDER.finditer(joined))
    if not matches:
        return
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text)

    def run_at(offset: int) -> int:
        for index in range(len(runs)):
            if starts[index] <= offset < starts[index] + len(texts[index]):
                return index
        raise ValueError(offset)

    # Right to left: what is left of a match keeps its offsets.
    for match in reversed(matches):
        name = match.group(1).lower()
        start, end = match.span()
        first, last = run_at(start), run_at(end - 1)
        head = texts[first][: start - starts[first]]
        tail = texts[last][end - starts[last] :]
        for index in range(first + 1, last + 1):
            texts[index] = tail if index == last else ""
            runs[index].text = texts[index]
        if name == "qr":
            runs[first].text = head
            texts[first] = head
            runs[first].add_picture(io.BytesIO(png), width=QR_WIDTH)
            if first == last and tail:
                # The text after {{qr}} in the same run goes into a copy of the run after it.
                rest = copy.deepcopy(runs[first]._r)
                for child in list(rest):
                    if child.tag != qn("w:rPr"):
                        rest.remove(child)
                runs[first]._r.addnext(rest)
                Run(rest, paragraph).text = tail
        else:
            value = values.get(name)
            if value is None:
                continue
            new = head + value + (tail if first == last else "")
            runs[first].text = new
            texts[first] = new
