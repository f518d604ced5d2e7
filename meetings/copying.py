"""Copying a meeting as a template to new dates, and a series of copies for regional units.

A copy is a new draft: the same days (the gaps between them kept, each day's hours kept in local
time), agenda items with their speakers and moderators, host agencies, capacities, moderation,
texts and the online room's settings. The registration window moves with the first day, in local
wall-clock time, so a copy for a unit in WITA still opens registration at 08:00 local a week
before its 09:00 local start. Not copied: registrations, attendance, minutes, the public code,
the online room's provider id, links and passcode (the copy gets its own room when it is
published), the calendar sequence. Apps above copy their part on `meeting_copied`
(participants: the agency invitations, unsent, each with a new link).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core import audit
from core.timezones import TIMEZONE_CHOICES
from directory.models import Organization

from .conferencing import zoom
from .models import AgendaItem, AgendaRole, Meeting, MeetingDay, MeetingHost, MeetingSeries, OnlineRoom
from .services import _check_window, _refresh_dates
from .signals import meeting_copied

# The meeting's own fields a copy takes as they are (the time zone and the window are worked out).
COPIED_FIELDS = (
    *("title", "theme", "kind", "mode", "description", "background"),
    *("venue_name", "venue_address", "venue_room", "capacity_onsite", "capacity_online", "moderation"),
)
# The venue is the template's hall in the capital: a unit's copy finds its own.
VENUE_FIELDS = ("venue_name", "venue_address", "venue_room")


def _first_day(meeting: Meeting) -> MeetingDay | None:
    return min(meeting.days.all(), key=lambda day: day.date, default=None)


def shift(value: datetime | None, source: Meeting, copy: Meeting) -> datetime | None:
    """A moment of the template (a registration or nomination deadline) at the same place
    relative to the copy's first day, in local wall-clock time of each meeting's zone."""
    if value is None:
        return None
    source_first, copy_first = _first_day(source), _first_day(copy)
    if source_first is None or copy_first is None:
        return value
    source_start = datetime.combine(source_first.date, source_first.start_time)
    local = value.astimezone(source.tz).replace(tzinfo=None)
    moved = datetime.combine(copy_first.date, source_first.start_time) + (local - source_start)
    return moved.replace(tzinfo=ZoneInfo(copy.timezone))


def _template(meeting: Meeting) -> Meeting:
    """The template with everything the copy needs, read in a fixed number of queries."""
    return (
        Meeting.objects.select_related("online_room")
        .prefetch_related(
            "organizers",
            "secretaries",
            Prefetch("hosts", queryset=MeetingHost.objects.order_by("order", "id")),
            Prefetch(
                "days",
                queryset=MeetingDay.objects.order_by("date").prefetch_related(
                    Prefetch(
                        "items",
                        queryset=AgendaItem.objects.order_by("start_time", "order", "id").prefetch_related(
                            Prefetch("roles", queryset=AgendaRole.objects.order_by("role", "order", "id"))
                        ),
                    )
                ),
            ),
        )
        .get(pk=meeting.pk)
    )


def _check_zone(timezone: str) -> None:
    if timezone not in dict(TIMEZONE_CHOICES):
        raise ValidationError({"timezone": _("Choose a time zone from the list.")})


def _copy(
    source: Meeting,
    *,
    actor,
    first_date: date,
    timezone: str,
    title: str,
    series: MeetingSeries | None = None,
    regional_unit: Organization | None = None,
) -> Meeting:
    _check_zone(timezone)
    first = _first_day(source)
    if first is None:
        raise ValidationError(_("This meeting has no days yet: add its days before copying it."))
    fields = {name: getattr(source, name) for name in COPIED_FIELDS if name != "title"}
    if series is not None:
        fields.update(dict.fromkeys(VENUE_FIELDS, ""))
    copy = Meeting(
        **fields,
        title=Truncator(title).chars(300),
        timezone=timezone,
        copied_from=source,
        series=series,
        regional_unit=regional_unit,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    copy.full_clean()
    copy.save()
    offset = first_date - first.date
    days = MeetingDay.objects.bulk_create(
        [
            MeetingDay(meeting=copy, date=day.date + offset, start_time=day.start_time, end_time=day.end_time)
            for day in source.days.all()
        ]
    )
    items, roles = [], []
    for old_day, new_day in zip(source.days.all(), days, strict=True):
        for item in old_day.items.all():
            new_item = AgendaItem(
                day=new_day,
                start_time=item.start_time,
                end_time=item.end_time,
                title=item.title,
                description=item.description,
                order=item.order,
            )
            items.append(new_item)
            roles += [(new_item, role) for role in item.roles.all()]
    AgendaItem.objects.bulk_create(items)
    AgendaRole.objects.bulk_create(
        [AgendaRole(agenda_item=item, person_id=r.person_id, role=r.role, order=r.order) for item, r in roles]
    )
    MeetingHost.objects.bulk_create(
        [
            MeetingHost(meeting=copy, organization_id=h.organization_id, role=h.role, order=h.order)
            for h in source.hosts.all()
        ]
    )
    copy.registration_opens_at = shift(source.registration_opens_at, source, copy)
    copy.registration_closes_at = shift(source.registration_closes_at, source, copy)
    copy.save(update_fields=["registration_opens_at", "registration_closes_at"])
    _check_window(copy)
    _refresh_dates(copy)
    organizers = {user.pk: user for user in source.organizers.all()}
    if getattr(actor, "is_authenticated", False):
        organizers.setdefault(actor.pk, actor)
    copy.organizers.set(list(organizers.values()))
    copy.secretaries.set(list(source.secretaries.all()))
    _copy_room(source, copy)
    audit.record(copy, "meeting.copied", actor, source=source.code, title=source.title)
    meeting_copied.send(sender=Meeting, source=source, copy=copy, actor=actor)
    return copy


def _copy_room(source: Meeting, copy: Meeting) -> None:
    """A Zoom room's settings, for a room of the copy's own (made by Zoom at publishing); a
    link entered by hand belongs to the template's occasion and is not copied."""
    room = getattr(source, "online_room", None)
    if room is None or room.provider != OnlineRoom.Provider.ZOOM or not copy.has_online:
        return
    OnlineRoom.objects.create(
        meeting=copy,
        provider=OnlineRoom.Provider.ZOOM,
        passcode=zoom.new_passcode(),
        settings={
            **zoom.DEFAULT_SETTINGS,
            **{k: v for k, v in (room.settings or {}).items() if k in zoom.DEFAULT_SETTINGS},
        },
        open_to_public=room.open_to_public,
        state=OnlineRoom.State.PENDING,
    )


