"""Keeping a meeting's Zoom room in step: requested inside a service's transaction, done by a task.

`follow(meeting)` marks the room pending and enqueues `meetings.tasks.sync_online_room` in the
caller's transaction (the database task backend commits both together), so a change never lands
without its sync. The task calls Zoom with no transaction open, then records the outcome: in sync
(since when), or failed with Zoom's message, shown on the meeting page with a retry button. A
changed join link goes to the registrants through the schedule-change emails (calendar SEQUENCE).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from core import audit

from ..models import Meeting, OnlineRoom
from . import zoom, zoom_api

logger = logging.getLogger(__name__)


def follow(meeting: Meeting) -> bool:
    """Enqueue a sync of the meeting's Zoom room, if it has one; True when enqueued."""
    from .. import tasks

    updated = OnlineRoom.objects.filter(meeting_id=meeting.pk, provider=OnlineRoom.Provider.ZOOM).exclude(
        state=OnlineRoom.State.DELETED
    )
    if not updated.update(state=OnlineRoom.State.PENDING):
        return False
    tasks.sync_online_room.enqueue(meeting.pk)
    return True


def _save(room: OnlineRoom, **fields) -> None:
    for name, value in fields.items():
        setattr(room, name, value)
    room.save()


def sync(meeting_id: int, api: zoom_api.ZoomApi | None = None) -> str:
    """Create, update or delete the Zoom meeting as the Sinergi meeting now is; the room's state."""
    from ..services import _schedule_changed

    room = OnlineRoom.objects.select_related("meeting").filter(meeting_id=meeting_id).first()
    if room is None or room.provider != OnlineRoom.Provider.ZOOM or room.state == OnlineRoom.State.DELETED:
        return "nothing"
    meeting = room.meeting
    old_url = room.join_url
    try:
        if not zoom_api.configured():
            raise zoom_api.ZoomError(
                "Zoom is not configured on this server (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET)"
            )
        provider = zoom.ZoomRoom(api)
        if meeting.status == Meeting.Status.CANCELLED:
            if room.provider_id:
                provider.delete(room)
            _save(room, state=OnlineRoom.State.DELETED, last_synced_at=timezone.now(), last_error="")
            audit.record(meeting, "meeting.online_room_deleted", None, provider_id=room.provider_id)
            return room.state
        if not room.provider_id:
            if not room.attempt:
                _save(room, attempt=zoom.new_attempt())  # committed before the call (no transaction)
            provider.create(meeting, room)
            audit.record(meeting, "meeting.online_room_created", None, provider_id=room.provider_id)
        else:
            provider.update(meeting, room)
    except zoom_api.ZoomError as error:
        logger.warning("zoom sync of meeting %s failed: %s", meeting_id, error)
        _save(room, state=OnlineRoom.State.FAILED, last_error=str(error)[:2000])
        return room.state
    with transaction.atomic():
        locked = Meeting.objects.lock(meeting_id)
        _save(room, state=OnlineRoom.State.READY, last_synced_at=timezone.now(), last_error="", attempt="")
        if room.join_url != old_url and old_url:
            _schedule_changed(locked, None, [{"field": "join_url", "old": old_url, "new": room.join_url}])
    return room.state
