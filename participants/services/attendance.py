"""Attendance per meeting day: on-site check-in and its undo, walk-ins, and the summary.

Decisions taken here:
- Only confirmed registrations can be checked in, and only while the meeting is published or
  held (a draft has no participants yet; a closed meeting's record is final).
- A person registered online who turns up in the room is checked in on-site: the attendance row
  says how they attended; their registration keeps its mode (so online seats and emails are
  untouched).
- A walk-in needs an email address: every registration gets a confirmation email with the code
  and the private link through which the person can see, cancel or ask for their data, and the
  address is what keeps one person to one registration per meeting. A placeholder address would
  collect bounced mail and defeat both.
- When the room is full a walk-in is refused unless an organizer ticks "admit over capacity".
- On-site check-in is accepted on the day itself only (its date in the meeting's zone); an
  organizer can override that to record or correct a check-in on another date.
- Online attendance has one entry point, `record_online`, for every source: "manual" (an
  organizer ticks people on the online-attendance page) and "zoom" (the Zoom integration, with
  join and leave times). A person has at most one online attendance per day: Zoom's record
  replaces a hand-made one; a hand-made mark over Zoom's changes nothing. It can be recorded
  from the start of the day on, also afterwards (from the meeting's Zoom report), never before.
- Before a day begins nobody is absent; while it runs, the confirmed who have not come are "not
  yet arrived"; only after it ends are they no-shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit
from directory.models import Organization
from meetings.models import Meeting, MeetingDay

from ..models import Attendance, Registration
from . import registration as registration_services

State = Registration.State
Mode = Registration.Mode
How = Attendance.How

CHECK_IN_STATUSES = (Meeting.Status.PUBLISHED, Meeting.Status.HELD)
ONLINE_HOWS = (How.ONLINE, How.ZOOM)
# Which kind of attendance each source of online attendance records.
ONLINE_SOURCES = {"manual": How.ONLINE, "zoom": How.ZOOM}


class CheckInError(Exception):
    """A check-in that cannot be made or undone; the message is for the person at the desk."""


@dataclass
class CheckIn:
    attendance: Attendance
    # False when the person had been checked in for that day already (nothing was recorded).
    created: bool

    @property
    def registration(self) -> Registration:
        return self.attendance.registration


@dataclass
class WalkIn:
    registration: Registration
    attendance: Attendance
    # True when an organizer admitted the person although every on-site seat was taken.
    over_capacity: bool


def normalise_code(text: str) -> str:
    """What was typed or scanned, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t\r\n")


def find_by_code(meeting: Meeting, text: str) -> Registration | None:
    code = normalise_code(text)
    if not code:
        return None
    return Registration.objects.select_related("organization").filter(meeting=meeting, code=code).first()


def check_in_closed_reason(meeting: Meeting) -> str | None:
    if meeting.status not in CHECK_IN_STATUSES:
        return _("Check-in is open only while the meeting is published or held (it is %(status)s).") % {
            "status": meeting.get_status_display().lower()
        }
    return None


def _day_text(day: MeetingDay) -> str:
    return formats.date_format(day.date, "DATE_FORMAT")


def outside_day_reason(day: MeetingDay, at: datetime | None = None) -> str | None:
    """Why on-site check-in for `day` is not open at `at` (now): it is another date there."""
    local = timezone.localtime(at or timezone.now(), day.meeting.tz).date()
    if local == day.date:
        return None
    if local < day.date:
        text = _("Check-in for %(date)s opens on that day; it is not that day yet.")
    else:
        text = _("%(date)s is over; check-in for it is closed.")
    return text % {"date": _day_text(day)}


def not_begun_reason(day: MeetingDay, at: datetime | None = None) -> str | None:
    """Why online attendance cannot be recorded for `day` at `at` (now): it is not that day yet.

    The day's date counts, not its start time: people join a Zoom room before the opening.
    """
    if timezone.localtime(at or timezone.now(), day.meeting.tz).date() >= day.date:
        return None
    return _("%(date)s has not come yet; nobody can have attended it.") % {"date": _day_text(day)}


