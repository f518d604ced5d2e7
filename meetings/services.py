"""Every state change of a meeting: one function per verb, transactional, audit-logged."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit
from directory.models import Organization, Person

from . import validation
from .conferencing import sync, zoom, zoom_api
from .models import AgendaItem, AgendaRole, Meeting, MeetingDay, MeetingHost, OnlineRoom
from .signals import meeting_schedule_changed, meeting_seats_changed, meeting_status_changed

MEETING_FIELDS = [
    *("title", "theme", "kind", "mode", "description", "background", "timezone"),
    *("venue_name", "venue_address", "venue_room", "capacity_onsite", "capacity_online"),
    *("registration_opens_at", "registration_closes_at", "moderation"),
]
SCHEDULE_FIELDS = {"timezone", "venue_name", "venue_address", "venue_room"}
SEAT_FIELDS = {"mode", "capacity_onsite", "capacity_online"}
# Changes the Zoom room follows: the days and their hours, the zone, and the topic and agenda.
ROOM_FIELDS = {"day", "timezone"}
ROOM_TEXT_FIELDS = {"title", "theme"}

# Which status each transition may start from.
TRANSITIONS = {
    "publish": ({Meeting.Status.DRAFT}, Meeting.Status.PUBLISHED),
    "unpublish": ({Meeting.Status.PUBLISHED}, Meeting.Status.DRAFT),
    "mark_held": ({Meeting.Status.PUBLISHED}, Meeting.Status.HELD),
    "reopen": ({Meeting.Status.HELD}, Meeting.Status.PUBLISHED),
    "close": ({Meeting.Status.HELD}, Meeting.Status.CLOSED),
    "cancel": ({Meeting.Status.DRAFT, Meeting.Status.PUBLISHED}, Meeting.Status.CANCELLED),
}


class TransitionError(Exception):
    """A lifecycle step that is not allowed from the meeting's current status."""


def _refresh_dates(meeting: Meeting) -> None:
    span = meeting.days.aggregate(first=Min("date"), last=Max("date"))
    Meeting.objects.filter(pk=meeting.pk).update(starts_on=span["first"], ends_on=span["last"])
    meeting.starts_on, meeting.ends_on = span["first"], span["last"]


def day_dict(day: MeetingDay) -> dict:
    """A day as the schedule signal carries it (JSON-serialisable)."""
    return {
        "id": day.pk,
        "date": day.date.isoformat(),
        "start_time": day.start_time.isoformat(),
        "end_time": day.end_time.isoformat(),
    }


def _schedule_changed(meeting: Meeting, actor, changes: list[dict], removed_days: list[dict] = ()) -> None:
    """After publishing, a schedule change raises the calendar sequence and tells listeners.

    The signal goes out inside the transaction, so what the receivers enqueue (the update emails)
    commits with the change or not at all.
    """
    if any(change["field"] in ROOM_FIELDS for change in changes):
        sync.follow(meeting)  # the Zoom room follows the days, in drafts too
    if meeting.status != Meeting.Status.PUBLISHED:
        return
    meeting.calendar_sequence += 1
    Meeting.objects.filter(pk=meeting.pk).update(calendar_sequence=meeting.calendar_sequence)
    meeting_schedule_changed.send(
        sender=Meeting,
        meeting=meeting,
        actor=actor,
        sequence=meeting.calendar_sequence,
        changes=changes,
        removed_days=list(removed_days),
    )


def _check_window(meeting: Meeting, *, without_day: MeetingDay | None = None) -> None:
    days = meeting.days.exclude(pk=without_day.pk) if without_day else meeting.days
    last = days.order_by("-date").first()
    validation.check_registration_window(
        meeting.registration_opens_at,
        meeting.registration_closes_at,
        last.date if last else None,
        last.end_time if last else None,
        meeting.timezone,
    )


