"""Background tasks of the email outbox: sending queued emails, and sweeping for stuck ones."""

from django_tasks import task


@task()
def send_outgoing_email(email_id: int) -> bool:
    from .mail import send_now

    return send_now(email_id)


@task()
def sweep_outgoing_emails() -> int:
    """Queue again the emails whose worker died; plans its own next run while emails are on their way."""
    from .mail import sweep

    return sweep()
