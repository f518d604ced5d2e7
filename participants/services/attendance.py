"""Attendance per meeting day: on-site check-in and its undo, walk-ins, and the summary.

Decisions where the issue is silent:
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
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from meetings.models import Meeting, MeetingDay

from ..models import Attendance, Organization, Registration
from . import registration as registration_services

State = Registration.State
Mode = Registration.Mode
How = Attendance.How

CHECK_IN_STATUSES = (Meeting.Status.PUBLISHED, Meeting.Status.HELD)


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


def not_confirmed_message(registration: Registration) -> str:
    return _(
        "%(name)s cannot be checked in: the registration is “%(state)s”. "
        "Only confirmed registrations can be checked in."
    ) % {"name": registration.full_name, "state": registration.get_state_display()}


def _check_day(registration: Registration, day: MeetingDay) -> None:
    if day.meeting_id != registration.meeting_id:
        # A programming error (views look days up within the meeting), never a person's mistake.
        raise ValueError("The day belongs to another meeting.")


@transaction.atomic
def check_in(registration: Registration, day: MeetingDay, *, actor) -> CheckIn:
    """Record that a confirmed person is in the room on `day`; a second check-in records nothing."""
    _check_day(registration, day)
    # Read the state under a row lock so a cancellation racing with the check-in is seen.
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("meeting", "organization")
        .get(pk=registration.pk)
    )
    reason = check_in_closed_reason(registration.meeting)
    if reason:
        raise CheckInError(reason)
    if registration.state != State.CONFIRMED:
        raise CheckInError(not_confirmed_message(registration))
    # get_or_create retries the read when a concurrent check-in wins the unique constraint.
    attendance, created = Attendance.objects.get_or_create(
        registration=registration,
        day=day,
        how=How.ONSITE,
        defaults={
            "first_seen_at": timezone.now(),
            "recorded_by": actor if actor and actor.is_authenticated else None,
        },
    )
    attendance.registration = registration
    if created:
        audit.record(
            registration,
            "attendance.checked_in",
            actor,
            day=day.date.isoformat(),
            mode=registration.mode,
        )
    return CheckIn(attendance, created)


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
) -> WalkIn:
    """Register someone who turned up without registering, and check them in at once.

    The desk asks the person's consent to the processing of their data before adding them (the
    form has a box for it). Raises ValidationError (shown next to the form's fields) or
    CheckInError; either way nothing is created.
    """
    if day.meeting_id != meeting.pk:
        raise ValueError("The day belongs to another meeting.")
    # The same lock register() takes: the fullness check below and the placement agree.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    reason = check_in_closed_reason(meeting)
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
    result = check_in(registration, day, actor=actor)
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
    no_shows: int = 0


@dataclass
class DaySummary:
    day: MeetingDay
    rows: list[AgencyRow]
    total: AgencyRow


def summary(meeting: Meeting) -> list[DaySummary]:
    """Per day and per agency: confirmed, attended on-site, attended online, no-shows.

    Two queries whatever the number of registrations: the days, and one aggregate grouped by
    organization with a set of counts per day. An agency is the directory's organization, or the
    name as typed (case-insensitive) when the person's organization is not in the directory.
    Attendance counts every recorded attendance; no-shows are confirmed registrations with no
    attendance of any kind that day.
    """
    days = list(meeting.days.order_by("date"))
    confirmed = Q(state=State.CONFIRMED)
    counts = {"registered": Count("pk", filter=confirmed, distinct=True)}
    for day in days:
        counts[f"onsite_{day.pk}"] = Count(
            "attendances", filter=Q(attendances__day=day, attendances__how=How.ONSITE), distinct=True
        )
        counts[f"online_{day.pk}"] = Count(
            "attendances", filter=Q(attendances__day=day, attendances__how=How.ZOOM), distinct=True
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
        rows = []
        for agency in ordered:
            row = AgencyRow(
                name=agency["name"],
                registered=agency["registered"],
                onsite=agency[f"onsite_{day.pk}"],
                online=agency[f"online_{day.pk}"],
                no_shows=agency["registered"] - agency[f"present_{day.pk}"],
            )
            if row.registered or row.onsite or row.online:
                rows.append(row)
        total = AgencyRow(
            name=_("Total"),
            registered=sum(r.registered for r in rows),
            onsite=sum(r.onsite for r in rows),
            online=sum(r.online for r in rows),
            no_shows=sum(r.no_shows for r in rows),
        )
        result.append(DaySummary(day, rows, total))
    return result