def not_confirmed_message(registration: Registration) -> str:
    return _(
        "%(name)s cannot be checked in: the registration is “%(state)s”. "
        "Only confirmed registrations can be checked in."
    ) % {"name": registration.full_name, "state": registration.get_state_display()}


def _check_day(registration: Registration, day: MeetingDay) -> None:
    if day.meeting_id != registration.meeting_id:
        # A programming error (views look days up within the meeting), never a person's mistake.
        raise ValueError("The day belongs to another meeting.")


def _locked_confirmed(registration: Registration, day: MeetingDay) -> Registration:
    """The registration under a row lock (a racing cancellation is seen), checked attendable."""
    _check_day(registration, day)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("meeting", "organization")
        .get(pk=registration.pk)
    )
    day.meeting = registration.meeting
    reason = check_in_closed_reason(registration.meeting)
    if reason:
        raise CheckInError(reason)
    if registration.state != State.CONFIRMED:
        raise CheckInError(not_confirmed_message(registration))
    return registration


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


@transaction.atomic
def check_in(
    registration: Registration,
    day: MeetingDay,
    *,
    actor,
    at: datetime | None = None,
    outside_day: bool = False,
) -> CheckIn:
    """Record that a confirmed person is in the room on `day`; a second check-in records nothing.

    `at` is the moment of arrival (now, unless a record is entered afterwards). Outside the day
    itself the check-in is refused unless `outside_day` (an organizer's override, which the
    caller checks) says to record it anyway.
    """
    registration = _locked_confirmed(registration, day)
    at = at or timezone.now()
    reason = outside_day_reason(day, at)
    if reason and not outside_day:
        raise CheckInError(reason)
    # get_or_create retries the read when a concurrent check-in wins the unique constraint.
    attendance, created = Attendance.objects.get_or_create(
        registration=registration,
        day=day,
        how=How.ONSITE,
        defaults={"first_seen_at": at, "recorded_by": _user(actor)},
    )
    attendance.registration = registration
    if created:
        audit.record(
            registration,
            "attendance.checked_in",
            actor,
            day=day.date.isoformat(),
            mode=registration.mode,
            **({"outside_day": True} if reason else {}),
        )
    return CheckIn(attendance, created)


@transaction.atomic
def record_online(
    registration: Registration,
    day: MeetingDay,
    *,
    actor=None,
    source: str = "manual",
    joined_at: datetime | None = None,
    left_at: datetime | None = None,
    minutes: int | None = None,
) -> CheckIn:
    """Record that a confirmed person attended `day` online; every source comes through here.

    "manual": an organizer ticked the person (joined_at defaults to now). "zoom": the Zoom
    integration, with the first join, last leave and minutes from Zoom's report; it replaces a
    hand-made record of that day. Returns created=False when nothing new was recorded.
    """
    how = ONLINE_SOURCES[source]
    registration = _locked_confirmed(registration, day)
    reason = not_begun_reason(day, joined_at)
    if reason:
        raise CheckInError(reason)
    existing = Attendance.objects.filter(registration=registration, day=day, how__in=ONLINE_HOWS).first()
    if existing is not None and (how == How.ONLINE or existing.how == How.ZOOM and not joined_at):
        return CheckIn(existing, False)
    attendance = existing or Attendance(registration=registration, day=day)
    attendance.how = how
    attendance.first_seen_at = joined_at or timezone.now()
    attendance.last_left_at, attendance.minutes = left_at, minutes
    attendance.recorded_by = _user(actor) if how == How.ONLINE else None
    attendance.save()
    audit.record(
        registration,
        "attendance.online_recorded",
        actor,
        day=day.date.isoformat(),
        source=source,
        **({"minutes": minutes} if minutes is not None else {}),
    )
    return CheckIn(attendance, existing is None)


