"""Background tasks of the accounts app: sending queued emails."""

from django_tasks import task


@task()
def send_outgoing_email(email_id: int) -> bool:
    from .mail import send_now

    return send_now(email_id)
