"""Online attendance from Zoom: the participants report after each day, and live join/leave events.

Decisions taken here:
- The report is fetched page by page (next_page_token, 300 rows a page) before the database
  transaction opens, so no lock waits on Zoom. Every join is kept as a ZoomAttendanceRow, known
  again in the next import by Zoom's participant id and its join time: importing twice changes
  nothing. A join belongs to the meeting day of its date in the meeting's time zone.
- A row is matched to a registration of the meeting by the Zoom registrant id, else the email
  (case-insensitive), else a match an organizer made by hand (remembered under the row's email,
  else the name it showed), else the normalised name (case and diacritics folded, titles,
  punctuation, extra spaces and the agency in "Name - Agency" or "Name (Agency)" dropped), when
  exactly one registration has it (the agency settles a tie). Anything else is left for the
  organizer to match by hand. Every import matches all the meeting's rows again, so a
  registration added (or a Zoom registrant id learnt) since the last one is picked up.
- Each person's rows of a day become one Attendance (how=ZOOM): first join, last leave, and the
  minutes in the room with overlapping joins (two devices) counted once. Only confirmed
  registrations get one, as with every attendance.
- The minimum (settings.ZOOM_MIN_ATTENDANCE_MINUTES): a person below it on a day gets no
  Attendance that day, so every count (the attendance summary, the Daftar Hadir) leaves them
  out without knowing the rule; their rows stay on the Zoom attendance page with their minutes.
- Zoom's record replaces a hand-made online attendance of the same day (as record_online does);
  a hand-made mark is left alone when Zoom's minutes fall below the minimum.
- Live events (a participant joined or left, from Zoom's webhooks) record who is in the room while the day runs:
  a Zoom Attendance with the first join and, once they left, the last leave; no minutes. The
  report, when imported, replaces those figures for every day it covers (live attendances of a
  covered day that the report does not confirm are removed). Events for a day already imported
  change nothing.
- The import writes one audit entry on the meeting (with its counts) rather than one per person,
  so a re-run leaves a trace without repeating hundreds of entries; a match by hand is written on
  the registration.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core import audit
from meetings.conferencing.webhooks import PARTICIPANT_JOINED, PARTICIPANT_LEFT
from meetings.models import Meeting, MeetingDay, OnlineRoom

from ..models import Attendance, Registration, ZoomAttendanceRow, ZoomMatch
from .attendance import CHECK_IN_STATUSES, ONLINE_HOWS, CheckInError, check_in_closed_reason

How = Attendance.How
MatchedBy = ZoomAttendanceRow.MatchedBy
REPORT_PAGE_SIZE = 300  # Zoom's largest page
BATCH_SIZE = 500
JOINED, LEFT = PARTICIPANT_JOINED, PARTICIPANT_LEFT

# Honorifics and degrees that are no part of a name as people type it in Zoom.
TITLES = frozenset(
    ("bapak", "bpk", "pak", "ibu", "bu", "sdr", "sdri", "saudara", "saudari", "dr", "drs", "dra")
    + ("ir", "prof", "hj", "h", "sh", "mh", "msi", "mm", "mpa", "mt", "mkn", "phd", "se", "st", "skom")
)
# " - Agency", " | Agency", " / Agency", "(Agency)", "[Agency]", " @ Agency".
AGENCY_SEPARATORS = re.compile(r"\s+[-–—|/@]\s+|\s*[()\[\]]\s*")
_WORDS = re.compile(r"[a-z0-9]+")
_SPACES = re.compile(r"\s+")


# Names ----------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Case and diacritics folded ("Ásep" and "asep" compare equal)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _words(text: str) -> list[str]:
    words = _WORDS.findall(fold(text).replace(".", " ").replace("'", ""))
    return [word for word in words if word not in TITLES] or words


def normalised_name(text: str) -> str:
    """The name as compared: the part before an agency, folded, without titles or punctuation.

    "Dr. Budi Santoso, M.Si - BP2MI" and "budi  santoso (Kemnaker)" both give "budi santoso".
    Degrees after a comma are dropped with the comma.
    """
    parts = [part for part in AGENCY_SEPARATORS.split(text or "") if part and part.strip()]
    if not parts:
        return ""
    return " ".join(_words(parts[0].split(",")[0]))


def agency_part(text: str) -> str:
    """What follows the name in "Name - Agency" / "Name (Agency)", folded, without spaces."""
    parts = [part for part in AGENCY_SEPARATORS.split(text or "") if part and part.strip()]
    return "".join(_words(" ".join(parts[1:]))) if len(parts) > 1 else ""


def match_key(name: str, email: str) -> str:
    """What a match by hand is remembered under: the email when Zoom gave one, else the name shown
    (folded and single-spaced, the agency kept: "Budi - BP2MI" and "Budi - KKP" stay apart)."""
    email = (email or "").strip().casefold()
    if email:
        return f"email:{email}"[:320]
    return f"name:{_SPACES.sub(' ', fold(name)).strip()}"[:320]


# Matching -------------------------------------------------------------------------------------


@dataclass
class Matcher:
    """Finds the registration of a Zoom participant among the meeting's registrations."""

    registrations: list[Registration]
    remembered: dict[str, int]  # ZoomMatch.key → registration id
    by_registrant: dict[str, int] = field(init=False)
    by_email: dict[str, int] = field(init=False)
    by_name: dict[str, list[Registration]] = field(init=False)

    def __post_init__(self):
        self.by_registrant = {r.zoom_registrant_id: r.pk for r in self.registrations if r.zoom_registrant_id}
        self.by_email = {r.email.casefold(): r.pk for r in self.registrations}
        self.by_name = defaultdict(list)
        for registration in self.registrations:
            name = normalised_name(registration.full_name)
            if name:
                self.by_name[name].append(registration)

    @classmethod
    def for_meeting(cls, meeting: Meeting) -> Matcher:
        registrations = list(
            Registration.objects.filter(meeting=meeting)
            .select_related("organization")
            .only(
                "pk",
                "full_name",
                "email",
                "zoom_registrant_id",
                "state",
                "organization_name",
                "organization__name",
                "organization__acronym",
            )
        )
        remembered = dict(ZoomMatch.objects.filter(meeting=meeting).values_list("key", "registration_id"))
        return cls(registrations, remembered)

    def match(self, *, registrant_id: str, email: str, name: str) -> tuple[int | None, str]:
        """(registration id, how it was matched), or (None, "")."""
        if registrant_id and registrant_id in self.by_registrant:
            return self.by_registrant[registrant_id], MatchedBy.REGISTRANT
        if email and email.strip().casefold() in self.by_email:
            return self.by_email[email.strip().casefold()], MatchedBy.EMAIL
        key = match_key(name, email)
        if key in self.remembered:
            return self.remembered[key], MatchedBy.HAND
        found = self.by_name.get(normalised_name(name), [])
        if len(found) > 1:
            agency = agency_part(name)
            found = [r for r in found if agency and agency in _agency_forms(r)]
        if len(found) == 1:
            return found[0].pk, MatchedBy.NAME
        return None, MatchedBy.NONE