@transaction.atomic
def remove_online(registration: Registration, day: MeetingDay, *, actor) -> bool:
    """Take back a hand-made online attendance; Zoom's own records are not changed by hand."""
    _check_day(registration, day)
    reason = check_in_closed_reason(registration.meeting)
    if reason:
        raise CheckInError(reason)
    deleted, _rows = Attendance.objects.filter(registration=registration, day=day, how=How.ONLINE).delete()
    if deleted:
        audit.record(registration, "attendance.online_removed", actor, day=day.date.isoformat())
    return bool(deleted)


def online_roster(meeting: Meeting, day: MeetingDay) -> list[Registration]:
    """Who may be marked as attending `day` online: confirmed online registrants, and anyone
    with an online attendance that day. Each carries `online_how` ("online", "zoom" or None)
    and `here` (checked in on-site that day)."""
    online_how = Attendance.objects.filter(registration=OuterRef("pk"), day=day, how__in=ONLINE_HOWS).values(
        "how"
    )[:1]
    return list(
        Registration.objects.filter(meeting=meeting)
        .annotate(online_how=online_how, here=_onsite_here(day))
        .filter(Q(state=State.CONFIRMED, mode=Mode.ONLINE) | Q(online_how__isnull=False))
        .select_related("organization")
        .order_by("full_name", "pk")
    )


@dataclass
class OnlineChange:
    added: list[Registration]
    removed: list[Registration]


@transaction.atomic
def set_online_attendance(
    meeting: Meeting, day: MeetingDay, present: Iterable[int], *, actor
) -> OnlineChange:
    """The online-attendance page: exactly the ticked people attended `day` online.

    Ticks add hand-made records, cleared ticks remove them; Zoom's records stay whatever the
    ticks say. Anyone ticked who is not on the roster makes the whole change refused.
    """
    if day.meeting_id != meeting.pk:
        raise ValueError("The day belongs to another meeting.")
    day.meeting = meeting
    for reason in (check_in_closed_reason(meeting), not_begun_reason(day)):
        if reason:
            raise CheckInError(reason)
    roster = {r.pk: r for r in online_roster(meeting, day)}
    present = set(present)
    if present - set(roster):
        raise CheckInError(
            _("Some of the people ticked are not confirmed participants of this meeting; nothing was saved.")
        )
    change = OnlineChange([], [])
    for pk, registration in roster.items():
        if pk in present and registration.online_how is None:
            record_online(registration, day, actor=actor, source="manual")
            change.added.append(registration)
        elif pk not in present and registration.online_how == How.ONLINE:
            remove_online(registration, day, actor=actor)
            change.removed.append(registration)
    return change


@transaction.atomic
def undo_check_in(attendance: Attendance, *, actor) -> None:
    """Take back an on-site check-in (a wrong person, a wrong day)."""
    if attendance.how != How.ONSITE:
        raise CheckInError(_("Only on-site check-ins can be undone here."))
    registration = attendance.registration
    day = attendance.day
    deleted, _rows = Attendance.objects.filter(pk=attendance.pk).delete()
    if deleted:
        audit.record(registration, "attendance.check_in_undone", actor, day=day.date.isoformat())


def _room_is_full(meeting: Meeting, mode: str) -> bool:
    limit = registration_services.capacity(meeting, mode)
    if limit is None or limit == 0:
        return False  # unlimited, or no such mode (register() says so)
    return registration_services.confirmed_counts(meeting)[mode] >= limit


