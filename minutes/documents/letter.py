"""The Surat Undangan (invitation letter) in the official layout (../shared/reference/domain.md):
letterhead, place and date on the right, Nomor / Sifat / Lampiran / Hal, "Yth." and the
addressee, the opening paragraph, the days, hours with the zone, the place and how to join
online, the agenda, the closing paragraph, the signing official, Tembusan; a letter to many
agencies says "Daftar terlampir" and lists them on an attached page.

A draft says DRAFT at the top of every page. Built with the shared toolkit, so nothing typed
into the letter can change the document's structure.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from meetings.models import AgendaItem, Meeting, MeetingDay, OnlineRoom

from ..models import InvitationLetter
from . import daftar_hadir, toolkit
from .notula import days_text, hours_text
from .toolkit import Cell, Cm

LANGUAGES = ("id", "en")
HEADER_WIDTHS = [Cm(2.6), Cm(0.4), toolkit.TEXT_WIDTH - Cm(3.0)]
# The meeting's details, indented under the opening paragraph.
DETAIL_WIDTHS = [Cm(1.0), Cm(3.2), Cm(0.4), toolkit.TEXT_WIDTH - Cm(4.6)]
LIST_WIDTHS = [Cm(1.2), toolkit.TEXT_WIDTH - Cm(1.2)]


def _days(meeting: Meeting) -> list[MeetingDay]:
    days = list(MeetingDay.objects.filter(meeting=meeting).order_by("date"))
    for day in days:
        day.meeting = meeting
    return days


def date_text(on) -> str:
    return formats.date_format(on, "j F Y")


def place_lines(meeting: Meeting) -> list[str]:
    """Where: the room and venue, and how to join online (the join link only when the room is
    open to the public; otherwise it goes to each registered participant)."""
    lines = []
    if meeting.has_onsite:
        place = ", ".join(p for p in (meeting.venue_room, meeting.venue_name, meeting.venue_address) if p)
        if place:
            lines.append(place)
    if meeting.has_online:
        room = OnlineRoom.objects.filter(meeting=meeting).first()
        label = (
            _("Online (Zoom Meeting)") if room and room.provider == OnlineRoom.Provider.ZOOM else _("Online")
        )
        if room and room.open_to_public and room.join_url:
            lines.append(f"{label}: {room.join_url}")
        else:
            lines.append(f"{label}: " + _("the link to join is sent to each registered participant"))
        lines.append(_("Registration: %(url)s") % {"url": meeting.urls.absolute.public})
    return lines or ["-"]


def agenda_lines(meeting: Meeting, days: list[MeetingDay]) -> list[str]:
    items = list(
        AgendaItem.objects.filter(day__meeting=meeting)
        .select_related("day")
        .order_by("day__date", "start_time", "order", "id")
    )
    several = len(days) > 1
    lines = []
    for item in items:
        start = formats.time_format(item.start_time, "TIME_FORMAT")
        end = formats.time_format(item.end_time, "TIME_FORMAT")
        when = f"{start}–{end} {meeting.zone_label}"
        if several:
            when = f"{daftar_hadir.day_text(item.day)}, {when}"
        lines.append(f"{when}: {item.title}")
    return lines or ["-"]


def render(letter: InvitationLetter, *, language: str = "id") -> bytes:
    """The letter as a .docx."""
    if language not in LANGUAGES:
        language = "id"
    with override(language):
        return toolkit.to_bytes(build(letter, language=language))


def build(letter: InvitationLetter, *, language: str = "id"):
    meeting = letter.meeting
    days = _days(meeting)
    many = letter.addressing == InvitationLetter.Addressing.LIST
    doc = toolkit.new_document(
        title=_("Invitation letter") + f" {letter.number} — {meeting.title}",
        subject=letter.hal,
        author=letter.signer_name or settings.SINERGI_SITE_NAME,
        language=language,
        keywords=_("invitation letter, %(number)s") % {"number": letter.number},
    )
    if letter.state != InvitationLetter.State.SENT:
        toolkit.draft_mark(doc, _("Not sent yet: the number and the text may still change"))
    lines = toolkit.letterhead_lines(letter.organization)
    if lines:
        toolkit.letterhead(doc, lines)

    place_date = ", ".join(p for p in (letter.place, date_text(letter.letter_date)) if p)
    toolkit.paragraph(doc, place_date, align=WD_ALIGN_PARAGRAPH.RIGHT)
    toolkit.fields_table(
        doc,
        [
            (_("Number"), letter.number, 0),
            (_("Nature"), letter.sifat or "-", 0),
            (_("Enclosures"), letter.lampiran or "-", 0),
            (_("Subject of the letter"), letter.hal, 0),
        ],
        HEADER_WIDTHS,
    )
    toolkit.paragraph(doc, "")
    addressed = doc.add_paragraph()
    addressed.paragraph_format.space_after = toolkit.Pt(0)
    addressed.add_run(_("To the honourable") + " ")
    if many:
        addressed.add_run(_("the attached list of addressees"))
    else:
        names = letter.addressees or ["-"]
        addressed.add_run(toolkit.safe(names[0]))
        for name in names[1:]:
            extra = doc.add_paragraph()
            extra.paragraph_format.space_after = toolkit.Pt(0)
            extra.paragraph_format.left_indent = Cm(0.9)
            extra.add_run(toolkit.safe(name))
    toolkit.paragraph(doc, _("in place"))
    toolkit.paragraph(doc, "")

    for text in (letter.opening or "").split("\n"):
        if text.strip():
            toolkit.paragraph(doc, text.strip(), align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    details = [
        (_("Day/Date"), days_text(days)),
        (_("Hours"), hours_text(days, meeting.timezone)),
        (_("Place"), "\n".join(place_lines(meeting))),
        (_("Order of business"), agenda_lines(meeting, days)),
    ]
    _details_table(doc, details)
    for text in (letter.closing or "").split("\n"):
        if text.strip():
            toolkit.paragraph(doc, text.strip(), align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    toolkit.paragraph(doc, "")
    before = [letter.signer_position + ","] if letter.signer_position else []
    after = [f"NIP {letter.signer_nip}"] if letter.signer_nip else []
    toolkit.signature_block(doc, before, letter.signer_name, after)

    if letter.tembusan:
        toolkit.paragraph(doc, "")
        toolkit.paragraph(doc, _("Copies to") + ":", bold=True)
        for n, line in enumerate(letter.tembusan, 1):
            p = toolkit.paragraph(doc, f"{n}. {line}")
            p.paragraph_format.space_after = toolkit.Pt(0)

    if many:
        toolkit.page_break(doc)
        toolkit.fields_table(
            doc,
            [
                (_("Attachment to the letter"), None, 0),
                (_("Number"), letter.number, 1),
                (_("Date"), date_text(letter.letter_date), 1),
            ],
            [Cm(5.0), Cm(0.4), toolkit.TEXT_WIDTH - Cm(5.4)],
        )
        toolkit.paragraph(doc, _("LIST OF ADDRESSEES"), style="Title")
        toolkit.data_table(
            doc,
            [_("No."), _("Addressee")],
            ([Cell(f"{n}.", align="right"), name] for n, name in enumerate(letter.addressees, 1)),
            LIST_WIDTHS,
        )
    toolkit.page_x_of_y_footer(doc, _("Page {page} of {pages}"), f"{_('Invitation letter')} {letter.number}")
    return doc


def _details_table(doc, rows) -> None:
    """The meeting's details as "Label : value", indented, without borders."""
    table = toolkit.fields_table(doc, [(label, value, 0) for label, value in rows], DETAIL_WIDTHS[1:])
    tbl_pr = table._tbl.tblPr
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(int(DETAIL_WIDTHS[0] / 635)))
    indent.set(qn("w:type"), "dxa")
    # The schema's order: w:tblInd comes before w:tblBorders (Word refuses it elsewhere).
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is not None:
        borders.addprevious(indent)
    else:
        tbl_pr.append(indent)


def filename(letter: InvitationLetter, language: str = "id") -> str:
    """`surat-undangan-7-und-ditpp-ix-2021.docx` (`-draft` until sent, `-en` in English)."""
    base = "surat-undangan" if language == "id" else "invitation-letter"
    number = slugify(re.sub(r"[/.\\]+", "-", letter.number))[:60].strip("-") or str(letter.pk)
    suffix = "" if letter.state == InvitationLetter.State.SENT else "-draft"
    return f"{base}-{number}{suffix}{'-en' if language == 'en' else ''}.docx"
