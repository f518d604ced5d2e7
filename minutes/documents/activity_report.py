"""The activity report (Laporan Kegiatan) as a .docx in the Notula's house style, in Indonesian or
English: I. Pendahuluan, II. Pelaksanaan (with the participants per agency and mode), III. Hasil,
IV. Kesimpulan dan Rekomendasi, V. Penutup, the signature block, and the appendices: each day's
Daftar Hadir, the speakers' materials, the documentation photos chosen for the report.

Photos are the web copies (already resized), read from the storage one at a time and sized to
the text width, so 40 photos cost what their files weigh and no more.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext
from docx.enum.text import WD_ALIGN_PARAGRAPH

from materials.models import DocumentationPhoto, Material

from ..models import ActivityReport
from ..services import reports
from . import daftar_hadir, notula, toolkit
from .toolkit import Cell, Cm

LANGUAGES = notula.LANGUAGES
COUNT_WIDTHS = [Cm(1.0), Cm(8.0), Cm(2.3), Cm(2.3), Cm(2.4)]
MATERIAL_WIDTHS = [Cm(1.0), Cm(6.5), Cm(6.0), Cm(2.5)]
# A portrait photo at the full text width would not fit on its page with its caption.
PHOTO_MAX_HEIGHT = Cm(17.0)


def chapters() -> list[tuple[str, list[tuple[str, str]]]]:
    """The report's chapters in order: (heading, [(letter, section key)])."""
    return [
        (
            "I. " + _("INTRODUCTION"),
            [("A", "latar_belakang"), ("B", "maksud_tujuan"), ("C", "ruang_lingkup")],
        ),
        (
            "II. " + _("IMPLEMENTATION"),
            [("A", "waktu_tempat"), ("B", "peserta"), ("C", "narasumber")],
        ),
        ("III. " + _("RESULTS"), [("", "hasil")]),
        (
            "IV. " + _("CONCLUSIONS AND RECOMMENDATIONS"),
            [("A", "kesimpulan"), ("B", "rekomendasi")],
        ),
        ("V. " + _("CLOSING"), [("", "penutup")]),
    ]


def _heading(doc, text: str, level: int = 1):
    p = toolkit.styled_paragraph(doc, f"Heading {level}")
    p.add_run(toolkit.safe(text))
    return p


def photos_of(meeting) -> list[DocumentationPhoto]:
    return list(
        DocumentationPhoto.objects.filter(meeting=meeting, in_report=True)
        .select_related("day")
        .order_by("day__date", "order", "id")
    )


def _photo_bytes(photo: DocumentationPhoto) -> bytes | None:
    field = photo.web if photo.web else photo.original
    if not field:
        return None
    with field.open("rb") as handle:
        return handle.read()


