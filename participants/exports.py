"""The participant list of a meeting as CSV and as an Excel workbook (openpyxl)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.text import clean_name
from meetings.models import Meeting

from .models import Registration

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31
MAX_COLUMN_WIDTH = 60


def header(meeting: Meeting) -> list[str]:
    """The header row in the active language."""
    return [
        _("No"),
        _("Name"),
        _("Position"),
        _("Organization"),
        _("Email"),
        _("Phone"),
        _("Attendance mode"),
        _("State"),
        _("Registration code"),
        _("Registered (%(zone)s)") % {"zone": meeting.zone_label},
    ]


def organization_label(registration: Registration) -> str:
    if registration.organization_id:
        return str(registration.organization)
    return registration.organization_name


def rows(meeting: Meeting, registrations: QuerySet) -> Iterator[list]:
    """One list per registration, the registration moment as a naive datetime in the meeting's zone."""
    qs = registrations.select_related("organization").order_by("created_at", "id")
    for number, r in enumerate(qs.iterator(chunk_size=500), start=1):
        # Input is cleaned already; rows stored before that still carry bidi overrides.
        yield [
            number,
            clean_name(r.full_name),
            clean_name(r.position),
            clean_name(organization_label(r)),
            r.email,
            r.phone,
            r.get_mode_display(),
            r.get_state_display(),
            r.code,
            localtime(r.created_at, meeting.tz).replace(tzinfo=None, microsecond=0),
        ]


def guard(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula by prefixing an apostrophe."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, int):
        return str(value)
    return guard(str(value))


def to_csv(meeting: Meeting, registrations: QuerySet) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens names like “Ni Luh Putu Ayu” correctly.

    Every field is quoted: Excel set to a locale whose list separator is ";" (Indonesian) splits
    unquoted text on it, and the part after a ";" could start a formula the guard never saw.
    """
    return table_csv(header(meeting), rows(meeting, registrations))


def table_csv(head: list[str], table: Iterable[list]) -> bytes:
    """Any table as the CSV described in `to_csv`, every text cell guarded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(head)
    for row in table:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sheet_title(title: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\, no edge apostrophe."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub(" ", title)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()[:SHEET_TITLE_MAX].strip().strip("'").strip()
    return cleaned or _("Participants")[:SHEET_TITLE_MAX]


def to_xlsx(meeting: Meeting, registrations: QuerySet) -> bytes:
    return table_xlsx(sheet_title(meeting.title), header(meeting), rows(meeting, registrations))


def table_xlsx(title: str, head: list[str], table: Iterable[list]) -> bytes:
    """Any table as one Excel sheet named `title` (already `sheet_title`-safe), text kept as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in head]
    for row_number, row in enumerate(table, start=2):
        # Characters an Excel file cannot hold (control characters typed into a title) are dropped.
        row = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
        sheet.append(row)
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                # openpyxl stores a string starting with "=" as a formula; this keeps it text.
                cell.data_type = "s"
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            widths[column - 1] = max(widths[column - 1], len(_text_width(value)))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_width(value) -> str:
    return "0000-00-00 00:00" if isinstance(value, datetime) else str(value)


def filename(meeting: Meeting, extension: str) -> str:
    """A file name safe in a Content-Disposition header, from the meeting's code."""
    code = re.sub(r"[^A-Za-z0-9_-]", "", meeting.code) or "meeting"
    return f"registrations-{code}.{extension}"
