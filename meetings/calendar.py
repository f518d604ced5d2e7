"""Calendar export (RFC 5545 through `icalendar`): meeting files, iTIP invitations, feeds.

One VEVENT per meeting day (optionally also one per agenda item), each with a stable UID
`sinergi-<code>-<day id>@<host>` (items: `sinergi-<code>-item-<item id>@<host>`), the meeting's
calendar SEQUENCE, local times carrying the meeting's TZID and a VTIMEZONE trimmed to the dates
used. Text is stripped of control characters; `icalendar` escapes and folds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from email.utils import parseaddr
from urllib.parse import urlparse

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models import AgendaItem, Meeting, MeetingDay
from .timezones import zone_label

PRODID = "-//Sinergi//Sinergi meetings//ID"
# Control characters other than tab and newline have no place in calendar text.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    return CONTROL_CHARS.sub("", text or "").replace("\r\n", "\n").replace("\r", "\n")


def host() -> str:
    return urlparse(settings.SINERGI_BASE_URL).hostname or "sinergi.invalid"


def day_uid(meeting: Meeting, day_id: int) -> str:
    return f"sinergi-{meeting.code}-{day_id}@{host()}"


def item_uid(meeting: Meeting, item_id: int) -> str:
    return f"sinergi-{meeting.code}-item-{item_id}@{host()}"


def with_schedule(queryset=None):
    """Meetings with what a calendar shows, in a fixed number of queries.

    Speakers live in a higher app; they are reached through the relation names only.
    """
    role_model = AgendaItem._meta.get_field("roles").related_model
    return (
        (queryset if queryset is not None else Meeting.objects.all())
        .select_related("online_room")
        .prefetch_related(
            Prefetch("days", queryset=MeetingDay.objects.order_by("date")),
            Prefetch("days__items", queryset=AgendaItem.objects.order_by("start_time", "order", "id")),
            Prefetch(
                "days__items__roles",
                queryset=role_model.objects.select_related("person").order_by("role", "order", "id"),
            ),
        )
    )


def organizer_address() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = vText(name)
    return organizer


def _room(meeting: Meeting):
    return getattr(meeting, "online_room", None) if meeting.has_online else None


def _location(meeting: Meeting) -> str:
    parts = []
    if meeting.has_onsite:
        parts = [p for p in (meeting.venue_name, meeting.venue_room, meeting.venue_address) if p]
    if meeting.has_online:
        parts.append(_("Online"))
    return ", ".join(parts)


def _hhmm(value) -> str:
    return value.strftime("%H.%M")


def _speakers(item: AgendaItem) -> str:
    names = [role.person.full_name for role in item.roles.all() if role.role == "speaker"]
    return ", ".join(names)


def _description(meeting: Meeting, day: MeetingDay, join_url: str, public_url: str, items=None) -> str:
    lines = []
    if meeting.theme:
        lines += [meeting.theme, ""]
    label = zone_label(meeting.timezone)
    for item in day.items.all() if items is None else items:
        line = f"{_hhmm(item.start_time)}–{_hhmm(item.end_time)} {label} {item.title}"
        speakers = _speakers(item)
        if speakers:
            line += f" ({speakers})"
        lines.append(line)
    room = _room(meeting)
    if join_url:
        lines += ["", _("Join online: %(url)s") % {"url": join_url}]
        if room and room.passcode:
            lines.append(_("Passcode: %(code)s") % {"code": room.passcode})
    if public_url:
        lines += ["", public_url]
    return clean("\n".join(lines).strip())


def _event(
    meeting: Meeting,
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    join_url: str,
    public_url: str,
    stamp: datetime,
    sequence: int,
    cancelled: bool,
    attendee: tuple[str, str] | None,
    method: str | None,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", clean(summary))
    event.add("description", description)
    location = _location(meeting)
    if location:
        event.add("location", clean(location))
    if public_url:
        event.add("url", public_url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", organizer_address())
    if join_url:
        # RFC 7986: how to join, for clients that show a "join" button.
        event.add("conference", join_url, parameters={"VALUE": "URI", "FEATURE": "AUDIO,VIDEO"})
    if attendee:
        email, name = attendee
        address = vCalAddress(f"mailto:{email}")
        address.params["cn"] = vText(clean(name))
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION" if method == "REQUEST" else "DECLINED")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address, encode=0)
    return event


def _calendar(method: str | None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", clean(name))
    return calendar


def meeting_events(
    meeting: Meeting,
    *,
    per_item: bool = False,
    join_url: str | None = None,
    attendee: tuple[str, str] | None = None,
    method: str | None = None,
    only_day_ids: Iterable[int] | None = None,
    cancelled: bool | None = None,
    stamp: datetime | None = None,
) -> list[Event]:
    """The events of one meeting. `join_url` None means the meeting's own (public) link."""
    if join_url is None:
        room = _room(meeting)
        join_url = room.join_url if room else ""
    public_url = settings.SINERGI_BASE_URL + meeting.urls.public
    cancelled = meeting.status == Meeting.Status.CANCELLED if cancelled is None else cancelled
    stamp = stamp or (timezone.now() if method else meeting.updated_at)
    wanted = set(only_day_ids) if only_day_ids is not None else None
    common = {
        "join_url": join_url,
        "public_url": public_url,
        "stamp": stamp,
        "sequence": meeting.calendar_sequence,
        "cancelled": cancelled,
        "attendee": attendee,
        "method": method,
    }
    events = []
    for day in meeting.days.all():
        if wanted is not None and day.pk not in wanted:
            continue
        items = list(day.items.all())
        events.append(
            _event(
                meeting,
                uid=day_uid(meeting, day.pk),
                start=day.starts_at(),
                end=day.ends_at(),
                summary=meeting.title,
                description=_description(meeting, day, join_url, public_url, items=items),
                **common,
            )
        )
        if per_item:
            for item in items:
                summary = f"{item.title} — {meeting.title}"
                events.append(
                    _event(
                        meeting,
                        uid=item_uid(meeting, item.pk),
                        start=datetime.combine(day.date, item.start_time, tzinfo=meeting.tz),
                        end=datetime.combine(day.date, item.end_time, tzinfo=meeting.tz),
                        summary=summary,
                        description=_description(meeting, day, join_url, public_url, items=[item]),
                        **common,
                    )
                )
    return events