def _agency_forms(registration: Registration) -> set[str]:
    forms = {registration.organization_name}
    if registration.organization_id:
        forms |= {registration.organization.acronym, registration.organization.name}
    return {"".join(_words(form)) for form in forms if form}


# The report -----------------------------------------------------------------------------------


def zoom_room(meeting: Meeting) -> OnlineRoom | None:
    room = OnlineRoom.objects.filter(meeting=meeting).first()
    if room is None or room.provider != OnlineRoom.Provider.ZOOM or not room.provider_id:
        return None
    return room


def _report_target(room: OnlineRoom, instance: str) -> str:
    """The path segment: the occurrence's uuid (double-encoded when Zoom says so), else the id."""
    if not instance:
        return str(room.provider_id)  # Zoom answers for the latest occurrence
    if instance.startswith("/") or "//" in instance:
        return quote(quote(instance, safe=""), safe="")
    return instance


def fetch_report(
    meeting: Meeting, *, instance: str = "", api=None, page_size: int = REPORT_PAGE_SIZE
) -> list[dict]:
    """Every row of the participants report, all pages. Raises ZoomError when Zoom fails for good."""
    from meetings.conferencing.zoom_api import ZoomApi

    room = zoom_room(meeting)
    if room is None:
        raise CheckInError(_("This meeting has no Zoom room; there is no Zoom report to import."))
    api = api or ZoomApi()
    target = _report_target(room, instance)
    rows: list[dict] = []
    token = ""
    while True:
        params = {"id": target, "page_size": page_size, "include_fields": "registrant_id"}
        if token:
            params["next_page_token"] = token
        body = api.call("report", "get_meeting_participants_report", ok=(200,), **params).json()
        rows.extend(body.get("participants") or [])
        token = body.get("next_page_token") or ""
        if not token:
            return rows