@transaction.atomic
def create_meeting(*, actor, days: Iterable[dict] = (), **fields: Any) -> Meeting:
    """Create a draft meeting with its days; the creator becomes its first organizer."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting(created_by=actor if actor and actor.is_authenticated else None, **fields)
    meeting.full_clean()
    meeting.save()
    for day in days:
        _add_day(meeting, **day)
    _check_window(meeting)
    _refresh_dates(meeting)
    if actor and actor.is_authenticated:
        meeting.organizers.add(actor)
    audit.record(meeting, "meeting.created", actor, title=meeting.title)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, actor, **fields: Any) -> list[str]:
    """Change a meeting's fields; returns the names of the fields that changed."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting.objects.lock(meeting.pk)
    changed = {}
    for name, value in fields.items():
        old = getattr(meeting, name)
        if old != value:
            changed[name] = (str(old), str(value))
            setattr(meeting, name, value)
    if not changed:
        return []
    meeting.full_clean()
    _check_window(meeting)
    meeting.save()
    audit.record(meeting, "meeting.updated", actor, changes=changed)
    if SCHEDULE_FIELDS & set(changed):
        schedule = [
            {"field": name, "old": old, "new": new}
            for name, (old, new) in changed.items()
            if name in SCHEDULE_FIELDS
        ]
        _schedule_changed(meeting, actor, schedule)
    if ROOM_TEXT_FIELDS & set(changed):
        sync.follow(meeting)
    if SEAT_FIELDS & set(changed):
        # Still under the meeting's lock: freed seats go to those waiting before any newcomer.
        meeting_seats_changed.send(
            sender=Meeting,
            meeting=meeting,
            actor=actor,
            changes={name: changed[name] for name in SEAT_FIELDS & set(changed)},
        )
    return list(changed)


@transaction.atomic
def _transition(meeting: Meeting, verb: str, actor, **data) -> Meeting:
    sources, target = TRANSITIONS[verb]
    locked = Meeting.objects.lock(meeting.pk)
    if locked.status not in sources:
        raise TransitionError(
            _("This meeting cannot be changed from “%(status)s” that way.")
            % {"status": locked.get_status_display()}
        )
    old = locked.status
    locked.status = target
    if verb == "cancel":
        locked.calendar_sequence += 1
    locked.save(update_fields=["status", "calendar_sequence", "updated_at"])
    audit.record(locked, f"meeting.{verb}", actor, old_status=old, new_status=target, **data)
    if verb == "publish":
        _open_zoom_room(locked, actor)
    if verb in ("publish", "cancel"):
        sync.follow(locked)  # made at publishing, deleted at cancelling
    # Inside the transaction: what the receivers enqueue (cancellation emails) commits with it.
    meeting_status_changed.send(
        sender=Meeting,
        meeting=locked,
        actor=actor,
        old_status=old,
        new_status=target,
        sequence=locked.calendar_sequence,
        reason=data.get("reason", ""),
    )
    meeting.status, meeting.calendar_sequence = locked.status, locked.calendar_sequence
    return meeting


def publish(meeting: Meeting, *, actor) -> Meeting:
    if not meeting.days.exists():
        raise TransitionError(_("Add at least one day before publishing."))
    return _transition(meeting, "publish", actor)


def unpublish(meeting: Meeting, *, actor) -> Meeting:
    return _transition(meeting, "unpublish", actor)


def not_started_reason(meeting: Meeting, now: datetime | None = None) -> str | None:
    """Why the meeting cannot be marked as held yet (its first day has not begun), or None."""
    first = meeting.days.order_by("date").first()
    if first is None:
        return _("This meeting has no days yet.")
    first.meeting = meeting
    start = first.starts_at()
    if (now or timezone.now()) >= start:
        return None
    return _(
        "This meeting has not started yet: its first day is %(date)s at %(time)s %(zone)s. "
        "Mark it as held once it has begun."
    ) % {
        "date": formats.date_format(first.date, "DATE_FORMAT"),
        "time": formats.time_format(first.start_time, "TIME_FORMAT"),
        "zone": meeting.zone_label,
    }


def mark_held(meeting: Meeting, *, actor, now: datetime | None = None) -> Meeting:
    """Registration and check-in end; refused before the first day starts (undo with reopen)."""
    reason = not_started_reason(meeting, now)
    if reason:
        raise TransitionError(reason)
    return _transition(meeting, "mark_held", actor)


