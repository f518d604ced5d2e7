"""The figures of the statistics page: each one aggregated in the database (a fixed number of
queries whatever the number of meetings, registrations or recommendations), as a table that the
page shows beside its chart and the CSV export writes out cell for cell.

Whose figures: an organizer sees the meetings they organize or serve as secretary; a policy
analyst or a site administrator sees every meeting. Drafts and cancelled meetings count for no
one (a draft has not been announced, a cancelled meeting did not take place). Recommendations
are those the registry shows the user (`visible_recommendations`), a recommendation merged into
another one the user also sees counted once, as the one it was merged into.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import is_policy_analyst, may_organize
from core.text import clean_name
from meetings.models import Meeting, MeetingDay
from minutes import richtext
from minutes.models import Recommendation
from participants.models import Attendance, Registration

from ..charts import COLOURS, Bar, Chart, Series
from ..models import State, Tracking
from ..permissions import visible_recommendations
from .tracking import today, with_follow_up

MONTHS = 24  # a span up to this long shows every month; a longer one only the months with meetings
TOP = 15  # agencies and addressees shown by name; the participants' rest is summed as "Others"
DAYS = 31  # the latest meeting days (up to today) in the attendance chart
OVERDUE = 50  # rows of the overdue table; the rest is said to exist


@dataclass(frozen=True)
class Period:
    """Meetings whose first day (days: whose date) falls in [start, end]; either end may be open."""

    start: date | None = None
    end: date | None = None

    def meetings(self, queryset: QuerySet, prefix: str = "") -> QuerySet:
        if self.start:
            queryset = queryset.filter(**{f"{prefix}starts_on__gte": self.start})
        if self.end:
            queryset = queryset.filter(**{f"{prefix}starts_on__lte": self.end})
        return queryset


@dataclass
class Figure:
    """One table of the page: its header row, its rows (the first cell names the row), and the
    chart drawn from the same numbers (none for the overdue list)."""

    ident: str
    title: str
    caption: str
    head: list[str]
    rows: list[list]
    chart: Chart | None = None
    links: list[str] = field(default_factory=list)  # per row, a link for the first cell
    note: str = ""
    empty: str = ""


def meetings_in_scope(user) -> QuerySet[Meeting]:
    if user.is_superuser or is_policy_analyst(user):
        meetings = Meeting.objects.all()
    elif may_organize(user):
        meetings = Meeting.objects.filter(pk__in=Meeting.objects.staffed_by(user).values("pk"))
    else:
        return Meeting.objects.none()
    return meetings.exclude(status__in=(Meeting.Status.DRAFT, Meeting.Status.CANCELLED))


def recommendations_in_scope(user, period: Period) -> QuerySet[Recommendation]:
    visible = period.meetings(visible_recommendations(user), "minutes__meeting__")
    keys = visible.values("key")
    # Two recommendations made the same (merged) count once: as the row they were merged into.
    merged_away = Tracking.objects.filter(key__in=keys, merged_into__key__in=keys).values("key")
    return visible.exclude(key__in=merged_away)


def _percent(part: int, whole: int) -> int | None:
    if not whole:
        return None
    return (200 * part + whole) // (2 * whole)  # rounded half up, in integers


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def meetings_per_month(user, period: Period) -> Figure:
    counts = {
        (row["month"].date() if hasattr(row["month"], "date") else row["month"]): row["n"]
        for row in period.meetings(meetings_in_scope(user))
        .filter(starts_on__isnull=False)
        .annotate(month=TruncMonth("starts_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    }
    rows = []
    if counts:
        first, last = min(counts), max(counts)
        if period.start or _add_months(first, MONTHS - 1) >= last:
            # Every month of the span, the empty ones as 0.
            month = first
            while month <= last:
                rows.append([date_format(month, "F Y"), counts.get(month, 0)])
                month = _add_months(month, 1)
        else:
            # Years between the first and the last meeting: the months that had any, so the 2021
            # FGD stays on the chart beside next month's meetings.
            rows = [[date_format(month, "F Y"), n] for month, n in sorted(counts.items())]
    title = _("Meetings per month")
    head = [_("Month"), _("Number of meetings")]
    return Figure(
        ident="meetings",
        title=title,
        caption=_("Meetings per month, by the meeting's first day"),
        head=head,
        rows=rows,
        chart=Chart(
            ident="meetings",
            title=title,
            description=_(
                "Bar chart of the number of meetings in each month; the table below has the same figures."
            ),
            bars=[Bar(label, [n], [str(n)]) for label, n in rows],
            series=[Series(head[1])],
        ),
        empty=_("No meetings in this period."),
    )


def _agency(row: dict) -> tuple[tuple, str, str]:
    """(grouping key, full label, short label) of a registration's organization."""
    if row["organization_id"]:
        name = clean_name(row["organization__name"])
        acronym = clean_name(row["organization__acronym"] or "")
        full = f"{name} ({acronym})" if acronym and acronym != name else name
        return ("id", row["organization_id"]), full, acronym or name
    typed = clean_name(row["organization_name"] or "").strip()
    if typed:
        return ("typed", typed.casefold()), typed, typed
    return ("none",), _("Organization not given"), _("Organization not given")