def _moment(value) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(str(value))
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


@dataclass
class ParsedRow:
    participant_key: str
    join_time: datetime
    leave_time: datetime | None
    seconds: int
    name: str
    email: str
    registrant_id: str


def parse_row(raw: dict) -> ParsedRow | None:
    """One report row as stored; None for a row without a join time (nothing to place)."""
    joined = _moment(raw.get("join_time"))
    if joined is None:
        return None
    name = str(raw.get("name") or "")[:300]
    key = str(raw.get("id") or "") or (f"user:{raw['user_id']}" if raw.get("user_id") else f"name:{name}")
    left = _moment(raw.get("leave_time"))
    try:
        seconds = max(0, int(raw.get("duration") or 0))
    except (TypeError, ValueError):
        seconds = 0
    if left is None and seconds:
        left = joined + timedelta(seconds=seconds)
    return ParsedRow(
        participant_key=key[:300],
        join_time=joined,
        leave_time=left,
        seconds=seconds,
        name=name,
        email=str(raw.get("user_email") or "").strip()[:254],
        registrant_id=str(raw.get("registrant_id") or "")[:64],
    )


def day_of(moment: datetime, meeting: Meeting, days: dict) -> MeetingDay | None:
    return days.get(timezone.localtime(moment, meeting.tz).date())


@dataclass
class ImportResult:
    rows: int = 0  # rows in the report
    new: int = 0  # rows not seen in an earlier import
    matched: int = 0  # rows of the meeting matched to a registration
    unmatched: int = 0
    present: int = 0  # Zoom attendances (person-days at or above the minimum)
    below_minimum: int = 0  # matched person-days under the minimum


def import_report(
    meeting: Meeting,
    *,
    instance: str = "",
    api=None,
    actor=None,
    page_size: int = REPORT_PAGE_SIZE,
) -> ImportResult:
    """Fetch the meeting's Zoom participants report and record it; safe to run any number of times.

    `instance` is the uuid of one occurrence (one day) from Zoom's meeting.ended event; without
    it Zoom reports the latest occurrence.
    """
    reason = check_in_closed_reason(meeting)
    if reason:
        raise CheckInError(reason)
    raw = fetch_report(meeting, instance=instance, api=api, page_size=page_size)
    return store_report(meeting, raw, instance=instance, actor=actor)


# A report Zoom cannot give yet (not ready, rate limited, down) is asked for again later.
RETRY_DELAYS = (timedelta(minutes=10), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))


def import_in_background(meeting: Meeting, *, instance: str = "", attempt: int = 0) -> ImportResult | None:
    """The task's import: a Zoom failure is written on the meeting's log (the Zoom attendance page
    shows it) and the import enqueued again a while later, a few times; then it is left to the
    organizer's "Import now". A meeting that cannot take an import (closed, no Zoom room) is skipped."""
    from meetings.conferencing.zoom_api import ZoomError

    try:
        return import_report(meeting, instance=instance)
    except CheckInError:
        return None
    except ZoomError as error:
        with transaction.atomic():
            again = attempt < len(RETRY_DELAYS)
            data = {"error": str(error)[:500], "attempt": attempt + 1, "retrying": again}
            audit.record(meeting, "meeting.zoom_report_failed", None, **data)
            if again:
                from ..tasks import import_zoom_report

                wait = max(RETRY_DELAYS[attempt], timedelta(seconds=error.retry_after or 0))
                import_zoom_report.using(run_after=timezone.now() + wait).enqueue(
                    meeting.pk, instance, attempt + 1
                )
        return None


