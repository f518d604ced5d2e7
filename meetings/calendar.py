"""Calendar export (RFC 5545 through `icalendar`): meeting files, iTIP invitations, feeds.

One VEVENT per meeting day (optionally also one per agenda item), each with a stable UID
`sinergi-<code>-<day id>@<host>` (items: `sinergi-<code>-item-<item id>@<host>`), the meeting's
calendar SEQUENCE, local times carrying the meeting's TZID and a VTIMEZONE per zone trimmed to the
dates that zone is used on. Text is stripped of control characters; `icalendar` escapes and folds it.

Public files and feeds carry only public links: the meeting room's own join link, and only while
the meeting is published and its room is open to the public (a webinar), as on the public page.
A private room's link and a personal join link go only into the invitation of a person entitled
to it (`invitation_ics(join_url=...)`). Personal feeds carry public links only too: a feed's
address is handed to calendar services and shared more readily than a mailbox.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr
from functools import lru_cache

from django.conf import settings
from django.db.models import CharField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from core.links import site_host
from core.models import AuditEntry
from core.timezones import zone_label

from .models import AgendaItem, Meeting, MeetingDay

PRODID = "-//Sinergi//Sinergi meetings//ID"
# Control characters (C0 and C1) other than tab and newline have no place in calendar text.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARS.sub("", text)


def host() -> str:
    return site_host()


def day_uid(meeting: Meeting, day_id: int, *, host_name: str | None = None) -> str:
    return f"sinergi-{meeting.code}-{day_id}@{host_name or host()}"


def item_uid(meeting: Meeting, item_id: int, *, host_name: str | None = None) -> str:
    return f"sinergi-{meeting.code}-item-{item_id}@{host_name or host()}"


def _audit_changed_at():
    """The time of the latest audit entry of a meeting (agenda, roles, room, days all write one)."""
    entries = AuditEntry.objects.filter(
        content_type__app_label="meetings",
        content_type__model="meeting",
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("-created_at")
    return Subquery(entries.values("created_at")[:1])


def with_changed_at(queryset=None):
    """Meetings annotated with `calendar_changed_at`, the latest audit entry about them.

    Changing an agenda item, a speaker or the room does not touch `Meeting.updated_at`, but each
    writes an audit entry on the meeting; together they tell when a meeting's calendar changed.
    """
    queryset = queryset if queryset is not None else Meeting.objects.all()
    return queryset.annotate(calendar_changed_at=_audit_changed_at())


def with_schedule(queryset=None):
    """Meetings with what a calendar shows, in a fixed number of queries.

    Speakers live in a higher app; they are reached through the relation names only.
    """
    role_model = AgendaItem._meta.get_field("roles").related_model
    return (
        with_changed_at(queryset)
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


@dataclass(slots=True)
class ScheduleItem:
    pk: int
    start_time: time
    end_time: time
    title: str
    description: str
    speakers: list[str]


@dataclass(slots=True)
class ScheduleDay:
    pk: int
    date: date
    start_time: time
    end_time: time
    items: list[ScheduleItem]


def schedule(meeting: Meeting) -> list[ScheduleDay]:
    """The meeting's days, items and speakers as plain values (from `load` or the prefetch)."""
    loaded = getattr(meeting, "_calendar_schedule", None)
    if loaded is not None:
        return loaded
    return [
        ScheduleDay(
            day.pk,
            day.date,
            day.start_time,
            day.end_time,
            [
                ScheduleItem(
                    item.pk,
                    item.start_time,
                    item.end_time,
                    item.title,
                    item.description,
                    [role.person.full_name for role in item.roles.all() if role.role == "speaker"],
                )
                for item in day.items.all()
            ],
        )
        for day in meeting.days.all()
    ]


def load(queryset) -> list[Meeting]:
    """Meetings ready for a calendar in four queries, however many meetings, days and items.

    The days, items and speakers come as plain values rather than prefetched model instances:
    a feed of 500 meetings holds thousands of them, and building a model instance (and the
    related manager Django caches on each) costs several times more than the event it feeds.
    """
    meetings = list(
        with_changed_at(queryset).select_related("online_room").defer("description", "background")
    )
    ids = [meeting.pk for meeting in meetings]
    if not ids:
        return meetings
    role_model = AgendaItem._meta.get_field("roles").related_model
    speakers: dict[int, list[str]] = {}
    for item_id, name in (
        role_model.objects.filter(agenda_item__day__meeting_id__in=ids, role="speaker")
        .order_by("order", "id")
        .values_list("agenda_item_id", "person__full_name")
    ):
        speakers.setdefault(item_id, []).append(name)
    items: dict[int, list[ScheduleItem]] = {}
    for pk, day_id, start, end, title, description in (
        AgendaItem.objects.filter(day__meeting_id__in=ids)
        .order_by("start_time", "order", "id")
        .values_list("pk", "day_id", "start_time", "end_time", "title", "description")
    ):
        items.setdefault(day_id, []).append(
            ScheduleItem(pk, start, end, title, description, speakers.get(pk, []))
        )
    days: dict[int, list[ScheduleDay]] = {}
    for pk, meeting_id, day, start, end in (
        MeetingDay.objects.filter(meeting_id__in=ids)
        .order_by("date")
        .values_list("pk", "meeting_id", "date", "start_time", "end_time")
    ):
        days.setdefault(meeting_id, []).append(ScheduleDay(pk, day, start, end, items.get(pk, [])))
    for meeting in meetings:
        meeting._calendar_schedule = days.get(meeting.pk, [])
    return meetings


