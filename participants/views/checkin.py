"""On-site check-in per meeting day, walk-ins, online attendance, and the attendance summary.

Organizers and secretaries of the meeting may run the desk (secretaries often do), add walk-ins,
record online attendance and read the summary; only organizers may admit a walk-in over capacity
or open the desk outside the meeting day (`override=1`, carried by every form of the desk).
Everything answers htmx with fragments and plain requests with whole pages (POST, then
redirect), so the desk works with JavaScript off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.forms import add_service_errors
from core.text import is_id, query_text
from meetings.models import MeetingDay
from meetings.permissions import MeetingPermissionMixin, is_meeting_staff, is_organizer

from ..forms.checkin import CodeForm, WalkInForm
from ..models import Attendance, Registration
from ..services import attendance, zoom_attendance
from ..services.attendance import CheckInError


def with_override(url: str, override: bool) -> str:
    return f"{url}?override=1" if override else url


@dataclass
class Result:
    """What the desk shows after a code, a search button, a walk-in or an undo."""

    level: str  # Bootstrap alert colour: success, warning, danger, info
    message: str
    registration: Registration | None = None
    kind: str = ""


def result_for(kind: str, registration: Registration | None, day: MeetingDay, *, code: str = "") -> Result:
    if kind == "not_found":
        return Result(
            "danger", _("No registration with code %(code)s for this meeting.") % {"code": code}, kind=kind
        )
    name = registration.full_name
    if kind == "checked_in" and registration.mode == Registration.Mode.ONLINE:
        # Counted on-site from now on: the desk must notice, the person may be at the wrong place.
        return Result(
            "warning",
            _(
                "%(name)s registered to attend online and is now checked in on-site. "
                "Undo if they will follow online instead."
            )
            % {"name": name},
            registration,
            "mode_mismatch",
        )
    if kind == "checked_in":
        return Result("success", _("%(name)s is checked in.") % {"name": name}, registration, kind)
    if kind == "walk_in":
        return Result(
            "success",
            _("%(name)s is registered as a walk-in and checked in.") % {"name": name},
            registration,
            kind,
        )
    if kind == "already":
        seen = (
            Attendance.objects.filter(registration=registration, day=day, how=Attendance.How.ONSITE)
            .values_list("first_seen_at", flat=True)
            .first()
        )
        if seen is None:  # undone since; show the person as they are now
            return Result("info", "", registration, kind)
        local = timezone.localtime(seen, day.meeting.tz)
        return Result(
            "warning",
            _("%(name)s was already checked in at %(time)s.")
            % {"name": name, "time": f"{formats.time_format(local, 'TIME_FORMAT')} {day.meeting.zone_label}"},
            registration,
            kind,
        )
    return Result("info", "", registration, kind)


class DayMixin(MeetingPermissionMixin):
    permission = staticmethod(is_meeting_staff)

    def setup_day(self):
        self.day = get_object_or_404(MeetingDay, pk=self.kwargs["day_id"], meeting=self.meeting)
        self.day.meeting = self.meeting
        self.day_reason = attendance.outside_day_reason(self.day)
        # Only an organizer may check people in on another date (a correction afterwards).
        asked = (self.request.POST if self.request.method == "POST" else self.request.GET).get("override")
        self.can_override = is_organizer(self.request.user, self.meeting)
        self.override = bool(self.day_reason) and asked == "1" and self.can_override

    def desk_context(self, **extra) -> dict:
        """The part the desk refreshes in place: counts, the last result, the latest check-ins."""
        recent = attendance.recent_check_ins(self.day)
        for row in recent:
            row.local_seen = timezone.localtime(row.first_seen_at, self.meeting.tz)
        closed_reason = attendance.check_in_closed_reason(self.meeting)
        context = {
            "meeting": self.meeting,
            "day": self.day,
            "counts": attendance.day_counts(self.meeting, self.day),
            "phase": attendance.day_phase(self.day),
            "recent": recent,
            # With a Zoom room, who is in it now (joined and not left, by Zoom's webhooks).
            "zoom_now": zoom_attendance.online_now(self.day)
            if zoom_attendance.zoom_room(self.meeting) is not None
            else None,
            # Outside the day the desk is shut like a closed meeting's, unless overridden.
            "closed_reason": closed_reason or (None if self.override else self.day_reason),
            "day_reason": None if closed_reason else self.day_reason,
            "can_override": self.can_override,
            "override": self.override,
            "checkin_url": with_override(self.day.urls.checkin, self.override),
            "search_url": with_override(self.day.urls.checkin_search, self.override),
        }
        context.update(extra)
        return context

    def page_context(self, **extra) -> dict:
        context = self.desk_context()
        context.update(
            days=list(self.meeting.days.order_by("date")),
            user_is_organizer=is_organizer(self.request.user, self.meeting),
            code_form=CodeForm(),
            walk_in_form=self.walk_in_form(),
            q="",
            matches=None,
        )
        context.update(extra)
        return context

    def walk_in_form(self, data=None) -> WalkInForm:
        return WalkInForm(data, can_admit_over_capacity=is_organizer(self.request.user, self.meeting))

    def render_page(self, status: int = 200, **extra):
        return TemplateResponse(
            self.request, "participants/checkin/desk.html", self.page_context(**extra), status=status
        )

    def render_live(self, **extra):
        return TemplateResponse(self.request, "participants/checkin/_live.html", self.desk_context(**extra))

    def respond(self, result: Result, *, from_search: bool = False):
        """htmx: the refreshed desk. Otherwise a redirect on success, the page on a refusal."""
        if self.request.htmx:
            row = None
            if from_search and result.registration is not None:
                row = attendance.search_row(self.meeting, self.day, result.registration)
            return self.render_live(result=result, oob_row=row)
        if result.kind in ("checked_in", "mode_mismatch", "already", "walk_in"):
            params = {"last": result.registration.pk, "outcome": result.kind}
            if self.override:
                params["override"] = "1"
            return HttpResponseRedirect(f"{self.day.urls.checkin}?{urlencode(params)}")
        return self.render_page(result=result)


class CheckInStartView(MeetingPermissionMixin, View):
    """The desk of today's day, else the next day to come, else the last day."""

    permission = staticmethod(is_meeting_staff)

    def get(self, request, code):
        days = list(self.meeting.days.order_by("date"))
        if not days:
            messages.info(request, _("This meeting has no days yet."))
            return redirect(self.meeting.urls.detail)
        today = timezone.localtime(timezone.now(), self.meeting.tz).date()
        day = next((d for d in days if d.date >= today), days[-1])
        return redirect(day.urls.checkin)