def participants_by_agency(user, period: Period) -> Figure:
    grouped = (
        Registration.objects.filter(
            meeting__in=period.meetings(meetings_in_scope(user)).values("pk"),
            state=Registration.State.CONFIRMED,
        )
        .values("organization_id", "organization__name", "organization__acronym", "organization_name", "mode")
        .annotate(n=Count("pk"))
        .order_by()
    )
    agencies: dict[tuple, dict] = {}
    for row in grouped:
        key, full, short = _agency(row)
        entry = agencies.setdefault(key, {"full": full, "short": short, "onsite": 0, "online": 0})
        entry["onsite" if row["mode"] == Registration.Mode.ONSITE else "online"] += row["n"]
    ranked = sorted(agencies.values(), key=lambda e: (-(e["onsite"] + e["online"]), e["full"].casefold()))
    shown, rest = ranked[:TOP], ranked[TOP:]
    if rest:
        shown.append(
            {
                "full": ngettext("Others (%(count)s agency)", "Others (%(count)s agencies)", len(rest))
                % {"count": len(rest)},
                "short": _("Others"),
                "onsite": sum(e["onsite"] for e in rest),
                "online": sum(e["online"] for e in rest),
            }
        )
    rows = [[e["full"], e["onsite"], e["online"], e["onsite"] + e["online"]] for e in shown]
    title = _("Participants by agency and mode")
    head = [_("Agency"), _("On-site"), _("Online"), _("Total")]
    return Figure(
        ident="participants",
        title=title,
        caption=_("Confirmed registrations by agency and attendance mode (the %(count)s largest agencies)")
        % {"count": TOP},
        head=head,
        rows=rows,
        chart=Chart(
            ident="participants",
            title=title,
            description=_(
                "Bar chart of confirmed registrations per agency, on-site and online; the table below has the same figures."
            ),
            bars=[
                Bar(e["short"], [e["onsite"], e["online"]], [str(e["onsite"]), str(e["online"])], e["full"])
                for e in shown
            ],
            series=[Series(head[1], COLOURS[0]), Series(head[2], COLOURS[1])],
        ),
        empty=_("No confirmed registrations in this period."),
    )


def _rate_text(rate: int | None, part: int, whole: int) -> str:
    return "—" if rate is None else f"{rate}% ({part}/{whole})"


def attendance_by_day(user, period: Period) -> Figure:
    days = MeetingDay.objects.filter(meeting__in=meetings_in_scope(user).values("pk"), date__lte=today())
    if period.start:
        days = days.filter(date__gte=period.start)
    if period.end:
        days = days.filter(date__lte=period.end)
    latest = list(
        days.order_by("-date", "meeting__title", "pk").values("pk", "date", "meeting_id", "meeting__title")[
            :DAYS
        ]
    )[::-1]
    meeting_ids = {d["meeting_id"] for d in latest}
    confirmed = {
        (row["meeting_id"], row["mode"]): row["n"]
        for row in Registration.objects.filter(meeting_id__in=meeting_ids, state=Registration.State.CONFIRMED)
        .values("meeting_id", "mode")
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
            day_id__in=[d["pk"] for d in latest], registration__state=Registration.State.CONFIRMED
        )
        .annotate(channel=channel)
        .values("day_id", "channel")
        .annotate(n=Count("registration_id", distinct=True))
        .order_by()
    }
    rows, bars = [], []
    for day in latest:
        cells, values, texts = [], [], []
        for mode in (Registration.Mode.ONSITE, Registration.Mode.ONLINE):
            part = attended.get((day["pk"], mode.value), 0)
            whole = confirmed.get((day["meeting_id"], mode.value), 0)
            rate = _percent(part, whole)
            cells += [part, whole, "—" if rate is None else rate]
            values.append(rate)
            texts.append(_rate_text(rate, part, whole))
        label = date_format(day["date"], "j M Y")
        title = clean_name(day["meeting__title"])
        rows.append([label, title, *cells])
        bars.append(Bar(f"{label} · {title}", values, texts))
    chart_title = _("Attendance rate per day")
    return Figure(
        ident="attendance",
        title=chart_title,
        caption=_(
            "Per meeting day: people who attended on-site or online, and the confirmed registrations "
            "of that mode (the latest %(count)s days up to today)"
        )
        % {"count": DAYS},
        head=[
            _("Day"),
            _("Meeting"),
            _("On-site: attended"),
            _("On-site: confirmed"),
            _("On-site: rate (%)"),
            _("Online: attended"),
            _("Online: confirmed"),
            _("Online: rate (%)"),
        ],
        rows=rows,
        chart=Chart(
            ident="attendance",
            title=chart_title,
            description=_(
                "Bar chart of the share of confirmed registrations who attended each day, on-site and online; "
                "the table below has the same figures."
            ),
            bars=bars,
            series=[Series(_("On-site"), COLOURS[0]), Series(_("Online"), COLOURS[1])],
            maximum=100,
        ),
        note=_(
            "A person counts in the way they attended: someone registered on-site who joined online "
            "counts online, so a rate can pass 100%."
        ),
        empty=_("No meeting days up to today in this period."),
    )