def add_photos(doc, photos: list[DocumentationPhoto]) -> int:
    """Each photo at the text width (a tall one at PHOTO_MAX_HEIGHT), its caption beneath.
    Returns how many were added (a photo whose file is missing is left out)."""
    added = 0
    for photo in photos:
        try:
            data = _photo_bytes(photo)
        except OSError:
            data = None
        if not data:
            continue
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        width = toolkit.TEXT_WIDTH
        if photo.width and photo.height and photo.height * width / photo.width > PHOTO_MAX_HEIGHT:
            p.add_run().add_picture(io.BytesIO(data), height=PHOTO_MAX_HEIGHT)
        else:
            p.add_run().add_picture(io.BytesIO(data), width=width)
        caption = photo.caption or daftar_hadir.day_text(photo.day)
        toolkit.paragraph(doc, caption, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        added += 1
    return added


def _materials_table(doc, meeting) -> None:
    materials = list(
        Material.objects.filter(meeting=meeting)
        .select_related("agenda_item__day")
        .order_by("agenda_item__day__date", "agenda_item__start_time", "agenda_item__order", "order", "id")
    )
    # The whole meeting's materials first, whatever the database does with NULLs.
    materials.sort(key=lambda m: m.agenda_item_id is not None)
    if not materials:
        toolkit.paragraph(doc, _("No materials were shared."), italic=True)
        return
    kinds = dict(Material.Kind.choices)
    toolkit.data_table(
        doc,
        [_("No."), _("Title"), pgettext("activity report", "Agenda item"), _("Type")],
        (
            [
                Cell(f"{n}.", align="right"),
                m.title,
                m.agenda_item.title if m.agenda_item_id else _("The whole meeting"),
                _type(m, kinds),
            ]
            for n, m in enumerate(materials, 1)
        ),
        MATERIAL_WIDTHS,
    )


def _type(material: Material, kinds: dict) -> str:
    label = str(kinds.get(material.kind, material.kind))
    name = material.display_name or material.file.name if material.kind == Material.Kind.FILE else ""
    extension = name.rsplit(".", 1)[-1].upper() if "." in (name or "") else ""
    return f"{label} ({extension})" if extension and len(extension) <= 5 else label


def _counts_table(doc, counts: list[reports.AgencyCount]) -> None:
    rows = [
        [Cell(f"{n}.", align="right"), c.agency, Cell(str(c.onsite), align="right"),
         Cell(str(c.online), align="right"), Cell(str(c.total), align="right")]
        for n, c in enumerate(counts, 1)
    ]  # fmt: skip
    rows.append(
        [
            "",
            Cell(pgettext("activity report", "Total"), bold=True),
            Cell(str(sum(c.onsite for c in counts)), align="right", bold=True),
            Cell(str(sum(c.online for c in counts)), align="right", bold=True),
            Cell(str(sum(c.total for c in counts)), align="right", bold=True),
        ]
    )
    toolkit.data_table(
        doc,
        [
            _("No."),
            pgettext("activity report", "Agency"),
            pgettext("activity report", "On-site"),
            pgettext("activity report", "Online"),
            pgettext("activity report", "Total"),
        ],
        rows,
        COUNT_WIDTHS,
    )


def render(report: ActivityReport, *, language: str = "id") -> bytes:
    if language not in LANGUAGES:
        language = "id"
    with override(language):
        return toolkit.to_bytes(build(report, language=language))


def build(report: ActivityReport, *, language: str = "id"):
    meeting = report.meeting
    minutes = reports.approved_minutes(meeting)
    texts = reports.section_texts(report, language)
    titles = reports.section_titles()
    days = notula._days(meeting)
    doc = toolkit.new_document(
        title=_("Activity report") + f" — {meeting.title}",
        subject=meeting.theme or meeting.title,
        author=(minutes.signer_name if minutes else "") or settings.SINERGI_SITE_NAME,
        language=language,
        keywords=_("activity report"),
    )
    notula.add_letterhead(doc, meeting)
    toolkit.paragraph(doc, _("ACTIVITY REPORT"), style="Title")
    toolkit.paragraph(doc, meeting.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if meeting.theme:
        toolkit.paragraph(doc, f"“{meeting.theme}”", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    lists = toolkit.lists_for(doc)
    for heading, parts in chapters():
        _heading(doc, heading)
        for letter, key in parts:
            if letter:
                _heading(doc, f"{letter}. {titles[key]}", 2)
            toolkit.rich_text(doc, texts[key], lists=lists)
            lists.reset()
            if key == "peserta":
                _counts_table(doc, reports.participant_counts(meeting))

    toolkit.paragraph(doc, "")
    signed_on = timezone.localdate()
    place = (minutes.signed_place if minutes else "") or ""
    place_date = ", ".join(p for p in (place, formats.date_format(signed_on, "j F Y")) if p)
    before = [place_date, _("Person in charge of the activity") + ","]
    if minutes and minutes.signer_position:
        before.append(minutes.signer_position + ",")
    after = [f"NIP {minutes.signer_nip}"] if minutes and minutes.signer_nip else []
    toolkit.signature_block(doc, before, minutes.signer_name if minutes else "", after)

    number = iter(range(1, 10))
    for day in days:
        toolkit.page_break(doc)
        toolkit.paragraph(doc, _("Appendix %(n)s: attendance list") % {"n": next(number)}, bold=True)
        daftar_hadir.add_to(doc, day)
    toolkit.page_break(doc)
    toolkit.paragraph(doc, _("Appendix %(n)s: speakers' materials") % {"n": next(number)}, bold=True)
    _materials_table(doc, meeting)
    photos = photos_of(meeting)
    toolkit.page_break(doc)
    toolkit.paragraph(doc, _("Appendix %(n)s: documentation") % {"n": next(number)}, bold=True)
    if not add_photos(doc, photos):
        toolkit.paragraph(doc, _("No documentation photos were chosen for the report."), italic=True)
    toolkit.page_x_of_y_footer(
        doc, _("Page {page} of {pages}"), (_("Activity report") + f" — {meeting.title}")[:120]
    )
    return doc


def filename(report: ActivityReport, language: str = "id") -> str:
    base = "laporan-kegiatan" if language == "id" else "activity-report"
    title = slugify(report.meeting.title)[:60].strip("-") or "rapat"
    return f"{base}-{title}{'-en' if language == 'en' else ''}.docx"
