"""Reminder emails before a meeting: planned per schedule version, sent once by a deferred task.

`plan_reminders` creates one Reminder row per configured offset (settings.SINERGI_REMINDER_OFFSETS)
for the meeting's current schedule version (its calendar sequence) and enqueues `send_reminder`
with run_after set to the due time, in the same transaction. A reschedule supersedes the rows of
the old version and plans new ones; cancelling skips them. The task sends only a reminder that is
still scheduled, of the current version, of a published meeting and due; it queues one email per
recipient under a key made of the reminder and the address, so a retried task (a worker that died
half way) queues only the emails still missing, and never one twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit
from core.offsets import Offset, parse_offset
from directory.models import Person
from meetings.models import Meeting, MeetingDay

from .. import notifications
from ..models import Registration, Reminder

# Reminder emails already in the outbox name their builder by this path (it moved to notifications).
reminder_message = notifications.reminder_message

logger = logging.getLogger(__name__)

State = Reminder.State
# A task may start a little before its run_after by the worker's clock (clocks of several
# machines); it still sends within this margin.
DUE_TOLERANCE = timedelta(minutes=2)

NOTES = {
    "cancelled": _("Meeting cancelled"),
    "unpublished": _("Meeting no longer published"),
    "held": _("Meeting held"),
    "closed": _("Meeting closed"),
    "rescheduled": _("Schedule changed"),
    "late": _("Too late: the meeting had begun"),
}
STATUS_NOTES = {
    Meeting.Status.CANCELLED: "cancelled",
    Meeting.Status.DRAFT: "unpublished",
    Meeting.Status.HELD: "held",
    Meeting.Status.CLOSED: "closed",
}


# Offsets --------------------------------------------------------------------------------------


def configured_offsets() -> list[Offset]:
    return [parse_offset(text) for text in settings.SINERGI_REMINDER_OFFSETS]


def note_label(note: str) -> str:
    """A reminder's note is a reason key (NOTES); older or hand-written notes show as they are."""
    return str(NOTES.get(note, note))


def offset_label(text: str) -> str:
    try:
        return parse_offset(text).label
    except ValueError:
        return text


# Planning ---------------------------------------------------------------------------------------


def _first_day(meeting: Meeting) -> MeetingDay | None:
    return MeetingDay.objects.filter(meeting=meeting).order_by("date").first()


def _enqueue(reminder: Reminder) -> None:
    from ..tasks import send_reminder

    if send_reminder.get_backend().supports_defer:
        send_reminder.using(run_after=reminder.due_at).enqueue(reminder.pk)
    else:
        # A backend that cannot defer (immediate, dummy): `send_due_reminders` sends it when due.
        logger.warning("Task backend cannot defer; reminder %s waits for send_due_reminders", reminder.pk)


@transaction.atomic
def plan_reminders(meeting: Meeting, *, actor=None, now: datetime | None = None) -> list[Reminder]:
    """Plan the reminders of the meeting's current schedule version; returns those newly planned.

    Offsets already past (or not before the first start) are left out. Planning twice plans
    nothing more; a reminder of this version skipped earlier (the meeting was unpublished, then
    published again) is scheduled again when still ahead.
    """
    now = now or timezone.now()
    meeting = Meeting.objects.lock(meeting.pk)
    if meeting.status != Meeting.Status.PUBLISHED:
        return []
    first = _first_day(meeting)
    if first is None:
        return []
    first.meeting = meeting
    start = first.starts_at()
    existing = {
        r.offset: r
        for r in Reminder.objects.filter(meeting=meeting, schedule_version=meeting.calendar_sequence)
    }
    planned = []
    for offset in configured_offsets():
        due_at = offset.due_before(start)
        if due_at <= now or due_at >= start:
            continue
        reminder = existing.get(offset.text)
        if reminder is None:
            reminder = Reminder.objects.create(
                meeting=meeting, offset=offset.text, due_at=due_at, schedule_version=meeting.calendar_sequence
            )
        elif reminder.state == State.SKIPPED:
            reminder.state, reminder.due_at, reminder.note = State.SCHEDULED, due_at, ""
            reminder.save(update_fields=["state", "due_at", "note"])
        else:
            continue
        _enqueue(reminder)
        planned.append(reminder)
    if planned:
        audit.record(
            meeting,
            "meeting.reminders_planned",
            actor,
            schedule_version=meeting.calendar_sequence,
            due=[r.due_at.isoformat() for r in planned],
        )
    return planned


def _close_scheduled(meeting: Meeting, state: str, reason: str, *, older_than: int | None = None) -> int:
    rows = Reminder.objects.filter(meeting=meeting, state=State.SCHEDULED)
    if older_than is not None:
        rows = rows.filter(schedule_version__lt=older_than)
    return rows.update(state=state, note=reason)