@transaction.atomic
def add_walk_in(
    meeting: Meeting,
    day: MeetingDay,
    *,
    actor,
    full_name: str,
    email: str,
    position: str = "",
    organization: Organization | None = None,
    organization_name: str = "",
    phone: str = "",
    mode: str = Mode.ONSITE,
    language: str = "id",
    admit_over_capacity: bool = False,
    outside_day: bool = False,
) -> WalkIn:
    """Register someone who turned up without registering, and check them in at once.

    The desk asks the person's consent to the processing of their data before adding them (the
    form has a box for it). Raises ValidationError (shown next to the form's fields) or
    CheckInError; either way nothing is created.
    """
    if day.meeting_id != meeting.pk:
        raise ValueError("The day belongs to another meeting.")
    # The same lock register() takes: the fullness check below and the placement agree.
    meeting = Meeting.objects.lock(meeting.pk)
    day.meeting = meeting
    reason = check_in_closed_reason(meeting) or (None if outside_day else outside_day_reason(day))
    if reason:
        raise CheckInError(reason)
    email = email.strip().lower()
    existing = Registration.objects.filter(meeting=meeting, email=email).first()
    # register() would answer "existing" for these (a decline stands); say so at the desk.
    if existing is not None and (existing.is_active or existing.state == State.DECLINED):
        raise ValidationError(
            {
                "email": _(
                    "This address is already registered (%(name)s, code %(code)s, %(state)s). "
                    "Find the person by name or code instead."
                )
                % {"name": existing.full_name, "code": existing.code, "state": existing.get_state_display()}
            }
        )
    over_capacity = _room_is_full(meeting, mode)
    if over_capacity and not admit_over_capacity:
        limit = registration_services.capacity(meeting, mode)
        raise ValidationError(
            {
                "admit_over_capacity": _(
                    "All %(limit)d on-site seats are taken. An organizer can admit this person "
                    "anyway by ticking “admit over capacity”."
                )
                % {"limit": limit}
            }
        )
    outcome = registration_services.register(
        meeting,
        full_name=full_name,
        email=email,
        mode=mode,
        position=position,
        organization=organization,
        organization_name=organization_name,
        phone=phone,
        language=language,
        consent=True,
        source=Registration.Source.WALK_IN,
        actor=actor,
        check_window=False,
        over_capacity=over_capacity,
    )
    registration = outcome.registration
    if outcome.result != "confirmed":
        # Only a registration racing in with the same address gets here; roll everything back.
        raise CheckInError(_("This person could not be registered; please try again."))
    result = check_in(registration, day, actor=actor, outside_day=outside_day)
    return WalkIn(registration, result.attendance, over_capacity)


# Reading ------------------------------------------------------------------------------------


def _onsite_here(day: MeetingDay):
    return Exists(Attendance.objects.filter(registration=OuterRef("pk"), day=day, how=How.ONSITE))


def day_counts(meeting: Meeting, day: MeetingDay) -> dict[str, int]:
    """The desk's numbers for a day, in one query.

    confirmed_onsite: confirmed on-site registrations; checked_in: everyone checked in on-site
    that day (online registrants who came in person included); not_yet: confirmed on-site
    registrations not checked in yet.
    """
    return (
        Registration.objects.filter(meeting=meeting)
        .annotate(here=_onsite_here(day))
        .aggregate(
            confirmed_onsite=Count("pk", filter=Q(state=State.CONFIRMED, mode=Mode.ONSITE)),
            checked_in=Count("pk", filter=Q(here=True)),
            not_yet=Count("pk", filter=Q(state=State.CONFIRMED, mode=Mode.ONSITE, here=False)),
        )
    )


def recent_check_ins(day: MeetingDay, limit: int = 30) -> list[Attendance]:
    return list(
        Attendance.objects.filter(day=day, how=How.ONSITE)
        .select_related("registration__organization", "recorded_by")
        .order_by("-first_seen_at", "-pk")[:limit]
    )


def search(meeting: Meeting, day: MeetingDay, q: str, limit: int = 20) -> list[Registration]:
    """Registrations of the meeting matching a name, organization or code, with `here` set."""
    q = q.strip()
    if len(q) < 2:
        return []
    matches = (
        Q(full_name__icontains=q)
        | Q(organization_name__icontains=q)
        | Q(organization__name__icontains=q)
        | Q(organization__acronym__icontains=q)
    )
    code = normalise_code(q)
    if code:
        matches |= Q(code=code)
    return list(
        Registration.objects.filter(meeting=meeting)
        .filter(matches)
        .select_related("organization")
        .annotate(here=_onsite_here(day))
        .order_by("full_name", "pk")[:limit]
    )