def reopen(meeting: Meeting, *, actor) -> Meeting:
    """Undo "mark as held": the meeting is published again, as it was."""
    return _transition(meeting, "reopen", actor)


def close(meeting: Meeting, *, actor) -> Meeting:
    return _transition(meeting, "close", actor)


def cancel(meeting: Meeting, *, actor, reason: str = "") -> Meeting:
    return _transition(meeting, "cancel", actor, reason=reason)


@transaction.atomic
def set_staff(meeting: Meeting, *, actor, organizers: Iterable, secretaries: Iterable) -> None:
    organizers, secretaries = list(organizers), list(secretaries)
    if not organizers:
        raise ValidationError({"organizers": _("A meeting needs at least one organizer.")})
    meeting.organizers.set(organizers)
    meeting.secretaries.set(secretaries)
    meeting.__dict__.pop("_staff_cache", None)
    audit.record(
        meeting,
        "meeting.staff_changed",
        actor,
        organizers=[u.email for u in organizers],
        secretaries=[u.email for u in secretaries],
    )


# Days ---------------------------------------------------------------------------------------


def _check_agenda_open(meeting: Meeting) -> None:
    """A closed or cancelled meeting's days and agenda are its record: they no longer change."""
    if meeting.is_final:
        raise ValidationError(
            _("This meeting is %(status)s; its agenda can no longer be changed.")
            % {"status": meeting.get_status_display().lower()}
        )


def _add_day(meeting: Meeting, *, date: date, start_time: time, end_time: time) -> MeetingDay:
    validation.check_time_range(start_time, end_time)
    if meeting.days.filter(date=date).exists():
        raise ValidationError({"date": _("This meeting already has a day on that date.")})
    return MeetingDay.objects.create(meeting=meeting, date=date, start_time=start_time, end_time=end_time)


@transaction.atomic
def add_day(meeting: Meeting, *, actor, date: date, start_time: time, end_time: time) -> MeetingDay:
    meeting = Meeting.objects.lock(meeting.pk)
    _check_agenda_open(meeting)
    day = _add_day(meeting, date=date, start_time=start_time, end_time=end_time)
    _refresh_dates(meeting)
    _check_window(meeting)
    audit.record(meeting, "meeting.day_added", actor, date=str(date))
    _schedule_changed(meeting, actor, [{"field": "day", "old": None, "new": day_dict(day)}])
    return day


@transaction.atomic
def update_day(day: MeetingDay, *, actor, date: date, start_time: time, end_time: time) -> MeetingDay:
    meeting = Meeting.objects.lock(day.meeting.pk)
    _check_agenda_open(meeting)
    validation.check_time_range(start_time, end_time)
    if meeting.days.filter(date=date).exclude(pk=day.pk).exists():
        raise ValidationError({"date": _("This meeting already has a day on that date.")})
    _check_items_inside(day, start_time, end_time)
    previous = (day.date, day.start_time, day.end_time)
    old = tuple(str(v) for v in previous)
    old_day = day_dict(day)
    day.date, day.start_time, day.end_time = date, start_time, end_time
    try:
        day.save()
        _refresh_dates(meeting)
        _check_window(meeting)
    except ValidationError:
        # The transaction rolls back; leave the caller's instance as it was too.
        day.date, day.start_time, day.end_time = previous
        raise
    audit.record(
        meeting, "meeting.day_changed", actor, old=old, new=(str(date), str(start_time), str(end_time))
    )
    new_day = day_dict(day)
    if new_day != old_day:
        _schedule_changed(meeting, actor, [{"field": "day", "old": old_day, "new": new_day}])
    return day


