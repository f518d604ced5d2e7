"""The Daftar Hadir (attendance list) of one meeting day: alone, or appended to the Notula.

Filled in: the people who attended that day (participants.Attendance), on-site or online.
Blank (for printing before the day): the confirmed registrants, nothing ticked, for signing.
The signature cells alternate left and right ("1. ....." / "2. .....") so neighbours do not
sign on the same line. Phone and email are never printed. One query per document for the
people, whatever their number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.timezones import zone_label
from meetings.models import Meeting, MeetingDay
from participants.models import Attendance, Registration

from . import toolkit
from .toolkit import Cell, Cm

WIDTHS = [Cm(1.0), Cm(3.7), Cm(3.4), Cm(3.2), Cm(2.2), Cm(2.5)]


@dataclass(frozen=True)
class Row:
    name: str
    position: str
    organization: str
    how: str  # "onsite", "online" or "" (blank list)


def rows(day: MeetingDay, *, blank: bool = False) -> list[Row]:
    """The people of the list, by agency then name, in one query."""
    registrations = Registration.objects.filter(meeting_id=day.meeting_id).select_related("organization")
    if blank:
        registrations = registrations.filter(state=Registration.State.CONFIRMED)
    else:
        registrations = (
            registrations.filter(attendances__day=day)
            .distinct()
            .prefetch_related(
                Prefetch(
                    "attendances", queryset=Attendance.objects.filter(day=day).only("how", "registration_id")
                )
            )
        )
    result = []
    for registration in registrations.only(
        "full_name", "position", "organization_name", "organization__name", "meeting_id"
    ):
        org = (
            registration.organization.name if registration.organization_id else registration.organization_name
        )
        how = ""
        if not blank:
            kinds = {a.how for a in registration.attendances.all()}
            how = "onsite" if Attendance.How.ONSITE in kinds else "online"
        result.append(Row(registration.full_name, registration.position, org, how))
    result.sort(key=lambda r: (r.organization.casefold(), r.name.casefold()))
    return result


def day_text(day: MeetingDay) -> str:
    return formats.date_format(day.date, "DATE_FORMAT")


def hours_text(day: MeetingDay, timezone: str) -> str:
    start = formats.time_format(day.start_time, "TIME_FORMAT")
    end = formats.time_format(day.end_time, "TIME_FORMAT")
    return f"{start}–{end} {zone_label(timezone)}"


def place_text(meeting: Meeting) -> str:
    """Where: the room and venue, "and online" for a hybrid meeting, "Online" for an online one."""
    if meeting.mode == Meeting.Mode.ONLINE:
        return _("Online meeting")
    place = ", ".join(p for p in (meeting.venue_room, meeting.venue_name, meeting.venue_address) if p)
    if meeting.mode == Meeting.Mode.HYBRID:
        return _("%(place)s and online") % {"place": place} if place else _("Online")
    return place


def add_to(doc, day: MeetingDay, *, blank: bool = False, people: list[Row] | None = None) -> None:
    """The list of one day, written into `doc` from where it stands."""
    meeting = day.meeting
    people = rows(day, blank=blank) if people is None else people
    toolkit.paragraph(doc, _("ATTENDANCE LIST"), style="Title")
    toolkit.fields_table(
        doc,
        [
            (_("Session/Meeting"), meeting.title, 0),
            (_("Day/Date"), day_text(day), 0),
            (_("Time"), hours_text(day, meeting.timezone), 0),
            (_("Place"), place_text(meeting) or "-", 0),
        ],
        [Cm(3.5), Cm(0.4), toolkit.TEXT_WIDTH - Cm(3.9)],
    )
    toolkit.paragraph(doc, "")
    labels = {"onsite": _("Present on-site"), "online": _("Present online"), "": ""}
    headers = [
        _("No."),
        _("Name"),
        _("Position"),
        _("Institution"),
        _("Attendance"),
        _("Signature"),
    ]
    table_rows = (
        [
            Cell(f"{n}.", align="right"),
            person.name,
            person.position,
            person.organization,
            labels[person.how],
            # Odd numbers sign on the left of the cell, even numbers on the right.
            Cell(f"{n}. ........", align="left" if n % 2 else "right"),
        ]
        for n, person in enumerate(people, 1)
    )
    toolkit.data_table(doc, headers, table_rows, WIDTHS)
    if not people:
        toolkit.paragraph(
            doc,
            _("Nobody is recorded as present on this day.") if not blank else "",
            italic=True,
        )


def render(day: MeetingDay, *, language: str = "id", blank: bool = False) -> bytes:
    """The Daftar Hadir of one day as a .docx."""
    meeting = day.meeting
    with override(language):
        from .notula import add_letterhead  # the same letterhead as the Notula

        doc = toolkit.new_document(
            title=_("Attendance list") + f" — {meeting.title} — {day_text(day)}",
            subject=meeting.theme or meeting.title,
            author=settings.SINERGI_SITE_NAME,
            language=language,
        )
        add_letterhead(doc, meeting)
        add_to(doc, day, blank=blank)
        toolkit.page_x_of_y_footer(doc, _("Page {page} of {pages}"), _("Attendance list"))
        return toolkit.to_bytes(doc)


def filename(day: MeetingDay, *, language: str = "id", blank: bool = False) -> str:
    with override(language):
        base = "daftar-hadir" if language == "id" else "attendance-list"
        if blank:
            base += "-kosong" if language == "id" else "-blank"
    title = slugify(day.meeting.title)[:60] or "rapat"
    return f"{base}-{title}-{day.date:%Y-%m-%d}.docx"