@transaction.atomic
def reschedule_reminders(meeting: Meeting, *, actor=None, now: datetime | None = None) -> list[Reminder]:
    """The schedule changed: the old version's reminders are superseded, new ones planned."""
    meeting = Meeting.objects.lock(meeting.pk)
    superseded = _close_scheduled(
        meeting, State.SUPERSEDED, "rescheduled", older_than=meeting.calendar_sequence
    )
    planned = plan_reminders(meeting, actor=actor, now=now)
    if superseded:
        audit.record(meeting, "meeting.reminders_superseded", actor, count=superseded)
    return planned


@transaction.atomic
def skip_reminders(meeting: Meeting, reason: str, *, actor=None) -> int:
    """The meeting left the published state (cancelled, unpublished, held): nothing more goes out."""
    meeting = Meeting.objects.lock(meeting.pk)
    skipped = _close_scheduled(meeting, State.SKIPPED, reason)
    if skipped:
        audit.record(meeting, "meeting.reminders_skipped", actor, count=skipped, reason=reason)
    return skipped


# Sending ----------------------------------------------------------------------------------------


@dataclass
class Recipient:
    email: str
    language: str
    registration_id: int | None = None
    person_id: int | None = None


def recipients(meeting: Meeting) -> list[Recipient]:
    """Confirmed registrants, then speakers and moderators with an email, once per address.

    A speaker who also registered gets the registrant's email (with their private link).
    """
    found: dict[str, Recipient] = {}
    registrations = Registration.objects.filter(meeting=meeting, state=Registration.State.CONFIRMED)
    for pk, email, language in registrations.order_by("pk").values_list("pk", "email", "language"):
        email = email.strip().lower()
        if email and email not in found:
            found[email] = Recipient(email, language or settings.LANGUAGE_CODE, registration_id=pk)
    people = (
        Person.objects.filter(agenda_roles__agenda_item__day__meeting=meeting)
        .exclude(email="")
        .distinct()
        .order_by("pk")
        .values_list("pk", "email")
    )
    for pk, email in people:
        email = email.strip().lower()
        if email not in found:
            found[email] = Recipient(email, settings.LANGUAGE_CODE, person_id=pk)
    return list(found.values())


@transaction.atomic
def send_reminder(reminder_id: int, *, now: datetime | None = None) -> int:
    """Queue a due reminder's emails and mark it sent; returns the emails queued by this call.

    Does nothing for a reminder that is gone, no longer scheduled or not yet due. A reminder of an
    old schedule version is marked superseded; one of a meeting no longer published, or whose
    meeting has begun, is marked skipped.
    """
    now = now or timezone.now()
    reminder = Reminder.objects.select_for_update().filter(pk=reminder_id).first()
    if reminder is None or reminder.state != State.SCHEDULED:
        return 0
    if reminder.due_at > now + DUE_TOLERANCE:
        logger.info("Reminder %s ran before it was due (%s); left scheduled", reminder.pk, reminder.due_at)
        return 0
    meeting = Meeting.objects.get(pk=reminder.meeting_id)
    first = _first_day(meeting)
    problem = None
    if meeting.status != Meeting.Status.PUBLISHED:
        problem = (State.SKIPPED, STATUS_NOTES.get(meeting.status, "unpublished"))
    elif reminder.schedule_version != meeting.calendar_sequence:
        problem = (State.SUPERSEDED, "rescheduled")
    elif first is None or now >= datetime.combine(first.date, first.start_time, tzinfo=meeting.tz):
        problem = (State.SKIPPED, "late")
    if problem:
        reminder.state, reminder.note = problem
        reminder.save(update_fields=["state", "note"])
        return 0
    queued = 0
    people = recipients(meeting)
    for recipient in people:
        queued += notifications.notify_reminder(
            reminder,
            recipient.email,
            recipient.language,
            registration_id=recipient.registration_id,
            person_id=recipient.person_id,
        )
    reminder.state, reminder.sent_at, reminder.recipient_count = State.SENT, now, len(people)
    reminder.save(update_fields=["state", "sent_at", "recipient_count"])
    audit.record(
        meeting,
        "meeting.reminder_sent",
        None,
        reminder=reminder.pk,
        offset=reminder.offset,
        recipients=len(people),
    )
    return queued


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Send every scheduled reminder that is due: a safety net for lost tasks or a backend
    that cannot defer. Returns the reminders looked at."""
    now = now or timezone.now()
    due = list(
        Reminder.objects.filter(state=State.SCHEDULED, due_at__lte=now + DUE_TOLERANCE).values_list(
            "pk", flat=True
        )
    )
    for pk in due:
        send_reminder(pk, now=now)
    return len(due)