@transaction.atomic
def store_report(meeting: Meeting, raw_rows: list[dict], *, instance: str = "", actor=None) -> ImportResult:
    """Upsert the report's rows, match every row of the meeting, recompute its Zoom attendance."""
    meeting = Meeting.objects.lock(meeting.pk)  # one import (or match by hand) at a time
    reason = check_in_closed_reason(meeting)
    if reason:
        raise CheckInError(reason)
    days = {day.date: day for day in meeting.days.all()}
    parsed: dict[tuple[str, datetime], ParsedRow] = {}
    for raw in raw_rows:
        row = parse_row(raw)
        if row is not None:
            parsed[(row.participant_key, row.join_time)] = row  # a row listed twice counts once
    existing = {
        (row.participant_key, row.join_time): row for row in ZoomAttendanceRow.objects.filter(meeting=meeting)
    }
    fields = ["day", "instance", "leave_time", "seconds", "name", "email", "registrant_id", "match_key"]
    changed, created = [], []
    for identity, row in parsed.items():
        day = day_of(row.join_time, meeting, days)
        values = {
            "day": day,
            "instance": instance or "",
            "leave_time": row.leave_time,
            "seconds": row.seconds,
            "name": row.name,
            "email": row.email,
            "registrant_id": row.registrant_id,
            "match_key": match_key(row.name, row.email),
        }
        stored = existing.get(identity)
        if stored is None:
            stored = ZoomAttendanceRow(
                meeting=meeting, participant_key=row.participant_key, join_time=row.join_time
            )
            for name, value in values.items():
                setattr(stored, name, value)
            created.append(stored)
            existing[identity] = stored
            continue
        if instance == "" and stored.instance:
            values["instance"] = stored.instance  # asked by id later: keep the occurrence known
        if any(getattr(stored, name) != value for name, value in values.items() if name != "day") or (
            stored.day_id != (day.pk if day else None)
        ):
            for name, value in values.items():
                setattr(stored, name, value)
            changed.append(stored)
    rows = list(existing.values())
    # Matched before they are written, so a new row is inserted with its match in one go.
    rematched = _apply_matches(Matcher.for_meeting(meeting), rows)
    ZoomAttendanceRow.objects.bulk_create(created, batch_size=BATCH_SIZE)
    new = {id(row) for row in created}
    stale = {id(row): row for row in changed + rematched if id(row) not in new}
    if stale:
        ZoomAttendanceRow.objects.bulk_update(
            stale.values(), [*fields, "registration", "matched_by"], batch_size=BATCH_SIZE
        )
    attendance = _recompute_attendance(meeting, rows)
    dates = {day.pk: day.date.isoformat() for day in days.values()}
    covered = {dates[row.day_id] for row in parsed_rows(existing, parsed) if row.day_id}
    result = ImportResult(
        rows=len(parsed),
        new=len(created),
        matched=sum(1 for row in rows if row.registration_id),
        unmatched=sum(1 for row in rows if not row.registration_id),
        present=attendance.present,
        below_minimum=attendance.below_minimum,
    )
    audit.record(
        meeting,
        "meeting.zoom_report_imported",
        actor,
        rows=result.rows,
        new=result.new,
        unmatched=result.unmatched,
        present=result.present,
        days=sorted(covered),
    )
    return result


def _apply_matches(matcher: Matcher, rows: list[ZoomAttendanceRow]) -> list[ZoomAttendanceRow]:
    """Set every row's match (in memory); returns the rows whose match changed."""
    changed = []
    for row in rows:
        registration_id, how = matcher.match(registrant_id=row.registrant_id, email=row.email, name=row.name)
        if (row.registration_id, row.matched_by) != (registration_id, how):
            row.registration_id, row.matched_by = registration_id, how
            changed.append(row)
    return changed


def _match_rows(meeting: Meeting, rows: list[ZoomAttendanceRow]) -> None:
    changed = _apply_matches(Matcher.for_meeting(meeting), rows)
    if changed:
        ZoomAttendanceRow.objects.bulk_update(changed, ["registration", "matched_by"], batch_size=BATCH_SIZE)


