"""Online participants as Zoom registrants: each gets a personal join link, Zoom reports them by name.

With the room's "personal join links" setting on, each confirmed online registration becomes a
registrant of the meeting's Zoom room, and the join_url Zoom gives it is stored on the
registration; the confirmation, the private page, the calendar invitation and the reminders use
it instead of the shared link. Cancelling, being declined or moving to on-site cancels the
registrant at Zoom.

How it runs: a registration email that should carry the personal link is not queued at once;
`defer_email` marks it held on the registration and enqueues
`participants.tasks.sync_zoom_registrants`, in the service's transaction. The task reconciles the
whole meeting (so a burst of confirmations makes one batch call per 30 people, not one call each),
stores the links, then queues each held email once (a burst's later tasks find none left). If Zoom fails, the emails go out with the shared link and the room page shows the
failure; whoever is added later (the room made late, the setting switched on, a retry) gets an
email with their personal link. Zoom itself sends no emails (registrants_confirmation_email off).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core import audit
from meetings.conferencing import sync as room_sync
from meetings.conferencing import zoom_api
from meetings.models import Meeting, OnlineRoom

from ..models import Registration

logger = logging.getLogger(__name__)

BATCH = 30  # Zoom's limit per batch_registrants and per registrants/status call
WAIT_FOR_ROOM_SECONDS = 30
WAIT_FOR_ROOM_TRIES = 20  # ten minutes, then the emails go without the personal link


def room_with_registration(meeting_id: int, *, meeting: Meeting | None = None) -> OnlineRoom | None:
    """The meeting's Zoom room if it gives personal links (registration on), else None.

    A `meeting` read with its room (Meeting.objects.lock(..., with_room=True)) saves the query.
    """
    if meeting is not None and Meeting.online_room.is_cached(meeting):
        room = getattr(meeting, "online_room", None)
        room = room if room is not None and room.provider == OnlineRoom.Provider.ZOOM else None
    else:
        room = OnlineRoom.objects.filter(meeting_id=meeting_id, provider=OnlineRoom.Provider.ZOOM).first()
    if (
        room is None
        or room.state == OnlineRoom.State.DELETED
        or not (room.settings or {}).get("registration")
    ):
        return None
    return room


def wants_registrant(registration: Registration) -> bool:
    return (
        registration.state == Registration.State.CONFIRMED
        and registration.mode == Registration.Mode.ONLINE
        and bool(registration.email)
        and bool(registration.full_name)
    )


def defer_email(registration: Registration, kind: str) -> bool:
    """Hold a registration email until the person's Zoom registrant is in step; True when held.

    Not held when the room gives no personal links, or when nothing changes at Zoom for the
    person (they have their link already, or need none and have no registrant to cancel).
    """
    meeting = registration.meeting if Registration.meeting.is_cached(registration) else None
    room = room_with_registration(registration.meeting_id, meeting=meeting)
    if room is None:
        return False
    wanted = wants_registrant(registration)
    if wanted == bool(registration.zoom_registrant_id):
        return False
    from .. import tasks

    if wanted:
        Registration.objects.filter(pk=registration.pk).update(zoom_email_held=kind)
        registration.zoom_email_held = kind
    tasks.sync_zoom_registrants.enqueue(registration.meeting_id)
    return wanted


def _names(full_name: str) -> tuple[str, str]:
    parts = full_name.split()
    if len(parts) < 2:
        return full_name[:64], ""
    return " ".join(parts[:-1])[:64], parts[-1][:64]


def _add(api: zoom_api.ZoomApi, room: OnlineRoom, registrations: list[Registration]) -> list[Registration]:
    added = []
    for start in range(0, len(registrations), BATCH):
        chunk = registrations[start : start + BATCH]
        body = {
            "auto_approve": True,
            "registrants_confirmation_email": False,
            "registrants": [
                dict(zip(("first_name", "last_name"), _names(r.full_name), strict=True), email=r.email)
                for r in chunk
            ],
        }
        response = api.call(
            "meeting",
            "post_request",
            ok=(201,),
            endpoint=f"/meetings/{room.provider_id}/batch_registrants",
            data=body,
        )
        links = {row["email"].casefold(): row for row in response.json().get("registrants", [])}
        for registration in chunk:
            row = links.get(registration.email.casefold())
            if row is None:
                continue
            Registration.objects.filter(pk=registration.pk).update(
                zoom_registrant_id=row["registrant_id"], personal_join_url=row["join_url"]
            )
            registration.zoom_registrant_id, registration.personal_join_url = (
                row["registrant_id"],
                row["join_url"],
            )
            added.append(registration)
    return added


def _cancel(api: zoom_api.ZoomApi, room: OnlineRoom, registrations: list[Registration]) -> None:
    for start in range(0, len(registrations), BATCH):
        chunk = registrations[start : start + BATCH]
        api.call(
            "meeting",
            "update_registrant_status",
            ok=(204,),
            id=room.provider_id,
            action="cancel",
            registrants=[{"id": r.zoom_registrant_id, "email": r.email} for r in chunk],
        )
        Registration.objects.filter(pk__in=[r.pk for r in chunk]).update(
            zoom_registrant_id="", personal_join_url=""
        )


def _later(meeting_id: int, tries: int) -> None:
    from .. import tasks

    later = timezone.now() + timedelta(seconds=WAIT_FOR_ROOM_SECONDS)
    tasks.sync_zoom_registrants.using(run_after=later).enqueue(meeting_id, tries + 1)


def sync_registrants(meeting_id: int, *, tries: int = 0, api=None) -> dict:
    """Add the confirmed online people missing at Zoom, cancel those who left; then queue the held
    emails, each once: with the personal link, or (Zoom failing) with the shared one. Whoever is
    added without a held email (the room made late, a retry) gets an email with their link."""
    from .. import notifications

    room = room_with_registration(meeting_id)
    held = Registration.objects.filter(meeting_id=meeting_id).exclude(zoom_email_held="")
    result = {"added": 0, "cancelled": 0, "calls": 0}
    if room is not None and not room.provider_id and room.state == OnlineRoom.State.PENDING:
        if held.exists() and tries < WAIT_FOR_ROOM_TRIES:  # the room is being made: wait for it
            _later(meeting_id, tries)
            return result
        room = None
    added = []
    if room is not None and room.provider_id and zoom_api.configured():
        if not room_sync.claim(room.pk):  # the room (or its registrants) is being synced
            _later(meeting_id, tries)
            return {**result, "busy": True}
        try:
            api = api or zoom_api.ZoomApi()
            people = list(
                Registration.objects.filter(meeting_id=meeting_id)
                .exclude(email="")
                .exclude(full_name="")
                .only("pk", "meeting_id", "state", "mode", "email", "full_name", "zoom_registrant_id")
                .order_by("pk")
            )
            missing = [r for r in people if wants_registrant(r) and not r.zoom_registrant_id]
            leaving = [r for r in people if r.zoom_registrant_id and not wants_registrant(r)]
            if leaving:
                _cancel(api, room, leaving)
            added = _add(api, room, missing)
            result.update(added=len(added), cancelled=len(leaving), calls=api.calls)
        except zoom_api.ZoomError as error:
            logger.warning("zoom registrants of meeting %s: %s", meeting_id, error)
            OnlineRoom.objects.filter(pk=room.pk).update(
                state=OnlineRoom.State.FAILED,
                last_error=f"Personal join links could not be made: {error}"[:2000],
            )
            result["error"] = str(error)
        finally:
            room_sync.release(room.pk)
    with transaction.atomic():
        if result["added"] or result["cancelled"]:
            audit.record(
                room.meeting,
                "meeting.zoom_registrants_synced",
                None,
                added=result["added"],
                cancelled=result["cancelled"],
            )
        sent = set()
        # Locked, so two workers never queue one held email twice.
        for registration in held.select_for_update().order_by("pk"):
            notifications.queue_registration_email(registration, registration.zoom_email_held)
            sent.add(registration.pk)
        held.filter(pk__in=sent).update(zoom_email_held="")
        for registration in added:
            if registration.pk not in sent:
                notifications.queue_registration_email(registration, "zoom_link")
    return result
