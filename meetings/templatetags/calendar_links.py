"""Links that put a meeting into someone's calendar: Google Calendar, Outlook.com.

The Google and Outlook links are plain "compose an event" links with everything in the query
string (URL-encoded); nothing is fetched from those services. A meeting of several days gets one
pair of links per day, since a single event from the first morning to the last afternoon would
block the nights in between.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from django import template

from .. import calendar
from ..models import Meeting

register = template.Library()

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"


def _encode(params: dict) -> str:
    return urlencode(params, quote_via=quote, safe="")


def _details(meeting: Meeting) -> str:
    parts = [meeting.theme] if meeting.theme else []
    join_url = calendar.public_join_url(meeting)
    if join_url:
        parts.append(join_url)
    parts.append(meeting.urls.absolute.public)
    return calendar.clean("\n\n".join(parts))


def google_url(meeting: Meeting, start: datetime, end: datetime) -> str:
    utc = "%Y%m%dT%H%M%SZ"
    params = {
        "action": "TEMPLATE",
        "text": calendar.clean(meeting.title),
        "dates": f"{start.astimezone(UTC):{utc}}/{end.astimezone(UTC):{utc}}",
        "details": _details(meeting),
        "location": calendar.location(meeting),
        "ctz": meeting.timezone,
    }
    return f"{GOOGLE}?{_encode(params)}"


def outlook_url(meeting: Meeting, start: datetime, end: datetime) -> str:
    iso = "%Y-%m-%dT%H:%M:%SZ"
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": calendar.clean(meeting.title),
        "startdt": f"{start.astimezone(UTC):{iso}}",
        "enddt": f"{end.astimezone(UTC):{iso}}",
        "body": _details(meeting),
        "location": calendar.location(meeting),
    }
    return f"{OUTLOOK}?{_encode(params)}"


@register.simple_tag
def add_to_calendar_links(meeting: Meeting) -> list[dict]:
    """Per day of the meeting: {"day", "google", "outlook"} (uses the prefetched days)."""
    links = []
    for day in meeting.days.all():
        start = datetime.combine(day.date, day.start_time, tzinfo=meeting.tz)
        end = datetime.combine(day.date, day.end_time, tzinfo=meeting.tz)
        links.append(
            {
                "day": day,
                "google": google_url(meeting, start, end),
                "outlook": outlook_url(meeting, start, end),
            }
        )
    return links