def merged_minutes(intervals: list[tuple[datetime, datetime]]) -> int:
    """Whole minutes covered by the intervals, overlapping ones counted once."""
    total = 0.0
    end = None
    for start, stop in sorted(intervals):
        if end is None or start > end:
            total += (stop - start).total_seconds()
            end = stop
        elif stop > end:
            total += (stop - end).total_seconds()
            end = stop
    return int(total // 60)


@dataclass
class Figures:
    first: datetime
    last: datetime | None
    minutes: int


def person_days(rows: list[ZoomAttendanceRow]) -> dict[tuple[int, int], Figures]:
    """(registration id, day id) → first join, last leave and minutes of the matched rows."""
    grouped: dict[tuple[int, int], list[ZoomAttendanceRow]] = defaultdict(list)
    for row in rows:
        if row.registration_id and row.day_id:
            grouped[(row.registration_id, row.day_id)].append(row)
    figures = {}
    for key, group in grouped.items():
        intervals = [(r.join_time, r.leave_time or r.join_time + timedelta(seconds=r.seconds)) for r in group]
        leaves = [r.leave_time for r in group if r.leave_time]
        figures[key] = Figures(
            first=min(r.join_time for r in group),
            last=max(leaves) if leaves else None,
            minutes=merged_minutes(intervals),
        )
    return figures


@dataclass
class Recomputed:
    present: int = 0
    below_minimum: int = 0


def minimum_minutes() -> int:
    return settings.ZOOM_MIN_ATTENDANCE_MINUTES


def parsed_rows(existing: dict, parsed: dict) -> list[ZoomAttendanceRow]:
    """The stored rows of this report."""
    return [existing[identity] for identity in parsed]


def _recompute_attendance(meeting: Meeting, rows: list[ZoomAttendanceRow]) -> Recomputed:
    """Make the Zoom attendances of every day with report rows exactly what the rows say (see the
    module's decisions); days without rows keep their live attendances."""
    day_ids = {row.day_id for row in rows if row.day_id}
    if not day_ids:
        return Recomputed()
    confirmed = set(
        Registration.objects.filter(meeting=meeting, state=Registration.State.CONFIRMED).values_list(
            "pk", flat=True
        )
    )
    least = minimum_minutes()
    wanted, below = {}, 0
    for key, figures in person_days(rows).items():
        if key[1] not in day_ids or key[0] not in confirmed:
            continue
        if figures.minutes >= least:
            wanted[key] = figures
        else:
            below += 1
    existing = Attendance.objects.filter(
        registration__meeting=meeting, day_id__in=day_ids, how__in=ONLINE_HOWS
    )
    updated, removed = [], []
    seen = set()
    for attendance in existing:
        key = (attendance.registration_id, attendance.day_id)
        figures = wanted.get(key)
        if figures is None:
            if attendance.how == How.ZOOM:
                removed.append(attendance.pk)  # live, matched elsewhere since, or now below the minimum
            continue
        seen.add(key)
        new = (How.ZOOM, figures.first, figures.last, figures.minutes, None)
        old = (
            attendance.how,
            attendance.first_seen_at,
            attendance.last_left_at,
            attendance.minutes,
            attendance.recorded_by_id,
        )
        if new != old:
            attendance.how, attendance.first_seen_at, attendance.last_left_at, attendance.minutes = new[:4]
            attendance.recorded_by = None
            updated.append(attendance)
    if removed:
        Attendance.objects.filter(pk__in=removed).delete()
    if updated:
        Attendance.objects.bulk_update(
            updated, ["how", "first_seen_at", "last_left_at", "minutes", "recorded_by"], batch_size=BATCH_SIZE
        )
    Attendance.objects.bulk_create(
        [
            Attendance(
                registration_id=registration_id,
                day_id=day_id,
                how=How.ZOOM,
                first_seen_at=figures.first,
                last_left_at=figures.last,
                minutes=figures.minutes,
            )
            for (registration_id, day_id), figures in wanted.items()
            if (registration_id, day_id) not in seen
        ],
        batch_size=BATCH_SIZE,
    )
    return Recomputed(present=len(wanted), below_minimum=below)


# Matching by hand -----------------------------------------------------------------------------


@transaction.atomic
def match_by_hand(row: ZoomAttendanceRow, registration: Registration, *, actor) -> int:
    """Match the row's participant (its email, else its name shown) to `registration`, now and in
    every later import; returns how many rows of the meeting now carry that match."""
    if registration.meeting_id != row.meeting_id:
        raise ValueError("The registration belongs to another meeting.")
    meeting = Meeting.objects.lock(row.meeting_id)
    reason = check_in_closed_reason(meeting)
    if reason:
        raise CheckInError(reason)
    if registration.state != Registration.State.CONFIRMED:
        raise CheckInError(
            _(
                "%(name)s is not a confirmed participant (%(state)s); only confirmed registrations can be matched."
            )
            % {"name": registration.full_name, "state": registration.get_state_display()}
        )
    ZoomMatch.objects.update_or_create(
        meeting=meeting,
        key=row.match_key,
        defaults={"registration": registration, "matched_by": audit_user(actor)},
    )
    rows = list(ZoomAttendanceRow.objects.filter(meeting=meeting))
    _match_rows(meeting, rows)
    _recompute_attendance(meeting, rows)
    count = sum(1 for r in rows if r.match_key == row.match_key and r.registration_id == registration.pk)
    audit.record(registration, "attendance.zoom_matched_by_hand", actor, zoom_name=row.name, rows=count)
    return count


def audit_user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# Live events ----------------------------------------------------------------------------------


@transaction.atomic
def record_live_event(
    meeting: Meeting, event: str, participant: dict, occurred_at: str | datetime | None
) -> Attendance | None:
    """A participant joined or left the Zoom room: keep their Zoom attendance of the day current.

    Returns the attendance, or None when nothing was recorded (not matched, not confirmed, no
    meeting day at that moment, the meeting not open, or the day's report imported already).
    """
    if event not in (JOINED, LEFT):
        return None
    # The import's lock: an event never slips in between the import's read and its writes.
    meeting = Meeting.objects.lock(meeting.pk)
    if meeting.status not in CHECK_IN_STATUSES:
        return None
    at = _moment(participant.get("join_time" if event == JOINED else "leave_time")) or (
        occurred_at if isinstance(occurred_at, datetime) else _moment(occurred_at)
    )
    if at is None:
        return None
    day = day_of(at, meeting, {day.date: day for day in meeting.days.all()})
    if day is None:
        return None
    registration_id, _how = Matcher.for_meeting(meeting).match(
        registrant_id=str(participant.get("registrant_id") or ""),
        email=str(participant.get("email") or ""),
        name=str(participant.get("user_name") or ""),
    )
    if registration_id is None:
        return None
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.state != Registration.State.CONFIRMED:
        return None
    attendance = (
        Attendance.objects.select_for_update()
        .filter(registration=registration, day=day, how__in=ONLINE_HOWS)
        .first()
    )
    if attendance is not None and attendance.how == How.ZOOM and attendance.minutes is not None:
        return attendance  # the report has spoken for this day
    if attendance is None or attendance.how == How.ONLINE:
        attendance = attendance or Attendance(registration=registration, day=day)
        attendance.how, attendance.recorded_by, attendance.minutes = How.ZOOM, None, None
        joined = _moment(participant.get("join_time")) if event == LEFT else at
        attendance.first_seen_at = min(joined or at, at)
        attendance.last_left_at = at if event == LEFT else None
    elif event == JOINED:
        attendance.first_seen_at = min(attendance.first_seen_at, at)
        if attendance.last_left_at is None or attendance.last_left_at <= at:
            attendance.last_left_at = None  # in the room again
    else:
        if attendance.last_left_at is None or attendance.last_left_at < at:
            attendance.last_left_at = at
    attendance.save()
    return attendance


def online_now(day: MeetingDay) -> list[Attendance]:
    """Who is in the Zoom room now, by the live events (joined, not left since; no report yet)."""
    return list(
        Attendance.objects.filter(day=day, how=How.ZOOM, last_left_at__isnull=True, minutes__isnull=True)
        .select_related("registration__organization")
        .order_by("registration__full_name", "pk")
    )
