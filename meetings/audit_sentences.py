"""What the meetings' actions in the audit log mean, in sentences (see core.audit)."""

from django.utils import formats
from django.utils.dateparse import parse_date, parse_time
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import changes_text, say, sentence, sentences

from .models import AgendaItem, AgendaRole, Meeting, MeetingHost


def day_text(date: str, start: str | None = None, end: str | None = None) -> str:
    """“Monday, 22 September 2031” or “Monday, 22 September 2031, 09:00–15:00”."""
    text = formats.date_format(parse_date(date), "DATE_FORMAT")
    if start and end:
        hours = "–".join(formats.time_format(parse_time(t), "TIME_FORMAT") for t in (start, end))
        text = f"{text}, {hours}"
    return text


def people_text(emails: list[str]) -> str:
    return ", ".join(emails) if emails else _("nobody")


def hours_text(day: list[str]) -> str:
    return day_text(*day)


sentences(
    {
        "meeting.created": lambda: _("%(actor)s created the meeting “%(title)s”"),
        "meeting.copied": lambda: _("%(actor)s created the meeting as a copy of “%(title)s” (%(source)s)"),
        "meeting.publish": lambda: _("%(actor)s published the meeting"),
        "meeting.unpublish": lambda: _("%(actor)s withdrew the meeting from publication"),
        "meeting.mark_held": lambda: _("%(actor)s marked the meeting as held"),
        "meeting.reopen": lambda: _("%(actor)s reopened the meeting (published again, no longer held)"),
        "meeting.close": lambda: _("%(actor)s closed the meeting"),
        "meeting.staff_changed": lambda: _(
            "%(actor)s set the organizers to %(organizers)s and the secretaries to %(secretaries)s"
        ),
        "meeting.day_added": lambda: _("%(actor)s added the day %(date)s"),
        "meeting.day_changed": lambda: _("%(actor)s changed the day %(old)s to %(new)s"),
        "meeting.day_removed": lambda: _("%(actor)s removed the day %(date)s"),
        "agenda.item_added": lambda: _("%(actor)s added the agenda item “%(title)s” on %(day)s"),
        "agenda.item_deleted": lambda: _("%(actor)s deleted the agenda item “%(title)s”"),
        # The join link itself may carry a passcode: the log says only that it changed.
        "meeting.online_room_set": lambda: _("%(actor)s set the online room’s join link"),
        "meeting.online_room_opened": lambda: _("%(actor)s opened the online room to the public"),
        "meeting.online_room_made_private": lambda: _(
            "%(actor)s made the online room private (confirmed online participants only)"
        ),
        "meeting.zoom_room_requested": lambda: _("%(actor)s asked for a Zoom room for the meeting"),
        "meeting.online_room_created": lambda: _("%(actor)s created the Zoom meeting %(provider_id)s"),
        "meeting.online_room_deleted": lambda: _("%(actor)s deleted the Zoom meeting %(provider_id)s"),
        "meeting.online_room_failed": lambda: _("Zoom could not be brought in step: %(error)s"),
        "meeting.online_room_retried": lambda: _("%(actor)s asked to try the Zoom room again"),
        "meeting.host_link_fetched": lambda: _("%(actor)s opened the Zoom meeting as host"),
        "meeting.zoom_registrants_synced": lambda: _(
            "Zoom registrants brought in step: %(added)s added, %(cancelled)s cancelled"
        ),
    },
    formatters={
        "date": day_text,
        "day": day_text,
        "old": hours_text,
        "new": hours_text,
        "organizers": people_text,
        "secretaries": people_text,
    },
)


@sentence("meeting.updated")
def updated(entry, who):
    return say(
        _("%(actor)s changed %(changes)s"), actor=who, changes=changes_text(Meeting, entry.data["changes"])
    )


