"""Keeping a meeting's Zoom room in step: requested inside a service's transaction, done by a task.

`follow(meeting)` marks the room pending and enqueues `meetings.tasks.sync_online_room` in the
caller's transaction (the database task backend commits both together), so a change never lands
without its sync. The task brings Zoom in step with the meeting as it is then (several changes in
a row make one sync do the work; the others find nothing to change), and records the outcome: in
sync (since when), or failed with Zoom's message, shown on the meeting page with a retry button
and emailed to the organizers. A changed join link goes to the registrants through the
schedule-change emails (calendar SEQUENCE).

Never two Zoom meetings for one room: the create's marker is committed before the create is sent
(a create that timed out is found again by it), and a worker holds the room's lease while Zoom is called, so
two workers never sync one room at once (no database lock is held while Zoom answers: registrations
and edits go on).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import audit

from ..models import Meeting, OnlineRoom
from ..signals import online_room_ready
from . import zoom, zoom_api

logger = logging.getLogger(__name__)


def follow(meeting: Meeting) -> bool:
    """Enqueue a sync of the meeting's Zoom room, if it has one; True when enqueued."""
    from .. import tasks

    rooms = OnlineRoom.objects.filter(meeting_id=meeting.pk, provider=OnlineRoom.Provider.ZOOM).exclude(
        state=OnlineRoom.State.DELETED
    )
    if not rooms.update(state=OnlineRoom.State.PENDING):
        return False
    tasks.sync_online_room.enqueue(meeting.pk)
    return True


LEASE_SECONDS = 300  # longer than any sync can take (timeouts × retries + waits)
SYNC_FIELDS = (
    "provider_id",
    "join_url",
    "passcode",
    "remote",
    "state",
    "last_synced_at",
    "last_error",
    "attempt",
)


def _save(room: OnlineRoom, **fields) -> None:
    for name, value in fields.items():
        setattr(room, name, value)
    room.save(update_fields=sorted(set(SYNC_FIELDS) | set(fields)))


def claim(room_id: int) -> bool:
    """Take the room's lease (one worker at a time, for the room or its registrants), committed at
    once; give it back with `release`."""
    now = timezone.now()
    free = Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    taken = OnlineRoom.objects.filter(free, pk=room_id).update(
        leased_until=now + timedelta(seconds=LEASE_SECONDS)
    )
    return bool(taken)


def _zoom_room(meeting_id: int) -> OnlineRoom | None:
    room = OnlineRoom.objects.select_related("meeting").filter(meeting_id=meeting_id).first()
    if room is None or room.provider != OnlineRoom.Provider.ZOOM or room.state == OnlineRoom.State.DELETED:
        return None
    return room


def sync(meeting_id: int, api: zoom_api.ZoomApi | None = None) -> str:
    """Create, update or delete the Zoom meeting as the Sinergi meeting now is; the room's state.

    Runs with no transaction open: every write commits at once, so the create's marker is stored
    before the create is sent. A room another worker is syncing is tried again after its lease.
    """
    from .. import tasks

    room = _zoom_room(meeting_id)
    if room is None:
        return "nothing"
    if not claim(room.pk):
        tasks.sync_online_room.using(run_after=timezone.now() + timedelta(seconds=LEASE_SECONDS)).enqueue(
            meeting_id
        )
        return "busy"
    try:
        room = _zoom_room(meeting_id)  # as it is now that it is ours
        if room is None:
            return "nothing"
        if not room.provider_id and not room.attempt:
            _save(room, attempt=zoom.new_attempt())
        return _sync(room, api)
    finally:
        release(room.pk)


def release(room_id: int) -> None:
    OnlineRoom.objects.filter(pk=room_id).update(leased_until=None)


def _sync(room: OnlineRoom, api) -> str:
    from ..services import _schedule_changed

    meeting = room.meeting
    old_url, old_state = room.join_url, room.state
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
        created = not room.provider_id
        if created:
            try:
                provider.create(meeting, room)
            finally:
                if room.provider_id:  # made, even if a later step failed: never made twice
                    _save(room)
            audit.record(meeting, "meeting.online_room_created", None, provider_id=room.provider_id)
        else:
            # After a failure (ours, or a change made in Zoom) everything is sent again.
            provider.update(meeting, room, force=bool(room.last_error))
    except zoom_api.ZoomError as error:
        logger.warning("zoom sync of meeting %s failed: %s", meeting.pk, error)
        message = str(error)
        if error.daily_cap:
            message = (
                "Zoom's daily limit of meeting creations and updates for this account was reached; "
                f"try again tomorrow (Zoom asked to wait {int(error.retry_after or 0)} s). {message}"
            )
        with transaction.atomic():
            _save(room, state=OnlineRoom.State.FAILED, last_error=message[:2000])
            audit.record(meeting, "meeting.online_room_failed", None, error=message[:500])
            if old_state != OnlineRoom.State.FAILED:
                from ..notifications import notify_online_room_failed

                notify_online_room_failed(room)
        return room.state
    with transaction.atomic():
        _save(room, state=OnlineRoom.State.READY, last_synced_at=timezone.now(), last_error="", attempt="")
        if old_url and room.join_url != old_url:
            locked = Meeting.objects.lock(meeting.pk)
            _schedule_changed(locked, None, [{"field": "join_url", "old": old_url, "new": room.join_url}])
        online_room_ready.send(sender=OnlineRoom, room=room, meeting=meeting, created=created)
    return room.state
