"""The figures of a meeting series: per meeting its date, zone and status, registrations by
state, attendance per day (on-site and online), recommendations by follow-up state, and the
totals. A fixed number of queries whatever the number of meetings, days or registrations.

Who sees a series (the statistics page's rules): its organizers and site administrators see
every meeting of it; a policy analyst sees every series but not its drafts (a draft has not been
announced). Recommendations are those the registry shows the user (`visible_recommendations`:
an analyst sees those of approved minutes only).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, Prefetch, QuerySet, Value, When

from accounts.roles import is_policy_analyst
from meetings.models import Meeting, MeetingDay, MeetingSeries
from participants.models import Attendance, Registration

from ..models import State
from ..permissions import visible_recommendations
from .tracking import with_follow_up

REGISTRATION_STATES = list(Registration.State)
FOLLOW_UP_STATES = list(State)
MODES = (Registration.Mode.ONSITE.value, Registration.Mode.ONLINE.value)


def visible_series(user) -> QuerySet[MeetingSeries]:
    if not user.is_authenticated or not user.is_active:
        return MeetingSeries.objects.none()
    if user.is_superuser or is_policy_analyst(user):
        return MeetingSeries.objects.all()
    return MeetingSeries.objects.filter(organizers=user)


def sees_drafts(user, series: MeetingSeries) -> bool:
    """Organizers of the series and administrators see its drafts; an analyst does not."""
    return user.is_superuser or series.organizers.filter(pk=user.pk).exists()


@dataclass
class DayFigures:
    day: MeetingDay
    onsite: int = 0
    online: int = 0


@dataclass
class MeetingFigures:
    meeting: Meeting
    link: str
    registrations: list[int]  # in REGISTRATION_STATES order
    days: list[DayFigures]
    recommendations: list[int]  # in FOLLOW_UP_STATES order

    @property
    def registrations_total(self) -> int:
        return sum(self.registrations)

    @property
    def recommendations_total(self) -> int:
        return sum(self.recommendations)

    @property
    def onsite_total(self) -> int:
        return sum(day.onsite for day in self.days)

    @property
    def online_total(self) -> int:
        return sum(day.online for day in self.days)


@dataclass
class SeriesFigures:
    series: MeetingSeries
    rows: list[MeetingFigures]
    registrations: list[int] = field(default_factory=list)
    recommendations: list[int] = field(default_factory=list)
    onsite: int = 0
    online: int = 0
    hidden_drafts: bool = False

    @property
    def registrations_total(self) -> int:
        return sum(self.registrations)

    @property
    def recommendations_total(self) -> int:
        return sum(self.recommendations)


def figures(user, series: MeetingSeries) -> SeriesFigures:
    drafts = sees_drafts(user, series)
    meetings = (
        Meeting.objects.filter(series=series)
        .select_related("regional_unit")
        .prefetch_related(Prefetch("days", queryset=MeetingDay.objects.order_by("date")))
        .order_by("starts_on", "regional_unit__name", "pk")
    )
    if not drafts:
        meetings = meetings.exclude(status=Meeting.Status.DRAFT)
    meetings = list(meetings)
    ids = [m.pk for m in meetings]
    organized = (
        set(ids)
        if user.is_superuser
        else set(
            Meeting.organizers.through.objects.filter(meeting_id__in=ids, user_id=user.pk).values_list(
                "meeting_id", flat=True
            )
        )
    )
    registrations = {
        (row["meeting_id"], row["state"]): row["n"]
        for row in Registration.objects.filter(meeting_id__in=ids)
        .values("meeting_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    }
    # Online by hand and through Zoom are one way of attending: a person counts once a day.
    channel = Case(
        When(how=Attendance.How.ONSITE, then=Value(Registration.Mode.ONSITE.value)),
        default=Value(Registration.Mode.ONLINE.value),
    )
    attended = {
        (row["day_id"], row["channel"]): row["n"]
        for row in Attendance.objects.filter(
            day__meeting_id__in=ids, registration__state=Registration.State.CONFIRMED
        )
        .annotate(channel=channel)
        .values("day_id", "channel")
        .annotate(n=Count("registration_id", distinct=True))
        .order_by()
    }
    recommendations = {
        (row["minutes__meeting_id"], row["follow_state"]): row["n"]
        for row in with_follow_up(visible_recommendations(user).filter(minutes__meeting_id__in=ids))
        .values("minutes__meeting_id", "follow_state")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = []
    for meeting in meetings:
        if meeting.pk in organized:
            link = meeting.urls.detail
        elif meeting.is_public:
            link = meeting.urls.public
        else:
            link = ""
        days = []
        for day in meeting.days.all():
            day.meeting = meeting
            days.append(
                DayFigures(
                    day,
                    onsite=attended.get((day.pk, MODES[0]), 0),
                    online=attended.get((day.pk, MODES[1]), 0),
                )
            )
        rows.append(
            MeetingFigures(
                meeting=meeting,
                link=link,
                registrations=[registrations.get((meeting.pk, s.value), 0) for s in REGISTRATION_STATES],
                days=days,
                recommendations=[recommendations.get((meeting.pk, s.value), 0) for s in FOLLOW_UP_STATES],
            )
        )
    result = SeriesFigures(series=series, rows=rows, hidden_drafts=not drafts)
    result.registrations = [sum(r.registrations[i] for r in rows) for i in range(len(REGISTRATION_STATES))]
    result.recommendations = [sum(r.recommendations[i] for r in rows) for i in range(len(FOLLOW_UP_STATES))]
    result.onsite = sum(r.onsite_total for r in rows)
    result.online = sum(r.online_total for r in rows)
    return result
