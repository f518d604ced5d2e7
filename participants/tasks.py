"""Background tasks of the participants app."""

from django_tasks import task

# Schedule changes and cancellations (participants.receivers) -----------------------------------


@task()
def notify_schedule_changed(meeting_id: int, sequence: int, changes: list, removed_days: list) -> int:
    """Fan out one schedule change to every active registrant; safe to run twice."""
    from . import notifications

    return notifications.notify_schedule_changed(meeting_id, sequence, changes, removed_days)


@task()
def notify_meeting_cancelled(meeting_id: int, sequence: int, reason: str) -> int:
    """Fan out a meeting's cancellation to every active registrant; safe to run twice."""
    from . import notifications

    return notifications.notify_meeting_cancelled(meeting_id, sequence, reason)


# Reminders (participants.services.reminders) ---------------------------------------------------


@task()
def send_reminder(reminder_id: int) -> int:
    """Enqueued with run_after = the reminder's due time; safe to run twice."""
    from .services.reminders import send_reminder as send

    return send(reminder_id)


@task()
def send_due_reminders() -> int:
    """Send every reminder already due (a safety net for a lost task or a backend without run_after)."""
    from .services.reminders import send_due_reminders as send_due

    return send_due()


# Agency invitations (participants.services.invitations) ----------------------------------------


@task()
def send_deadline_reminder(invitation_id: int, deadline: str) -> bool:
    """Enqueued with run_after = some hours before the deadline; safe to run twice."""
    from .services.invitations import send_deadline_reminder as send

    return send(invitation_id, deadline)


# Zoom attendance (participants.services.zoom_attendance, participants.receivers) ---------------


@task()
def import_zoom_report(meeting_id: int, instance: str = "", attempt: int = 0) -> int:
    """Import a meeting's Zoom participants report (one occurrence's, with `instance`); safe to
    run twice; a Zoom failure enqueues it again later. Returns the number of rows imported."""
    from meetings.models import Meeting

    from .services.zoom_attendance import import_in_background

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    result = import_in_background(meeting, instance=instance, attempt=attempt)
    return result.rows if result else 0


@task()
def record_zoom_event(meeting_id: int, event: str, participant: dict, occurred_at: str) -> bool:
    """A participant joined or left the meeting's Zoom room (live attendance); safe to run twice."""
    from meetings.models import Meeting

    from .services.zoom_attendance import record_live_event

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return False
    return record_live_event(meeting, event, participant, occurred_at) is not None


# Zoom registrants (participants.services.zoom_registrants) ------------------------------------


@task()
def sync_zoom_registrants(meeting_id: int, tries: int = 0) -> dict:
    """Bring the meeting's Zoom registrants in step, then queue the held emails; safe to run twice."""
    from .services.zoom_registrants import sync_registrants

    return sync_registrants(meeting_id, tries=tries)
