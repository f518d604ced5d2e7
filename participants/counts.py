"""Counts of a meeting's registrations and attendance, added to meeting querysets (see meetings)."""

from django.db import models
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from meetings.models import add_counts

from .models import Attendance, Registration


def _count(rows: models.QuerySet, meeting_path: str):
    """A correlated COUNT of `rows` per meeting, 0 when there are none (no join, no GROUP BY)."""
    return Coalesce(
        Subquery(
            rows.order_by().values(meeting_path).annotate(n=Count("pk")).values("n")[:1],
            output_field=models.IntegerField(),
        ),
        0,
    )


@add_counts
def with_participation_counts(meetings: QuerySet, *, checked_in_on=None) -> QuerySet:
    """Annotate registrations per state and mode, and optionally attendances on a date.

    Registered with meetings' `add_counts`, so `Meeting.objects.with_counts()` has them.
    """
    rows = Registration.objects.filter(meeting=OuterRef("pk"))
    counts = {
        "confirmed_onsite": _count(rows.filter(state="confirmed", mode="onsite"), "meeting"),
        "confirmed_online": _count(rows.filter(state="confirmed", mode="online"), "meeting"),
        "confirmed": _count(rows.filter(state="confirmed"), "meeting"),
        "waiting": _count(rows.filter(state="waitlisted"), "meeting"),
        "pending": _count(rows.filter(state="pending"), "meeting"),
    }
    if checked_in_on is not None:
        present = Attendance.objects.filter(registration__meeting=OuterRef("pk"), day__date=checked_in_on)
        counts["checked_in_today"] = _count(present, "registration__meeting")
    return meetings.annotate(**counts)