@transaction.atomic
def copy_meeting(
    source: Meeting, *, actor, first_date: date, timezone: str | None = None, title: str | None = None
) -> Meeting:
    """A new draft meeting from `source`, its first day on `first_date` (see the module)."""
    source = _template(source)
    return _copy(
        source,
        actor=actor,
        first_date=first_date,
        timezone=timezone or source.timezone,
        title=title or source.title,
    )


def unit_title(source: Meeting, unit: Organization) -> str:
    return f"{source.title} — {unit.name}"


@transaction.atomic
def create_series(
    source: Meeting, *, actor, title: str, first_date: date, units: Iterable[Organization]
) -> MeetingSeries:
    """One copy of `source` per regional unit, each in the unit's time zone, in one transaction:
    every copy is made, or none."""
    units = list(units)
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the series a title.")
    if not units:
        errors["units"] = _("Choose at least one regional unit.")
    elif any(unit.kind != Organization.Kind.REGIONAL_UNIT for unit in units):
        errors["units"] = _("Only regional units can have a meeting of the series.")
    elif len({unit.pk for unit in units}) != len(units):
        errors["units"] = _("Each regional unit can be chosen once.")
    if errors:
        raise ValidationError(errors)
    source = _template(source)
    series = MeetingSeries.objects.create(
        title=Truncator(title.strip()).chars(300),
        source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    organizers = {user.pk: user for user in source.organizers.all()}
    if getattr(actor, "is_authenticated", False):
        organizers.setdefault(actor.pk, actor)
    series.organizers.set(list(organizers.values()))
    for unit in sorted(units, key=lambda u: u.name.lower()):
        _copy(
            source,
            actor=actor,
            first_date=first_date,
            timezone=unit.timezone,
            title=unit_title(source, unit),
            series=series,
            regional_unit=unit,
        )
    audit.record(source, "meeting.series_created", actor, title=series.title, units=len(units))
    return series
