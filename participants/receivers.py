"""Reactions of participants to meeting changes: update and cancellation emails, seat changes.

The meeting services send their signals inside their transaction; each receiver here enqueues
one fan-out task (participants.tasks) in that same transaction, so a schedule change never
commits without its emails, and the request that made it never waits for hundreds of them.
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


def connect() -> None:
    meeting_schedule_changed.connect(on_schedule_changed, dispatch_uid="participants.receivers.schedule")
    meeting_status_changed.connect(on_status_changed, dispatch_uid="participants.receivers.status")
    meeting_seats_changed.connect(on_seats_changed, dispatch_uid="participants.receivers.seats")