def last_modified(meeting: Meeting) -> datetime:
    """When the meeting's calendar last changed (DTSTAMP of files without METHOD, feed validators)."""
    audited = getattr(meeting, "calendar_changed_at", None)
    return max(meeting.updated_at, audited) if audited else meeting.updated_at


def validators(rows: Iterable[tuple], *, extra: str = "") -> tuple[str, datetime | None]:
    """ETag and Last-Modified of a calendar made of meetings.

    `rows`: (id, updated_at, calendar_changed_at, calendar_sequence, status) per meeting, in the
    order the calendar lists them. The ETag is weak: it names the content, not the bytes.
    """
    digest = hashlib.sha256(extra.encode())
    latest = None
    for pk, updated_at, changed_at, sequence, status in rows:
        changed = max(updated_at, changed_at) if changed_at else updated_at
        latest = changed if latest is None else max(latest, changed)
        digest.update(f"{pk}:{changed.isoformat()}:{sequence}:{status};".encode())
    return f'W/"{digest.hexdigest()[:32]}"', latest


VALIDATOR_FIELDS = ("pk", "updated_at", "calendar_changed_at", "calendar_sequence", "status")


@lru_cache(maxsize=16)
def _parsed_sender(sender: str) -> tuple[str, str]:
    return parseaddr(sender)


