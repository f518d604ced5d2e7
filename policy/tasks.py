"""Background tasks of the policy app."""

from django_tasks import task


@task()
def send_follow_up_digest() -> int:
    """This week's digests (once per person and week, so a second run sends nothing), then the
    next run planned for next Monday morning."""
    from .services.digest import schedule_digest, send_digest

    count = send_digest()
    schedule_digest(after_this_week=True)
    return count