@sentence("meeting.series_created")
def series_created(entry, who):
    units = entry.data.get("units", 0)
    text = ngettext(
        "%(actor)s made the series “%(title)s” from this meeting: %(units)d regional unit",
        "%(actor)s made the series “%(title)s” from this meeting: %(units)d regional units",
        units,
    )
    return say(text, actor=who, title=entry.data.get("title", ""), units=units)


@sentence("meeting.cancel")
def cancelled(entry, who):
    reason = entry.data.get("reason")
    if reason:
        return say(_("%(actor)s cancelled the meeting: “%(reason)s”"), actor=who, reason=reason)
    return say(_("%(actor)s cancelled the meeting"), actor=who)


ITEM_LABELS = {"start_time": lambda: _("start time"), "end_time": lambda: _("end time")}


@sentence("agenda.item_changed")
def item_changed(entry, who):
    title, changes = entry.data["title"], entry.data.get("changes")
    if not changes:
        # Entries written before the log kept what changed.
        return say(_("%(actor)s changed the agenda item “%(title)s”"), actor=who, title=title)
    labels = {name: label() for name, label in ITEM_LABELS.items()}
    return say(
        _("%(actor)s changed the agenda item “%(title)s”: %(changes)s"),
        actor=who,
        title=title,
        changes=changes_text(AgendaItem, changes, labels),
    )


@sentence("agenda.item_moved")
def item_moved(entry, who):
    if entry.data["direction"] < 0:
        text = _("%(actor)s moved the agenda item “%(title)s” up")
    else:
        text = _("%(actor)s moved the agenda item “%(title)s” down")
    return say(text, actor=who, title=entry.data["title"])


def role_text(role: str) -> str:
    """A host's role (organizer, co-host) or an agenda role (speaker, moderator), in a sentence."""
    labels = dict(MeetingHost.Role.choices) | dict(AgendaRole.Role.choices)
    return str(labels[role]).lower()


sentences(
    {
        "meeting.host_added": lambda: _("%(actor)s added %(organization)s as %(role)s"),
        "meeting.host_removed": lambda: _("%(actor)s removed the host %(organization)s"),
        "agenda.role_assigned": lambda: _("%(actor)s assigned %(person)s as %(role)s of “%(item)s”"),
        "agenda.role_removed": lambda: _("%(actor)s removed %(person)s as %(role)s of “%(item)s”"),
    },
    formatters={"role": role_text},
)


ZOOM_FIELDS = {
    "topic": lambda: _("the title"),
    "start_time": lambda: _("the start time"),
    "duration": lambda: _("the duration"),
    "occurrences": lambda: _("the days"),
}


def zoom_fields_text(fields: list[str]) -> str:
    """“the title, the start time” for the Zoom fields a change in Zoom touched."""
    return ", ".join(str(ZOOM_FIELDS[f]()) if f in ZOOM_FIELDS else f for f in fields)


@sentence("meeting.online_room_changed_in_zoom")
def online_room_changed_in_zoom(entry, who):
    fields = zoom_fields_text(entry.data["fields"])
    if entry.data.get("operator"):
        return say(
            _(
                "%(actor)s found the Zoom meeting changed in Zoom by %(operator)s (%(fields)s) "
                "and marked the online room as failed"
            ),
            actor=who,
            operator=entry.data["operator"],
            fields=fields,
        )
    return say(
        _(
            "%(actor)s found the Zoom meeting changed in Zoom (%(fields)s) "
            "and marked the online room as failed"
        ),
        actor=who,
        fields=fields,
    )


@sentence("meeting.online_room_deleted_in_zoom")
def online_room_deleted_in_zoom(entry, who):
    if entry.data.get("operator"):
        return say(
            _(
                "%(actor)s found the Zoom meeting deleted in Zoom by %(operator)s "
                "and marked the online room as failed"
            ),
            actor=who,
            operator=entry.data["operator"],
        )
    return say(
        _("%(actor)s found the Zoom meeting deleted in Zoom and marked the online room as failed"), actor=who
    )
