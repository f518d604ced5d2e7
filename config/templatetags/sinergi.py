"""Template helpers: Indonesian-style times with the zone label, active navigation."""

from datetime import date, datetime, time

from django import template
from django.utils import formats
from django.utils.timezone import localtime

from core.timezones import zone_label

register = template.Library()


@register.filter
def hhmm(value: time | datetime | None) -> str:
    """09.00 in Indonesian, 09:00 in English (the active language's TIME_FORMAT)."""
    if value is None:
        return ""
    return formats.time_format(value, "TIME_FORMAT")


@register.simple_tag
def time_range(start: time, end: time, tz_name: str) -> str:
    """“09.00–15.00 WIB”."""
    return f"{hhmm(start)}–{hhmm(end)} {zone_label(tz_name)}"


@register.filter
def longdate(value: date | None) -> str:
    """“Senin, 20 September 2021” / “Monday, 20 September 2021”."""
    if value is None:
        return ""
    return formats.date_format(value, "DATE_FORMAT")


@register.simple_tag
def datetime_in(value: datetime | None, tz_name: str) -> str:
    """A moment written in a meeting's zone: “Senin, 13 September 2021 16.00 WIB”."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    local = localtime(value, ZoneInfo(tz_name))
    return f"{longdate(local.date())} {hhmm(local)} {zone_label(tz_name)}"


@register.simple_tag(takes_context=True)
def active(context, prefix: str) -> str:
    request = context.get("request")
    return "active" if request and request.path.startswith(prefix) else ""


@register.simple_tag
def day_hours(day, tz_name: str | None = None) -> str:
    """A meeting day's hours in its own zone, or converted to another: “10.00–16.00 WITA”."""
    from zoneinfo import ZoneInfo

    tz_name = tz_name or day.meeting.timezone
    zone = ZoneInfo(tz_name)
    start, end = day.starts_at().astimezone(zone), day.ends_at().astimezone(zone)
    return f"{hhmm(start)}–{hhmm(end)} {zone_label(tz_name)}"
