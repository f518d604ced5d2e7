"""Emails of the meetings app to its staff: `notify_*` functions queue them, builders write them.

Each `notify_*` function is called inside the transaction that made the change and stores only
ids in the outbox (core.mail.queue_email); the builder each row names runs later in the worker,
reads the current data and returns the message, or None when it no longer applies. Builders are
found by their dotted path, stored with each queued email: keep their names.

Staff accounts have no language of their own: their emails are written in Indonesian.
"""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from core.links import absolute
from core.mail import Message, queue_email

from .models import OnlineRoom

STAFF_LANGUAGE = "id"


def _active_organizers(meeting) -> list:
    return [user for user in meeting.organizers.order_by("pk") if user.is_active and user.email]


def notify_online_room_failed(room: OnlineRoom, *, at: datetime | None = None) -> None:
    """Each active organizer learns that the meeting's online room failed and why (one email per
    failure: `at`, the moment of the failure, now unless given, is part of the key)."""
    stamp = (at or timezone.now()).timestamp()
    meeting = room.meeting
    for user in _active_organizers(meeting):
        queue_email(
            key=f"online-room-failed:{room.pk}:{user.pk}:{stamp}",
            group=f"meeting:{meeting.pk}",
            to=[user.email],
            builder="meetings.notifications.online_room_failed_message",
            params={"room_id": room.pk, "user_id": user.pk},
            language=STAFF_LANGUAGE,
        )


def online_room_failed_message(room_id: int, user_id: int) -> Message | None:
    """Dropped when the room works again (or is gone), or the person no longer organizes the meeting."""
    from accounts.models import User

    room = (
        OnlineRoom.objects.select_related("meeting").filter(pk=room_id, state=OnlineRoom.State.FAILED).first()
    )
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if room is None or user is None or not room.meeting.organizers.filter(pk=user.pk).exists():
        return None
    meeting = room.meeting
    return Message(
        "meetings/email/online_room_failed",
        {
            "meeting": meeting,
            "room": room,
            "error": room.last_error,
            "name": user.full_name or user.email,
            "url": absolute(reverse("meetings:online_room", kwargs={"code": meeting.code})),
        },
    )