def recommendations_by_state(user, period: Period) -> Figure:
    counts = {
        row["follow_state"]: row["n"]
        for row in with_follow_up(recommendations_in_scope(user, period))
        .values("follow_state")
        .annotate(n=Count("key", distinct=True))
        .order_by()
    }
    rows = [[str(label), counts.get(value, 0)] for value, label in State.choices]
    title = _("Recommendations by follow-up state")
    head = [_("Follow-up state"), _("Recommendations")]
    return Figure(
        ident="states",
        title=title,
        caption=title,
        head=head,
        rows=rows,
        chart=Chart(
            ident="states",
            title=title,
            description=_(
                "Bar chart of the number of recommendations in each follow-up state; the table below has the same figures."
            ),
            bars=[Bar(label, [n], [str(n)]) for label, n in rows],
            series=[Series(head[1])],
        ),
    )


def recommendations_by_addressee(user, period: Period) -> Figure:
    grouped = (
        recommendations_in_scope(user, period)
        .values("addressed_to", "addressed_to__name", "addressed_to__acronym")
        .annotate(n=Count("key", distinct=True))
        .order_by("-n", "addressed_to__name", "addressed_to")
    )
    named, unaddressed = [], 0
    for row in grouped:
        if row["addressed_to"] is None:
            unaddressed = row["n"]
        else:
            named.append(row)
    entries = []
    for row in named[:TOP]:
        name = clean_name(row["addressed_to__name"])
        acronym = clean_name(row["addressed_to__acronym"] or "")
        full = f"{name} ({acronym})" if acronym and acronym != name else name
        entries.append((full, acronym or name, row["n"]))
    if unaddressed:
        entries.append((_("No addressee"), _("No addressee"), unaddressed))
    rows = [[full, n] for full, _short, n in entries]
    title = _("Recommendations by addressee")
    head = [_("Addressed to"), _("Recommendations")]
    return Figure(
        ident="addressees",
        title=title,
        caption=_(
            "Recommendations per addressed agency (the %(count)s most addressed); a recommendation "
            "addressed to several agencies counts for each"
        )
        % {"count": TOP},
        head=head,
        rows=rows,
        chart=Chart(
            ident="addressees",
            title=title,
            description=_(
                "Bar chart of the number of recommendations addressed to each agency; the table below has the same figures."
            ),
            bars=[Bar(short, [n], [str(n)], full) for full, short, n in entries],
            series=[Series(head[1])],
        ),
        empty=_("No recommendations in this period."),
    )


def overdue_follow_ups(user, period: Period) -> Figure:
    overdue = list(
        with_follow_up(recommendations_in_scope(user, period))
        .filter(follow_overdue=True)
        .select_related("minutes__meeting")
        .prefetch_related("addressed_to")
        .order_by("follow_due", "minutes__meeting__starts_on", "pk")[: OVERDUE + 1]
    )
    more = len(overdue) > OVERDUE
    overdue = overdue[:OVERDUE]
    labels = dict(State.choices)
    rows = [
        [
            Truncator(richtext.plain(rec.text)).chars(120),
            clean_name(rec.minutes.meeting.title),
            "; ".join(clean_name(str(org)) for org in rec.addressed_to.all()) or "—",
            date_format(rec.follow_due, "j M Y"),
            str(labels.get(rec.follow_state, rec.follow_state)),
        ]
        for rec in overdue
    ]
    title = _("Overdue follow-ups")
    return Figure(
        ident="overdue",
        title=title,
        caption=_("Open recommendations whose follow-up is past its due date, the longest overdue first"),
        head=[_("Recommendation"), _("Meeting"), _("Addressed to"), _("Due date"), _("Follow-up state")],
        rows=rows,
        links=[reverse("policy:recommendation", kwargs={"key": rec.key}) for rec in overdue],
        note=_("Only the %(count)s longest overdue are listed.") % {"count": OVERDUE} if more else "",
        empty=_("No follow-up is overdue."),
    )


FIGURES: dict[str, Callable[..., Figure]] = {
    "meetings": meetings_per_month,
    "participants": participants_by_agency,
    "attendance": attendance_by_day,
    "states": recommendations_by_state,
    "addressees": recommendations_by_addressee,
    "overdue": overdue_follow_ups,
}


def figures(user, period: Period) -> list[Figure]:
    return [build(user, period) for build in FIGURES.values()]