class CheckInView(DayMixin, View):
    """GET: the desk. POST: check in the registration whose code was typed or scanned."""

    def get(self, request, code, day_id):
        self.setup_day()
        extra = {}
        last = request.GET.get("last", "")
        if is_id(last):
            registration = (
                Registration.objects.select_related("organization")
                .filter(meeting=self.meeting, pk=last)
                .first()
            )
            if registration is not None:
                outcome = request.GET.get("outcome", "")
                extra["result"] = result_for(
                    "checked_in" if outcome == "mode_mismatch" else outcome, registration, self.day
                )
        q = query_text(request.GET.get("q", ""))
        if q:
            extra.update(q=q, matches=attendance.search(self.meeting, self.day, q))
        return self.render_page(**extra)

    def post(self, request, code, day_id):
        self.setup_day()
        form = CodeForm(request.POST)
        if not form.is_valid():
            if request.htmx:
                message = form.errors["code"][0]
                return self.render_live(result=Result("danger", message, kind="invalid"))
            return self.render_page(code_form=form)
        registration = attendance.find_by_code(self.meeting, form.cleaned_data["code"])
        if registration is None:
            return self.respond(result_for("not_found", None, self.day, code=form.cleaned_data["code"]))
        return self.check_in(registration)

    def check_in(self, registration, *, from_search: bool = False):
        try:
            outcome = attendance.check_in(
                registration, self.day, actor=self.request.user, outside_day=self.override
            )
        except CheckInError as error:
            registration.refresh_from_db()  # show the state the refusal was about
            return self.respond(
                Result("danger", str(error), registration, "refused"), from_search=from_search
            )
        kind = "checked_in" if outcome.created else "already"
        return self.respond(result_for(kind, outcome.registration, self.day), from_search=from_search)


class CheckInRegistrationView(CheckInView):
    """The Check-in button next to a search result."""

    http_method_names = ["post"]

    def post(self, request, code, day_id, registration_id):
        self.setup_day()
        registration = get_object_or_404(
            Registration.objects.select_related("organization"), pk=registration_id, meeting=self.meeting
        )
        return self.check_in(registration, from_search=request.POST.get("from") == "search")


