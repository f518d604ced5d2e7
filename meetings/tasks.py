"""Background tasks of the meetings app."""

from django_tasks import task


@task()
def sync_online_room(meeting_id: int) -> str:
    """Bring the meeting's Zoom room in step (create, update or delete); safe to run twice."""
    from .conferencing.sync import sync

    return sync(meeting_id)
