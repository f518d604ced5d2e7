"""Background tasks of the meetings app."""

from django_tasks import task


@task()
def sync_online_room(meeting_id: int) -> str:
    """Bring the meeting's Zoom room in step (create, update or delete); safe to run twice."""
    from .conferencing.sync import sync

    return sync(meeting_id)


@task()
def delete_zoom_meeting(provider_id: str) -> str:
    """Delete a Zoom meeting a room no longer uses (replaced by a link entered by hand)."""
    from .conferencing.zoom import ZoomRoom

    return ZoomRoom().delete_meeting(provider_id)


@task()
def handle_zoom_webhook(event_id: int) -> str:
    """Handle a stored Zoom webhook event; an event handled already is left alone."""
    from .conferencing.webhooks import handle

    return handle(event_id)
