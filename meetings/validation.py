"""Schedule rules shared by forms and services: every error is tied to its field."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_time_range(start: time | None, end: time | None, end_field: str = "end_time") -> None:
    if start and end and end <= start:
        raise ValidationError({end_field: _("The end time must be after the start time.")})


def check_item_in_day(start: time, end: time, day_start: time, day_end: time) -> None:
    errors = {}
    if start < day_start or start >= day_end:
        errors["start_time"] = _("The item must start within the day's hours (%(s)s–%(e)s).") % {
            "s": day_start.strftime("%H.%M"),
            "e": day_end.strftime("%H.%M"),
        }
    if end > day_end or end <= day_start:
        errors["end_time"] = _("The item must end within the day's hours (%(s)s–%(e)s).") % {
            "s": day_start.strftime("%H.%M"),
            "e": day_end.strftime("%H.%M"),
        }
    if errors:
        raise ValidationError(errors)


def check_no_overlap(start: time, end: time, others) -> None:
    """`others` are (start, end, title) of the day's other items."""
    for o_start, o_end, title in others:
        if start < o_end and o_start < end:
            raise ValidationError(
                {
                    "start_time": _("This overlaps “%(title)s” (%(s)s–%(e)s).")
                    % {"title": title, "s": o_start.strftime("%H.%M"), "e": o_end.strftime("%H.%M")}
                }
            )


def check_registration_window(
    opens: datetime | None, closes: datetime | None, last_day: date | None, last_end: time | None, tz: str
) -> None:
    if opens and closes and closes <= opens:
        raise ValidationError({"registration_closes_at": _("Registration must close after it opens.")})
    if closes and last_day and last_end:
        meeting_end = datetime.combine(last_day, last_end, tzinfo=ZoneInfo(tz))
        if closes >= meeting_end:
            raise ValidationError(
                {"registration_closes_at": _("Registration must close before the meeting ends.")}
            )
