"""The organizer's Zoom attendance page: the imported report per day, matching by hand, import now.

Organizers and secretaries of the meeting read the page (as they read the online-attendance page
and the registration list); only organizers match participants by hand or ask for an import. The
page runs a fixed number of queries whatever the report's size: the days, the rows with their
registrations, the confirmed registrations to match with, the day's live attendances and the
last import entries of the log.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core import audit
from core.text import is_id, query_text
from meetings.permissions import MeetingPermissionMixin, is_meeting_staff, is_organizer

from ..models import Attendance, Registration, ZoomAttendanceRow
from ..services import zoom_attendance
from ..services.attendance import CheckInError, check_in_closed_reason, normalise_code
from ..tasks import import_zoom_report

# The log entries the page shows as the state of the imports.
IMPORT_ACTIONS = ("meeting.zoom_report_imported", "meeting.zoom_report_failed")


def page_url(meeting) -> str:
    return reverse("participants:zoom_attendance", kwargs={"code": meeting.code})


@dataclass
class Unmatched:
    """One participant no registration was found for: every row with one match key."""

    key: str
    row: ZoomAttendanceRow  # the first of them, which the match form names
    name: str
    email: str
    rows: int = 0
    seconds: int = 0
    days: set = field(default_factory=set)

    @property
    def minutes(self) -> int:
        return self.seconds // 60


@dataclass
class DayReport:
    day: object
    rows: list
    present: int = 0
    below_minimum: int = 0
    online_now: int = 0


class ZoomAttendanceView(MeetingPermissionMixin, View):
    permission = staticmethod(is_meeting_staff)
    template = "participants/zoom_attendance.html"

    def get(self, request, code):
        meeting = self.meeting
        days = list(meeting.days.order_by("date"))
        for day in days:
            day.meeting = meeting
        rows = list(
            ZoomAttendanceRow.objects.filter(meeting=meeting)
            .select_related("registration")
            .order_by("join_time", "pk")
        )
        least = zoom_attendance.minimum_minutes()
        figures = zoom_attendance.person_days(rows)
        live = defaultdict(int)
        for day_id in Attendance.objects.filter(
            day__meeting=meeting, how=Attendance.How.ZOOM, last_left_at__isnull=True, minutes__isnull=True
        ).values_list("day_id", flat=True):
            live[day_id] += 1
        by_day: dict[int | None, list] = defaultdict(list)
        unmatched: dict[str, Unmatched] = {}
        for row in rows:
            row.local_join = timezone.localtime(row.join_time, meeting.tz)
            row.local_leave = timezone.localtime(row.leave_time, meeting.tz) if row.leave_time else None
            row.row_minutes = row.seconds // 60
            person = figures.get((row.registration_id, row.day_id))
            row.day_minutes = person.minutes if person else None
            row.counted = person is not None and person.minutes >= least
            by_day[row.day_id].append(row)
            if not row.registration_id:
                group = unmatched.setdefault(
                    row.match_key, Unmatched(row.match_key, row, row.name, row.email)
                )
                group.rows += 1
                group.seconds += row.seconds
                if row.day_id:
                    group.days.add(row.day_id)
        reports = []
        for day in days:
            people = {key for key in figures if key[1] == day.pk}
            present = sum(1 for key in people if figures[key].minutes >= least)
            reports.append(
                DayReport(
                    day,
                    by_day.get(day.pk, []),
                    present=present,
                    below_minimum=len(people) - present,
                    online_now=live.get(day.pk, 0),
                )
            )
        candidates = list(
            Registration.objects.filter(meeting=meeting, state=Registration.State.CONFIRMED)
            .select_related("organization")
            .order_by("full_name", "pk")
        )
        entries = list(
            audit.entries_for(meeting).filter(action__in=IMPORT_ACTIONS).order_by("-created_at", "-pk")[:3]
        )
        for entry in entries:
            entry.text = audit.describe(entry)
        context = {
            "meeting": meeting,
            "user_is_organizer": is_organizer(request.user, meeting),
            "has_zoom": zoom_attendance.zoom_room(meeting) is not None,
            "closed_reason": check_in_closed_reason(meeting),
            "minimum": least,
            "reports": reports,
            "outside_days": by_day.get(None, []),
            "unmatched": sorted(unmatched.values(), key=lambda u: (u.name.casefold(), u.key)),
            # Online registrants first: they are whom Zoom's participants usually are.
            "candidates": sorted(candidates, key=lambda r: r.mode != Registration.Mode.ONLINE),
            "entries": entries,
            "row_count": len(rows),
            "summary_url": meeting.urls.attendance,
        }
        return TemplateResponse(request, self.template, context)


class ZoomMatchView(MeetingPermissionMixin, View):
    """POST: the participant of row `row` is the registration chosen (organizers).

    The choice is typed into a field with a list of the meeting's confirmed registrations (one
    datalist for the whole page): a select per unmatched participant would repeat hundreds of
    options hundreds of times (5 MB for 245 unmatched participants and 800 registrations)."""

    http_method_names = ["post"]
    permission = staticmethod(is_organizer)

    def post(self, request, code):
        row_id = request.POST.get("row", "")
        if not is_id(row_id):
            return redirect(page_url(self.meeting))
        row = get_object_or_404(ZoomAttendanceRow, pk=row_id, meeting=self.meeting)
        # The choice starts with the registration's code (the list's options: "CODE — Name · Agency").
        chosen = query_text(request.POST.get("registration", "")).split(" ", 1)[0]
        code = normalise_code(chosen)
        registration = Registration.objects.filter(meeting=self.meeting, code=code).first() if code else None
        if registration is None:
            messages.error(
                request,
                _("Choose the registration of “%(zoom_name)s” from the list; nothing was saved.")
                % {"zoom_name": row.name or row.email},
            )
            return redirect(page_url(self.meeting))
        try:
            count = zoom_attendance.match_by_hand(row, registration, actor=request.user)
        except CheckInError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("“%(zoom_name)s” is %(name)s now (%(rows)d Zoom rows), also in later imports.")
                % {"zoom_name": row.name or row.email, "name": registration.full_name, "rows": count},
            )
        return redirect(page_url(self.meeting))


class ZoomImportView(MeetingPermissionMixin, View):
    """POST: import the Zoom report now, in the background (organizers)."""

    http_method_names = ["post"]
    permission = staticmethod(is_organizer)

    def post(self, request, code):
        meeting = self.meeting
        reason = check_in_closed_reason(meeting)
        if zoom_attendance.zoom_room(meeting) is None:
            reason = _("This meeting has no Zoom room; there is no Zoom report to import.")
        if reason:
            messages.error(request, reason)
            return redirect(page_url(meeting))
        # The latest occurrence by the meeting's id, and every occurrence imported before by its uuid.
        instances = [""] + sorted(
            set(
                ZoomAttendanceRow.objects.filter(meeting=meeting)
                .exclude(instance="")
                .values_list("instance", flat=True)
                .distinct()
            )
        )
        with transaction.atomic():
            for instance in instances:
                import_zoom_report.enqueue(meeting.pk, instance)
        messages.success(
            request, _("The Zoom report is being imported; reload this page in a minute to see it.")
        )
        return redirect(page_url(meeting))