def _check_items_inside(day: MeetingDay, start_time: time, end_time: time) -> None:
    """New hours must still hold every item of the day; name the first item that would not fit."""
    errors = {}
    early = day.items.filter(start_time__lt=start_time).order_by("start_time").first()
    late = day.items.filter(end_time__gt=end_time).order_by("-end_time").first()
    for field, item in (("start_time", early), ("end_time", late)):
        if item:
            errors[field] = _("“%(title)s” (%(s)s–%(e)s) would fall outside these hours.") % {
                "title": item.title,
                "s": item.start_time.strftime("%H.%M"),
                "e": item.end_time.strftime("%H.%M"),
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def remove_day(day: MeetingDay, *, actor) -> None:
    meeting = Meeting.objects.lock(day.meeting.pk)
    _check_agenda_open(meeting)
    if meeting.status != Meeting.Status.DRAFT and meeting.days.count() == 1:
        raise ValidationError(_("A published meeting keeps at least one day."))
    # Removing the last day moves the meeting's end earlier, perhaps before registration closes.
    _check_window(meeting, without_day=day)
    audit.record(meeting, "meeting.day_removed", actor, date=str(day.date))
    removed = day_dict(day)
    day.delete()
    _refresh_dates(meeting)
    _schedule_changed(meeting, actor, [{"field": "day", "old": removed, "new": None}], [removed])


# Agenda items -------------------------------------------------------------------------------


def _check_item(day: MeetingDay, start: time, end: time, exclude_pk=None) -> None:
    validation.check_time_range(start, end)
    validation.check_item_in_day(start, end, day.start_time, day.end_time)
    others = day.items.exclude(pk=exclude_pk).values_list("start_time", "end_time", "title")
    validation.check_no_overlap(start, end, others)


@transaction.atomic
def add_agenda_item(
    day: MeetingDay, *, actor, start_time: time, end_time: time, title: str, description: str = ""
) -> AgendaItem:
    _check_agenda_open(Meeting.objects.lock(day.meeting.pk))
    _check_item(day, start_time, end_time)
    order = (day.items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem(
        day=day, start_time=start_time, end_time=end_time, title=title, description=description, order=order
    )
    item.full_clean()
    item.save()
    audit.record(day.meeting, "agenda.item_added", actor, title=title, day=str(day.date))
    return item


@transaction.atomic
def update_agenda_item(item: AgendaItem, *, actor, **fields: Any) -> AgendaItem:
    _check_agenda_open(Meeting.objects.lock(item.day.meeting.pk))
    allowed = {"start_time", "end_time", "title", "description"}
    if set(fields) - allowed:
        raise TypeError(f"Unknown agenda fields: {sorted(set(fields) - allowed)}")
    previous = {name: getattr(item, name) for name in fields}
    for name, value in fields.items():
        setattr(item, name, value)
    try:
        _check_item(item.day, item.start_time, item.end_time, exclude_pk=item.pk)
        item.full_clean()
    except ValidationError:
        # Nothing was saved; leave the caller's instance unchanged too.
        for name, value in previous.items():
            setattr(item, name, value)
        raise
    item.save()
    changes = {
        name: (str(old), str(getattr(item, name)))
        for name, old in previous.items()
        if old != getattr(item, name)
    }
    audit.record(item.day.meeting, "agenda.item_changed", actor, title=item.title, changes=changes)
    return item


@transaction.atomic
def delete_agenda_item(item: AgendaItem, *, actor) -> None:
    _check_agenda_open(Meeting.objects.lock(item.day.meeting.pk))
    audit.record(item.day.meeting, "agenda.item_deleted", actor, title=item.title)
    item.delete()


@transaction.atomic
def move_agenda_item(item: AgendaItem, *, actor, direction: int) -> AgendaItem:
    """Swap an item with its neighbour (direction -1 up, +1 down), swapping their time slots.

    Items on a day are ordered by time, so moving one means exchanging slots with its neighbour;
    each keeps its own duration, packed into the span the two occupied.
    """
    if direction not in (-1, 1):
        raise ValueError(f"direction must be -1 or 1, not {direction!r}")
    _check_agenda_open(Meeting.objects.lock(item.day.meeting.pk))
    items = list(item.day.items.order_by("start_time", "order", "id"))
    index = items.index(item)
    caller, item = item, items[index]
    other_index = index + direction
    if not 0 <= other_index < len(items):
        return caller
    first, second = sorted([item, items[other_index]], key=lambda i: i.start_time)
    span_start, gap_start = first.start_time, first.end_time
    gap = _seconds(second.start_time) - _seconds(gap_start)
    new_first, new_second = second, first
    new_first_start = span_start
    new_first_end = _add(new_first_start, _duration(new_first))
    new_second_start = _add(new_first_end, gap)
    new_second_end = _add(new_second_start, _duration(new_second))
    new_first.start_time, new_first.end_time = new_first_start, new_first_end
    new_second.start_time, new_second.end_time = new_second_start, new_second_end
    new_first.order, new_second.order = new_second.order, new_first.order
    AgendaItem.objects.bulk_update([new_first, new_second], ["start_time", "end_time", "order"])
    audit.record(item.day.meeting, "agenda.item_moved", actor, title=item.title, direction=direction)
    # The swap was worked out on fresh rows; give the caller's instance its new slot.
    caller.start_time, caller.end_time, caller.order = item.start_time, item.end_time, item.order
    return caller


def _seconds(t: time) -> int:
    # Seconds, not minutes: the agenda form accepts HH:MM:SS too, and a slot must keep its length.
    return t.hour * 3600 + t.minute * 60 + t.second


def _duration(item: AgendaItem) -> int:
    return _seconds(item.end_time) - _seconds(item.start_time)


def _add(t: time, seconds: int) -> time:
    total = _seconds(t) + seconds
    return time(total // 3600, total % 3600 // 60, total % 60)


# Online room --------------------------------------------------------------------------------


@transaction.atomic
def set_manual_room(
    meeting: Meeting,
    *,
    actor,
    join_url: str,
    passcode: str = "",
    instructions: str = "",
    open_to_public: bool = False,
) -> OnlineRoom:
    room, _created = OnlineRoom.objects.get_or_create(meeting=meeting)
    old_url = room.join_url
    changed = old_url != join_url
    opened_changed = room.open_to_public != open_to_public
    if (
        room.provider == OnlineRoom.Provider.ZOOM
        and room.provider_id
        and room.state != OnlineRoom.State.DELETED
    ):
        from . import tasks

        tasks.delete_zoom_meeting.enqueue(room.provider_id)  # the link by hand replaces it
        audit.record(meeting, "meeting.online_room_deleted", actor, provider_id=room.provider_id)
    room.provider = OnlineRoom.Provider.MANUAL
    room.provider_id, room.remote, room.attempt, room.host_url = "", {}, "", ""
    room.join_url, room.passcode, room.instructions = join_url, passcode, instructions
    room.open_to_public = open_to_public
    room.state = OnlineRoom.State.READY
    room.full_clean()
    room.save()
    audit.record(meeting, "meeting.online_room_set", actor, join_url=join_url)
    if opened_changed:
        action = "meeting.online_room_opened" if open_to_public else "meeting.online_room_made_private"
        audit.record(meeting, action, actor)
    if changed:
        _schedule_changed(
            Meeting.objects.lock(meeting.pk), actor, [{"field": "join_url", "old": old_url, "new": join_url}]
        )
    return room


def _open_zoom_room(meeting: Meeting, actor) -> None:
    """Publishing an online or hybrid meeting without a room gives it a Zoom room (when Zoom is
    configured), with the default settings: waiting room, muted on entry, cloud recording."""
    if not zoom_api.configured() or not meeting.has_online:
        return
    if OnlineRoom.objects.filter(meeting=meeting).exists():
        return
    OnlineRoom.objects.create(
        meeting=meeting,
        provider=OnlineRoom.Provider.ZOOM,
        passcode=zoom.new_passcode(),
        settings=dict(zoom.DEFAULT_SETTINGS),
        state=OnlineRoom.State.PENDING,
    )
    audit.record(meeting, "meeting.zoom_room_requested", actor)


@transaction.atomic
def use_zoom_room(
    meeting: Meeting,
    *,
    actor,
    settings: dict,
    passcode: str = "",
    open_to_public: bool = False,
) -> OnlineRoom:
    """Give the meeting a Zoom room with these settings (or change them); Zoom is called by a task.

    `settings`: waiting_room, join_before_host, mute_upon_entry (booleans), auto_recording
    ("none", "local", "cloud"), alternative_hosts (emails, comma-separated), registration
    (boolean: each online participant gets a personal link). A room entered by hand is replaced;
    its link stays until Zoom's is made, then the registrants get the new one.
    """
    meeting = Meeting.objects.lock(meeting.pk)
    if not zoom_api.configured():
        raise ValidationError(_("Zoom is not configured on this server: enter the room's link by hand."))
    if not meeting.has_online:
        raise ValidationError(_("This meeting is on-site only; it has no online room."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    unknown = set(settings) - set(zoom.DEFAULT_SETTINGS)
    if unknown:
        raise TypeError(f"Unknown Zoom settings: {sorted(unknown)}")
    if passcode and not zoom.valid_passcode(passcode):
        raise ValidationError(
            {"passcode": _("A Zoom passcode has at most 10 characters: letters, digits and @ - _ * only.")}
        )
    room, _created = OnlineRoom.objects.get_or_create(meeting=meeting)
    if room.provider != OnlineRoom.Provider.ZOOM or room.state == OnlineRoom.State.DELETED:
        room.provider_id, room.remote, room.attempt, room.host_url = "", {}, "", ""
        room.passcode = ""
    room.provider = OnlineRoom.Provider.ZOOM
    room.passcode = passcode or room.passcode or zoom.new_passcode()
    opened_changed = room.open_to_public != open_to_public
    room.open_to_public = open_to_public
    room.settings = {**zoom.DEFAULT_SETTINGS, **settings}
    room.state = OnlineRoom.State.PENDING
    room.last_error = ""
    room.full_clean()
    room.save()
    audit.record(meeting, "meeting.zoom_room_requested", actor, settings=room.settings)
    if opened_changed:
        action = "meeting.online_room_opened" if open_to_public else "meeting.online_room_made_private"
        audit.record(meeting, action, actor)
    sync.follow(meeting)
    return room


@transaction.atomic
def retry_online_room(meeting: Meeting, *, actor) -> bool:
    """Try the Zoom room's sync again (after a failure, or to bring Zoom back in step)."""
    meeting = Meeting.objects.lock(meeting.pk)
    enqueued = sync.follow(meeting)
    if enqueued:
        audit.record(meeting, "meeting.online_room_retried", actor)
    return enqueued


# Host agencies, speakers and moderators ------------------------------------------------------


@transaction.atomic
def add_host(meeting: Meeting, *, actor, organization: Organization, role: str) -> MeetingHost:
    if meeting.hosts.filter(organization=organization).exists():
        raise ValidationError({"organization": _("This organization already hosts the meeting.")})
    order = (meeting.hosts.aggregate(m=Max("order"))["m"] or 0) + 1
    host = MeetingHost.objects.create(meeting=meeting, organization=organization, role=role, order=order)
    audit.record(meeting, "meeting.host_added", actor, organization=str(organization), role=role)
    return host


@transaction.atomic
def remove_host(host: MeetingHost, *, actor) -> None:
    audit.record(host.meeting, "meeting.host_removed", actor, organization=str(host.organization))
    host.delete()


@transaction.atomic
def assign_agenda_role(item: AgendaItem, *, actor, person: Person, role: str) -> AgendaRole:
    _check_agenda_open(item.day.meeting)
    if item.roles.filter(person=person, role=role).exists():
        raise ValidationError({"person": _("This person already has that role on this item.")})
    order = (item.roles.filter(role=role).aggregate(m=Max("order"))["m"] or 0) + 1
    agenda_role = AgendaRole.objects.create(agenda_item=item, person=person, role=role, order=order)
    audit.record(
        item.day.meeting, "agenda.role_assigned", actor, item=item.title, person=str(person), role=role
    )
    return agenda_role


@transaction.atomic
def remove_agenda_role(agenda_role: AgendaRole, *, actor) -> None:
    item = agenda_role.agenda_item
    _check_agenda_open(item.day.meeting)
    audit.record(
        item.day.meeting,
        "agenda.role_removed",
        actor,
        item=item.title,
        person=str(agenda_role.person),
        role=agenda_role.role,
    )
    agenda_role.delete()