def removed_day_events(meeting: Meeting, removed: list[dict], *, attendee=None) -> list[Event]:
    """CANCEL events for days that no longer exist (`removed`: dicts with id, date, start, end)."""
    events = []
    for day in removed:
        start = datetime.combine(date.fromisoformat(day["date"]), _time(day["start_time"]), tzinfo=meeting.tz)
        end = datetime.combine(date.fromisoformat(day["date"]), _time(day["end_time"]), tzinfo=meeting.tz)
        events.append(
            _event(
                meeting,
                uid=day_uid(meeting, day["id"]),
                start=start,
                end=end,
                summary=meeting.title,
                description="",
                join_url="",
                public_url=settings.SINERGI_BASE_URL + meeting.urls.public,
                stamp=timezone.now(),
                sequence=meeting.calendar_sequence,
                cancelled=True,
                attendee=attendee,
                method="CANCEL",
            )
        )
    return events


def _time(text: str):
    from datetime import time

    return time.fromisoformat(text)


def build(events: list[Event], *, method: str | None = None, name: str | None = None) -> Calendar:
    """A calendar of events with the VTIMEZONEs they need, trimmed to their dates."""
    calendar = _calendar(method, name)
    for event in events:
        calendar.add_component(event)
    if events:
        starts = [e.decoded("dtstart") for e in events]
        ends = [e.decoded("dtend") for e in events]
        calendar.add_missing_timezones(min(starts).date(), max(ends).date())
    return calendar


def meeting_ics(meeting: Meeting, *, per_item: bool = False) -> bytes:
    """The public .ics of a meeting: never a personal link."""
    with translation.override(settings.LANGUAGE_CODE):
        return build(meeting_events(meeting, per_item=per_item), name=meeting.title).to_ical()


def invitation_ics(
    meeting: Meeting,
    *,
    method: str,
    attendee: tuple[str, str],
    join_url: str | None = None,
    only_day_ids: Iterable[int] | None = None,
    removed_days: list[dict] = (),
    cancelled: bool | None = None,
) -> bytes:
    """An iTIP message (METHOD REQUEST or CANCEL) for one person, who is its ATTENDEE."""
    events = meeting_events(
        meeting,
        join_url=join_url,
        attendee=attendee,
        method=method,
        only_day_ids=only_day_ids,
        cancelled=True if method == "CANCEL" else cancelled,
    )
    events += removed_day_events(meeting, list(removed_days), attendee=attendee)
    return build(events, method=method).to_ical()


def feed_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A subscription feed: one VEVENT per day of each meeting, public links only."""
    events = []
    for meeting in meetings:
        events += meeting_events(meeting)
    return build(events, name=name).to_ical()