def organizer_address() -> vCalAddress:
    name, address = _parsed_sender(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = vText(name)
    return organizer


def room_join_url(meeting: Meeting) -> str:
    """The meeting room's own link while the meeting is published, for the people entitled to it
    (confirmed online registrants, speakers, staff): callers decide who that is."""
    if not meeting.has_online or meeting.status != Meeting.Status.PUBLISHED:
        return ""
    room = getattr(meeting, "online_room", None)
    return room.join_url if room else ""


def public_join_url(meeting: Meeting) -> str:
    """The room's link for everyone: only when the organizer opened the room to the public."""
    room = getattr(meeting, "online_room", None)
    return room_join_url(meeting) if room and room.open_to_public else ""


def _room(meeting: Meeting):
    return getattr(meeting, "online_room", None) if meeting.has_online else None


def location(meeting: Meeting) -> str:
    parts = []
    if meeting.has_onsite:
        parts = [p for p in (meeting.venue_name, meeting.venue_room, meeting.venue_address) if p]
    if meeting.has_online:
        parts.append(_("Online"))
    return clean(", ".join(parts))


def _hhmm(value) -> str:
    return value.strftime("%H.%M")


def _item_line(item: ScheduleItem, label: str) -> str:
    line = f"{_hhmm(item.start_time)}–{_hhmm(item.end_time)} {label} {item.title}"
    return f"{line} ({', '.join(item.speakers)})" if item.speakers else line


def _description(meeting: Meeting, join_url: str, public_url: str, lines: list[str]) -> str:
    head = [meeting.theme, ""] if meeting.theme else []
    tail = []
    if join_url:
        tail += ["", _("Join online: %(url)s") % {"url": join_url}]
        room = _room(meeting)
        if room and room.passcode:
            tail.append(_("Passcode: %(code)s") % {"code": room.passcode})
    if public_url:
        tail += ["", public_url]
    return clean("\n".join(head + lines + tail).strip())


def _event(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    location: str,
    join_url: str,
    public_url: str,
    stamp: datetime,
    sequence: int,
    status: str,
    organizer: vCalAddress,
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
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if public_url:
        event.add("url", public_url)
    event.add("status", status)
    event.add("organizer", organizer)
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
        calendar.add("x-wr-calname", vText(clean(name)))
    return calendar


def _status(meeting: Meeting, cancelled: bool) -> str:
    if cancelled:
        return "CANCELLED"
    # Drafts appear only in their staff's own feeds, as not yet settled.
    return "TENTATIVE" if meeting.status == Meeting.Status.DRAFT else "CONFIRMED"


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
    host_name: str | None = None,
    organizer: vCalAddress | None = None,
) -> list[Event]:
    """The events of one meeting. `join_url` None means the meeting's own (public) link.

    `host_name` and `organizer` let a caller building many meetings look the settings
    up once.
    """
    if join_url is None:
        join_url = public_join_url(meeting)
    host_name = host_name or host()
    organizer = organizer or organizer_address()
    # A draft has no public page yet; its staff (the only ones who see it) get the overview.
    public_url = meeting.urls.absolute.public if meeting.is_public else meeting.urls.absolute.detail
    cancelled = meeting.status == Meeting.Status.CANCELLED if cancelled is None else cancelled
    stamp = stamp or (timezone.now() if method else last_modified(meeting))
    wanted = set(only_day_ids) if only_day_ids is not None else None
    label = zone_label(meeting.timezone)
    tz = meeting.tz
    common = {
        "location": location(meeting),
        "join_url": join_url,
        "public_url": public_url,
        "stamp": stamp,
        "sequence": meeting.calendar_sequence,
        "status": _status(meeting, cancelled),
        "organizer": organizer,
        "attendee": attendee,
        "method": method,
    }
    events = []
    for day in schedule(meeting):
        if wanted is not None and day.pk not in wanted:
            continue
        items = day.items
        lines = [_item_line(item, label) for item in items]
        events.append(
            _event(
                uid=day_uid(meeting, day.pk, host_name=host_name),
                start=datetime.combine(day.date, day.start_time, tzinfo=tz),
                end=datetime.combine(day.date, day.end_time, tzinfo=tz),
                summary=meeting.title,
                description=_description(meeting, join_url, public_url, lines),
                **common,
            )
        )
        if per_item:
            for item, line in zip(items, lines, strict=True):
                item_lines = [line, item.description] if item.description else [line]
                events.append(
                    _event(
                        uid=item_uid(meeting, item.pk, host_name=host_name),
                        start=datetime.combine(day.date, item.start_time, tzinfo=tz),
                        end=datetime.combine(day.date, item.end_time, tzinfo=tz),
                        summary=f"{item.title} — {meeting.title}",
                        description=_description(meeting, join_url, public_url, item_lines),
                        **common,
                    )
                )
    return events


def removed_day_events(meeting: Meeting, removed: list[dict], *, attendee=None) -> list[Event]:
    """CANCEL events for days that no longer exist (`removed`: dicts with id, date, start, end)."""
    events = []
    organizer = organizer_address()
    for day in removed:
        day_date = date.fromisoformat(day["date"])
        events.append(
            _event(
                uid=day_uid(meeting, day["id"]),
                start=datetime.combine(day_date, time.fromisoformat(day["start_time"]), tzinfo=meeting.tz),
                end=datetime.combine(day_date, time.fromisoformat(day["end_time"]), tzinfo=meeting.tz),
                summary=meeting.title,
                description="",
                location=location(meeting),
                join_url="",
                public_url=meeting.urls.absolute.public,
                stamp=timezone.now(),
                sequence=meeting.calendar_sequence,
                status="CANCELLED",
                organizer=organizer,
                attendee=attendee,
                method="CANCEL",
            )
        )
    return events


@lru_cache(maxsize=256)
def _vtimezone(tzid: str, first: date, last: date) -> Timezone:
    # Building a VTIMEZONE walks the zone's transitions; the same zone and range recur often.
    # Callers only serialise the component, never change it, so one instance can be shared.
    return Timezone.from_tzid(tzid, first_date=first, last_date=last)


def _zone_ranges(events: list[Event]) -> dict[str, tuple[date, date]]:
    """Per TZID, the first and last date an event uses it."""
    ranges: dict[str, tuple[date, date]] = {}
    for event in events:
        for name in ("DTSTART", "DTEND"):
            value = event[name].dt
            tzid = getattr(value.tzinfo, "key", None)
            if not tzid or tzid == "UTC":
                continue
            day = value.date()
            first, last = ranges.get(tzid, (day, day))
            ranges[tzid] = (min(first, day), max(last, day))
    return ranges


def build(events: list[Event], *, method: str | None = None, name: str | None = None) -> Calendar:
    """A calendar of events with the VTIMEZONEs they need, each trimmed to the dates it covers."""
    calendar = _calendar(method, name)
    for tzid, (first, last) in sorted(_zone_ranges(events).items()):
        # The range ends the day after the last date: a range of one day gives a VTIMEZONE with
        # no STANDARD at all, which RFC 5545 does not allow.
        calendar.add_component(_vtimezone(tzid, first, last + timedelta(days=1)))
    for event in events:
        calendar.add_component(event)
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
    shared = {"host_name": host(), "organizer": organizer_address()}
    events = []
    with translation.override(settings.LANGUAGE_CODE):
        for meeting in meetings:
            events += meeting_events(meeting, **shared)
        return build(events, name=name).to_ical()