def search_row(meeting: Meeting, day: MeetingDay, registration: Registration) -> Registration:
    """One registration as the search lists it, to refresh its row after a check-in."""
    return (
        Registration.objects.filter(meeting=meeting, pk=registration.pk)
        .select_related("organization")
        .annotate(here=_onsite_here(day))
        .get()
    )


@dataclass
class AgencyRow:
    name: str
    registered: int = 0
    onsite: int = 0
    online: int = 0
    # Confirmed without any attendance that day; None before the day begins (nobody is absent).
    no_shows: int | None = 0


UPCOMING, UNDER_WAY, OVER = "upcoming", "under_way", "over"


def day_phase(day: MeetingDay, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if now < day.starts_at():
        return UPCOMING
    return UNDER_WAY if now < day.ends_at() else OVER


@dataclass
class DaySummary:
    day: MeetingDay
    rows: list[AgencyRow]
    total: AgencyRow
    # upcoming, under_way (the missing are "not yet arrived") or over (they are no-shows)
    phase: str = OVER


def summary(meeting: Meeting, now: datetime | None = None) -> list[DaySummary]:
    """Per day and per agency: confirmed, attended on-site, attended online, no-shows.

    Two queries whatever the number of registrations: the days, and one aggregate grouped by
    organization with a set of counts per day. An agency is the directory's organization, or the
    name as typed (case-insensitive) when the person's organization is not in the directory.
    Attendance counts people (one on-site and one online attendance each at most); no-shows are
    confirmed registrations with no attendance of any kind that day, counted once the day began.
    """
    days = list(meeting.days.order_by("date"))
    for day in days:
        day.meeting = meeting
    confirmed = Q(state=State.CONFIRMED)
    counts = {"registered": Count("pk", filter=confirmed, distinct=True)}
    for day in days:
        counts[f"onsite_{day.pk}"] = Count(
            "pk", filter=Q(attendances__day=day, attendances__how=How.ONSITE), distinct=True
        )
        counts[f"online_{day.pk}"] = Count(
            "pk", filter=Q(attendances__day=day, attendances__how__in=ONLINE_HOWS), distinct=True
        )
        counts[f"present_{day.pk}"] = Count("pk", filter=confirmed & Q(attendances__day=day), distinct=True)
    grouped = (
        Registration.objects.filter(meeting=meeting)
        .values("organization_id", "organization__name", "organization__acronym", "organization_name")
        .annotate(**counts)
        .order_by()
    )
    agencies: dict[tuple, dict] = {}
    for row in grouped:
        if row["organization_id"]:
            key = ("org", row["organization_id"])
            name = row["organization__acronym"] or row["organization__name"]
        else:
            typed = row["organization_name"].strip()
            key = ("typed", typed.lower())
            name = typed or _("Organization not given")
        merged = agencies.setdefault(key, {"name": name})
        merged["name"] = min(merged["name"], name)  # the same name typed in other cases: one row
        for field, value in row.items():
            if field == "registered" or field.startswith(("onsite_", "online_", "present_")):
                merged[field] = merged.get(field, 0) + value
    ordered = sorted(agencies.values(), key=lambda a: a["name"].lower())
    result = []
    for day in days:
        phase = day_phase(day, now)
        rows = []
        for agency in ordered:
            row = AgencyRow(
                name=agency["name"],
                registered=agency["registered"],
                onsite=agency[f"onsite_{day.pk}"],
                online=agency[f"online_{day.pk}"],
                no_shows=None if phase == UPCOMING else agency["registered"] - agency[f"present_{day.pk}"],
            )
            if row.registered or row.onsite or row.online:
                rows.append(row)
        total = AgencyRow(
            name=_("Total"),
            registered=sum(r.registered for r in rows),
            onsite=sum(r.onsite for r in rows),
            online=sum(r.online for r in rows),
            no_shows=None if phase == UPCOMING else sum(r.no_shows for r in rows),
        )
        result.append(DaySummary(day, rows, total, phase))
    return result
