"""The grammar of reminder offsets (“1d@09:00”, “2d”, “1h”, “30m”): read by the settings and the reminders.

Settings may not import the apps' models, so this module imports nothing of the project and
nothing of Django but exceptions and translation; both the startup check of
SINERGI_REMINDER_OFFSETS and the reminders' due times read offsets through `parse_offset`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import ImproperlyConfigured

# ASCII digits only: "09:٣٠" would be a second spelling of "09:30" (a reminder sent twice).
OFFSET_RE = re.compile(r"(\d{1,3})([dhm])(?:@(\d{1,2})[:.](\d{2}))?", re.ASCII)
UNITS = {"d": "days", "h": "hours", "m": "minutes"}


@dataclass(frozen=True)
class Offset:
    """How long before a meeting's first start a reminder is due; `text` is the canonical spelling."""

    text: str
    amount: int
    unit: str  # "d", "h" or "m"
    at: time | None = None  # with "d": that day at this local time

    def due_before(self, start: datetime) -> datetime:
        """When the reminder is due for a first day starting at `start` (aware, in the meeting's zone)."""
        if self.at is not None:
            day = start.date() - timedelta(days=self.amount)
            return datetime.combine(day, self.at, tzinfo=start.tzinfo)
        return start - timedelta(**{UNITS[self.unit]: self.amount})

    @property
    def label(self) -> str:
        """For the organizer's screen: “1 day before, at 09.00”, “1 hour before”."""
        from django.utils.formats import time_format
        from django.utils.translation import gettext, ngettext

        if self.at is not None:
            at = time_format(self.at, "TIME_FORMAT")  # 09.00 in Indonesian, 09:00 in English
            if self.amount == 0:
                return gettext("On the first day, at %(time)s") % {"time": at}
            text = ngettext("%(n)d day before, at %(time)s", "%(n)d days before, at %(time)s", self.amount)
            return text % {"n": self.amount, "time": at}
        text = {
            "d": ngettext("%(n)d day before", "%(n)d days before", self.amount),
            "h": ngettext("%(n)d hour before", "%(n)d hours before", self.amount),
            "m": ngettext("%(n)d minute before", "%(n)d minutes before", self.amount),
        }[self.unit]
        return text % {"n": self.amount}


def parse_offset(text: str) -> Offset:
    """One offset, as an administrator may write it (“ 1D@9.00 ”); ValueError says what is wrong.

    "1d@09:00" is the day before the first day at 09.00 in the meeting's zone ("0d@07:00" the
    first day itself); "2d", "1h" and "30m" count back from the first day's start.
    """
    match = OFFSET_RE.fullmatch(text.strip().lower())
    if match is None:
        raise ValueError("expected a number and a unit (d, h or m), optionally followed by @HH:MM after d")
    amount, unit, hour, minute = match.groups()
    if hour is not None and unit != "d":
        raise ValueError("only day offsets (d) take a time of day")
    if hour is not None and (int(hour) > 23 or int(minute) > 59):
        raise ValueError("the time of day must be between 00:00 and 23:59")
    if int(amount) == 0 and hour is None:
        raise ValueError("an offset must be more than zero")
    at = time(int(hour), int(minute)) if hour is not None else None
    canonical = f"{int(amount)}{unit}" + (f"@{at:%H:%M}" if at is not None else "")
    return Offset(canonical, int(amount), unit, at)


def parse_offsets(value: str, *, setting: str = "SINERGI_REMINDER_OFFSETS") -> list[str]:
    """A comma-separated list of offsets, written canonically; bad input stops startup."""
    offsets = []
    for raw in value.split(","):
        if not raw.strip():
            continue
        try:
            canonical = parse_offset(raw).text
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{setting}: {raw.strip()!r} is not a valid offset ({error}); "
                'use a comma-separated list such as "1d@09:00,1h" or "2d,30m".'
            ) from None
        if canonical in offsets:
            raise ImproperlyConfigured(f"{setting}: {canonical!r} appears twice.")
        offsets.append(canonical)
    return offsets
