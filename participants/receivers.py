"""Every reaction of the participants app to signals: meeting changes reach registrants and reminders.

The meeting services send their signals inside their transaction. A schedule change or a
cancellation enqueues one fan-out task (participants.tasks) in that same transaction, so it never
commits without its emails and the request that made it never waits for hundreds of them; it also
plans, supersedes or skips the meeting's reminders. More seats promote people from the waiting list.
"""

from __future__ import annotations

from meetings.models import Meeting
from meetings.signals import meeting_schedule_changed, meeting_seats_changed, meeting_status_changed


def on_schedule_changed(
    sender, meeting: Meeting, sequence: int, changes: list[dict], removed_days: list[dict] = (), **kwargs
) -> None:
    from .tasks import notify_schedule_changed

    notify_schedule_changed.enqueue(meeting.pk, sequence, list(changes), list(removed_days))


def on_status_changed(
    sender, meeting: Meeting, old_status: str, new_status: str, sequence: int, reason: str = "", **kwargs
) -> None:
    if new_status != Meeting.Status.CANCELLED:
        return
    from .tasks import notify_meeting_cancelled

    notify_meeting_cancelled.enqueue(meeting.pk, sequence, reason or "")


def on_seats_changed(sender, meeting: Meeting, actor=None, **kwargs) -> None:
    from .services.registration import promote_all_waiting

    promote_all_waiting(meeting, actor=actor)


def plan_or_skip_reminders(sender, meeting: Meeting, new_status: str, actor=None, **kwargs) -> None:
    """Published: plan the reminders; cancelled, back to draft, held or closed: skip those left."""
    from .services import reminders

    if new_status == Meeting.Status.PUBLISHED:
        reminders.plan_reminders(meeting, actor=actor)
    elif new_status in reminders.STATUS_NOTES:
        reminders.skip_reminders(meeting, reminders.STATUS_NOTES[new_status], actor=actor)


def reschedule_reminders(sender, meeting: Meeting, actor=None, **kwargs) -> None:
    from .services import reminders

    reminders.reschedule_reminders(meeting, actor=actor)


def connect() -> None:
    """Called once from ParticipantsConfig.ready; the order is the order receivers run in."""
    meeting_schedule_changed.connect(on_schedule_changed, dispatch_uid="participants.receivers.schedule")
    meeting_status_changed.connect(on_status_changed, dispatch_uid="participants.receivers.status")
    meeting_seats_changed.connect(on_seats_changed, dispatch_uid="participants.receivers.seats")
    meeting_status_changed.connect(plan_or_skip_reminders, dispatch_uid="participants.reminders.status")
    meeting_schedule_changed.connect(reschedule_reminders, dispatch_uid="participants.reminders.schedule")
