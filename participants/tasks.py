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