class UndoCheckInView(DayMixin, View):
    http_method_names = ["post"]

    def post(self, request, code, day_id, attendance_id):
        self.setup_day()
        record = get_object_or_404(
            Attendance.objects.select_related("registration__organization", "day"),
            pk=attendance_id,
            day=self.day,
            registration__meeting=self.meeting,
        )
        registration = record.registration
        try:
            attendance.undo_check_in(record, actor=request.user)
        except CheckInError as error:
            result = Result("danger", str(error), registration, "refused")
        else:
            result = Result(
                "info",
                _("Check-in of %(name)s undone.") % {"name": registration.full_name},
                registration,
                "undone",
            )
        if request.htmx:
            return self.render_live(result=result)
        messages.add_message(
            request, messages.INFO if result.kind == "undone" else messages.ERROR, result.message
        )
        return redirect(with_override(self.day.urls.checkin, self.override))


class WalkInView(DayMixin, View):
    http_method_names = ["post"]

    def post(self, request, code, day_id):
        self.setup_day()
        form = self.walk_in_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                walk_in = attendance.add_walk_in(
                    self.meeting,
                    self.day,
                    actor=request.user,
                    full_name=data["full_name"],
                    position=data["position"],
                    organization_name=data["organization_name"],
                    email=data["email"],
                    phone=data["phone"],
                    admit_over_capacity=data.get("admit_over_capacity", False),
                    outside_day=self.override,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except CheckInError as error:
                form.add_error(None, str(error))
            else:
                result = result_for("walk_in", walk_in.registration, self.day)
                if walk_in.over_capacity:
                    result.message += " " + _("Admitted over capacity.")
                if request.htmx:
                    context = self.desk_context(
                        result=result, walk_in_form=self.walk_in_form(), live_oob=True
                    )
                    return TemplateResponse(request, "participants/checkin/_walk_in.html", context)
                return self.respond(result)
        if request.htmx:
            context = self.desk_context(walk_in_form=form)
            return TemplateResponse(request, "participants/checkin/_walk_in.html", context)
        return self.render_page(walk_in_form=form)


class CheckInSearchView(DayMixin, View):
    """htmx: the matching registrations with a Check-in button each; else the desk with ?q=."""

    def get(self, request, code, day_id):
        self.setup_day()
        q = query_text(request.GET.get("q", ""))
        if not request.htmx:
            params = {"q": q} if q else {}
            if self.override:
                params["override"] = "1"
            url = self.day.urls.checkin
            return redirect(f"{url}?{urlencode(params)}" if params else url)
        context = self.desk_context(q=q, matches=attendance.search(self.meeting, self.day, q))
        return TemplateResponse(request, "participants/checkin/_search_results.html", context)


class OnlineAttendanceView(DayMixin, View):
    """Tick who attended a day online (until Zoom's reports bring it); saves exactly the ticks."""

    template = "participants/checkin/online.html"

    def page(self, *, error: str = "", ticked: set[int] | None = None, status: int = 200):
        roster = attendance.online_roster(self.meeting, self.day)
        for registration in roster:
            registration.ticked = (
                registration.pk in ticked if ticked is not None else registration.online_how is not None
            )
        context = {
            "meeting": self.meeting,
            "day": self.day,
            "days": list(self.meeting.days.order_by("date")),
            "roster": roster,
            "present": sum(1 for r in roster if r.online_how),
            "closed_reason": attendance.check_in_closed_reason(self.meeting)
            or attendance.not_begun_reason(self.day),
            "error": error,
            "summary_url": self.meeting.urls.attendance,
        }
        return TemplateResponse(self.request, self.template, context, status=status)

    def get(self, request, code, day_id):
        self.setup_day()
        if not self.meeting.has_online:
            messages.error(request, _("This meeting is on-site only; it has no online attendance."))
            return redirect(self.meeting.urls.attendance)
        return self.page()

    def post(self, request, code, day_id):
        self.setup_day()
        raw = request.POST.getlist("present")
        if not all(is_id(value) for value in raw):
            return self.page(error=_("The list that was sent is not readable; nothing was saved."))
        present = {int(value) for value in raw}
        try:
            change = attendance.set_online_attendance(self.meeting, self.day, present, actor=request.user)
        except CheckInError as error:
            return self.page(error=str(error), ticked=present)
        messages.success(
            request,
            _("Online attendance saved: %(added)d added, %(removed)d removed.")
            % {"added": len(change.added), "removed": len(change.removed)},
        )
        return redirect(self.day.urls.online_attendance)


class AttendanceSummaryView(MeetingPermissionMixin, TemplateView):
    template_name = "participants/checkin/summary.html"
    permission = staticmethod(is_meeting_staff)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summaries = attendance.summary(self.meeting)
        for summary in summaries:
            summary.day.meeting = self.meeting
        context["summaries"] = summaries
        return context
