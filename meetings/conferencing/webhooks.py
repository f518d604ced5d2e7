"""Zoom's webhook: each delivery checked and stored at once (`receive`), then handled in a task (`handle`).

A delivery counts only when `x-zm-signature` is `v0=` + hex HMAC-SHA256(ZOOM_WEBHOOK_SECRET,
`v0:{x-zm-request-timestamp}:{raw body}`) and the timestamp lies within
ZOOM_WEBHOOK_MAX_AGE_SECONDS of now. A signed delivery seen before (the same timestamp and body)
is a replay: answered, never stored or handled again. So a forged, stale or replayed request
changes nothing, and Zoom gets its answer within milliseconds (it wants one within 3 seconds).

The task finds the room by the Zoom meeting id and, inside one transaction:

- participant joined / left, meeting ended, a transcript ready: sends the signal
  (meetings.signals) that the apps above react to;
- meeting updated: ignored when what changed agrees with what Sinergi sent (the echo of our own
  sync) or holds for Sinergi's days as they are now; otherwise the room is marked failed, so the
  meeting page shows it and "Retry" brings Zoom back in step, and the organizers are told;
- meeting deleted in Zoom: the room is gone (a cancelled meeting) or failed, and a retry makes
  a new Zoom meeting (the changed link then reaches the registrants).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core import audit

from .. import notifications, signals
from ..audit_sentences import zoom_fields_text
from ..models import Meeting, OnlineRoom, ZoomWebhookEvent
from . import zoom
from .zoom_api import utc

logger = logging.getLogger(__name__)


def zoom_event(subject: str, what: str) -> str:
    """A Zoom event name, "<subject>.<what happened>" (`meeting.ended`). Built, not written out:
    Sinergi's own audit actions share that shape (`meeting.updated`), and the check that every
    audit action has a sentence reads every such literal in a module that writes the log."""
    return f"{subject}.{what}"


URL_VALIDATION = zoom_event("endpoint", "url_validation")
PARTICIPANT_JOINED = zoom_event("meeting", "participant_joined")
PARTICIPANT_LEFT = zoom_event("meeting", "participant_left")
MEETING_UPDATED = zoom_event("meeting", "updated")
MEETING_DELETED = zoom_event("meeting", "deleted")
MEETING_ENDED = zoom_event("meeting", "ended")
RECORDING_COMPLETED = zoom_event("recording", "completed")
TRANSCRIPT_COMPLETED = zoom_event("recording", "transcript_completed")

ZOOM_TIME = "%Y-%m-%dT%H:%M:%SZ"
PARTICIPANT_FIELDS = ("user_name", "email", "registrant_id", "participant_user_id", "id")


class Rejected(Exception):
    """A delivery that is not answered as Zoom's: 401 (not signed by Zoom, or stale), 400 (malformed)."""

    def __init__(self, reason: str, status: int = 401):
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass
class Received:
    """What became of a signed delivery: the URL validation's answer, a replay, or a stored event."""

    answer: dict | None = None
    replay: bool = False
    event: ZoomWebhookEvent | None = None


# Checking a delivery ----------------------------------------------------------------------------


def _hmac(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature(timestamp: str, body: bytes, secret: str | None = None) -> str:
    """The `x-zm-signature` Zoom sends with this timestamp and body."""
    secret = settings.ZOOM_WEBHOOK_SECRET if secret is None else secret
    return "v0=" + _hmac(secret, b"v0:" + timestamp.encode() + b":" + body)


def verify(body: bytes, timestamp: str | None, signed: str | None, *, now: float | None = None) -> int:
    """The signed timestamp (Unix seconds) of a genuine, fresh delivery; raises `Rejected` otherwise.

    The signature is checked before the timestamp is trusted, in constant time.
    """
    secret = settings.ZOOM_WEBHOOK_SECRET
    if not secret:
        raise Rejected("no webhook secret is configured")
    if not timestamp or not signed:
        raise Rejected("unsigned")
    timestamp = timestamp.strip()
    if not timestamp.isascii() or not timestamp.isdigit():
        raise Rejected("the timestamp is not a number")
    expected = signature(timestamp, body, secret).encode()
    if not hmac.compare_digest(expected, signed.strip().encode("utf-8", "replace")):
        raise Rejected("bad signature")
    seconds = int(timestamp)
    now = time.time() if now is None else now
    if abs(now - seconds) > settings.ZOOM_WEBHOOK_MAX_AGE_SECONDS:
        raise Rejected("stale timestamp")
    return seconds


def digest(timestamp: int, body: bytes) -> str:
    """What identifies a delivery: the same signed request played back has the same digest."""
    return hashlib.sha256(str(timestamp).encode() + b":" + body).hexdigest()


def url_validation_answer(plain_token: str) -> dict:
    return {
        "plainToken": plain_token,
        "encryptedToken": _hmac(settings.ZOOM_WEBHOOK_SECRET, plain_token.encode()),
    }


def receive(body: bytes, timestamp: str | None, signed: str | None) -> Received:
    """Check a delivery and store it with its task (one transaction), or answer Zoom's validation.

    Raises `Rejected` for a delivery that is not Zoom's or not fresh (nothing is stored).
    """
    from .. import tasks

    seconds = verify(body, timestamp, signed)
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise Rejected("the body is not JSON", status=400) from exc
    if not isinstance(data, dict) or not isinstance(data.get("event"), str) or not data["event"]:
        raise Rejected("the body names no event", status=400)
    if data["event"] == URL_VALIDATION:
        plain = (
            (data.get("payload") or {}).get("plainToken") if isinstance(data.get("payload"), dict) else None
        )
        if not isinstance(plain, str) or not plain:
            raise Rejected("the validation carries no plainToken", status=400)
        return Received(answer=url_validation_answer(plain))
    key = digest(seconds, body)
    if ZoomWebhookEvent.objects.filter(digest=key).exists():
        return Received(replay=True)
    try:
        with transaction.atomic():
            event = ZoomWebhookEvent.objects.create(
                event=data["event"][:100], payload=data, timestamp=seconds, digest=key
            )
            tasks.handle_zoom_webhook.enqueue(event.pk)
    except IntegrityError:
        return Received(replay=True)  # the same delivery, stored a moment ago by another request
    return Received(event=event)


# Handling a stored event (in a task) ------------------------------------------------------------


def handle(event_id: int) -> str:
    """Handle a stored event once; its outcome. An event handled already is left as it is."""
    with transaction.atomic():
        event = ZoomWebhookEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            return "no such event"
        if event.processed_at is not None:
            return event.outcome
        outcome = _dispatch(event)[:300]
        event.processed_at = timezone.now()
        event.outcome = outcome
        event.save(update_fields=["processed_at", "outcome"])
    logger.info("zoom webhook %s (%s): %s", event.pk, event.event, outcome)
    prune()
    return outcome


def prune(now=None) -> int:
    """Delete the handled deliveries older than ZOOM_WEBHOOK_KEEP_DAYS (their payloads name
    participants); the number deleted. Unhandled ones stay until a task handles them."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ZOOM_WEBHOOK_KEEP_DAYS)
    deleted, _ = ZoomWebhookEvent.objects.filter(processed_at__isnull=False, received_at__lt=cutoff).delete()
    return deleted


def _dispatch(event: ZoomWebhookEvent) -> str:
    handler = HANDLERS.get(event.event)
    if handler is None:
        return "not an event Sinergi uses"
    body = event.payload if isinstance(event.payload, dict) else {}
    payload = body.get("payload") if isinstance(body.get("payload"), dict) else {}
    obj = payload.get("object") if isinstance(payload.get("object"), dict) else {}
    zoom_id = obj.get("id")
    if zoom_id in (None, ""):
        return "no meeting id"
    room = (
        OnlineRoom.objects.select_related("meeting")
        .filter(provider=OnlineRoom.Provider.ZOOM, provider_id=str(zoom_id))
        .first()
    )
    if room is None:
        return "unknown meeting"
    return handler(room, body, payload, obj)


def _moment(value) -> datetime | None:
    """A time Zoom wrote ("2031-09-22T02:00:00Z", or with an offset) as an aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _zoom_time(value) -> str | None:
    moment = _moment(value)
    return utc(moment).strftime(ZOOM_TIME) if moment is not None else None


def _occurred_at(body: dict) -> str:
    """When Zoom says the event happened (event_ts, milliseconds), else now; ISO, UTC."""
    stamp = body.get("event_ts")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        moment = datetime.fromtimestamp(stamp / 1000, UTC)
    else:
        moment = timezone.now().astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _participant(room, body, payload, obj) -> str:
    zoom_participant = obj.get("participant") if isinstance(obj.get("participant"), dict) else {}
    name = body["event"]
    moment = "join_time" if name == PARTICIPANT_JOINED else "leave_time"
    participant = {field: str(zoom_participant.get(field) or "") for field in PARTICIPANT_FIELDS}
    participant[moment] = str(zoom_participant.get(moment) or "")
    signals.zoom_participant_event.send(
        sender=OnlineRoom,
        room=room,
        meeting=room.meeting,
        event=name,
        participant=participant,
        occurred_at=_occurred_at(body),
    )
    return "participant joined" if name == PARTICIPANT_JOINED else "participant left"


def _ended(room, body, payload, obj) -> str:
    ended_at = obj.get("end_time") if _moment(obj.get("end_time")) else _occurred_at(body)
    signals.zoom_meeting_ended.send(
        sender=OnlineRoom,
        room=room,
        meeting=room.meeting,
        zoom_uuid=str(obj.get("uuid") or ""),
        ended_at=ended_at,
    )
    return "meeting ended"


def _has_transcript(obj: dict) -> bool:
    files = obj.get("recording_files") if isinstance(obj.get("recording_files"), list) else []
    return any(
        isinstance(f, dict)
        and f.get("file_type") == "TRANSCRIPT"
        and f.get("status", "completed") == "completed"
        for f in files
    )


def _recording(room, body, payload, obj) -> str:
    if not _has_transcript(obj):
        return "recording without a transcript"
    download_token = body.get("download_token")
    signals.zoom_transcript_ready.send(
        sender=OnlineRoom,
        room=room,
        meeting=room.meeting,
        recording=obj,
        download_token=download_token if isinstance(download_token, str) else "",
    )
    return "transcript ready"


# Changes made in Zoom itself --------------------------------------------------------------------


def _known_days(meeting: Meeting, room: OnlineRoom) -> tuple[dict[str, set], dict[str, str]]:
    """Per day ("YYYY-MM-DD") the (start, minutes) Sinergi sent (room.remote) or holds now (its
    days, which a sync under way is sending), and the day of each occurrence id Sinergi knows."""
    known: dict[str, set] = {}
    by_id: dict[str, str] = {}
    days = (room.remote or {}).get("days") or {}
    for day, info in days.items():
        if isinstance(info, dict):
            known.setdefault(day, set()).add((info.get("start"), info.get("duration")))
            if info.get("id"):
                by_id[str(info["id"])] = day
    for day, start, minutes in zoom.day_slots(meeting):
        known.setdefault(day.isoformat(), set()).add((utc(start).strftime(ZOOM_TIME), minutes))
    return known, by_id


def _local_day(value, zone: ZoneInfo) -> str | None:
    moment = _moment(value)
    return moment.astimezone(zone).date().isoformat() if moment is not None else None


def _minutes(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def foreign_changes(meeting: Meeting, room: OnlineRoom, obj: dict) -> list[str]:
    """The fields of a meeting.updated `object` whose values Sinergi did not send (in Zoom's order:
    topic, start_time, duration, occurrences). Occurrences on dates that are no day of the meeting
    do not count: the sync deletes them."""
    known, by_id = _known_days(meeting, room)
    pairs = set().union(*known.values()) if known else set()
    changed = []
    if "topic" in obj and str(obj["topic"] or "") != meeting.title[:200]:
        changed.append("topic")
    start = _zoom_time(obj.get("start_time")) if "start_time" in obj else None
    minutes = _minutes(obj.get("duration")) if "duration" in obj else None
    if "start_time" in obj and (start is None or start not in {s for s, _m in pairs}):
        changed.append("start_time")
    if "duration" in obj and minutes not in {m for _s, m in pairs}:
        changed.append("duration")
    if start is not None and minutes is not None and not changed and (start, minutes) not in pairs:
        changed.append("start_time")
    occurrences = obj.get("occurrences") if isinstance(obj.get("occurrences"), list) else []
    for occurrence in occurrences:
        if not isinstance(occurrence, dict) or occurrence.get("status") == "deleted":
            continue
        days = {
            by_id.get(str(occurrence.get("occurrence_id"))),
            _local_day(occurrence.get("start_time"), meeting.tz),
        }
        candidates = set().union(*(known[d] for d in days if d in known))
        if not candidates:
            continue
        o_start = _zoom_time(occurrence.get("start_time"))
        if "duration" in occurrence:
            agrees = (o_start, _minutes(occurrence["duration"])) in candidates
        else:
            agrees = o_start in {s for s, _m in candidates}
        if not agrees:
            changed.append("occurrences")
            break
    return changed


def _lost_days(meeting: Meeting, room: OnlineRoom, occurrences: list) -> list[str]:
    """The meeting's days (as it is now) whose occurrences a meeting.deleted removed."""
    current = {day.isoformat() for day, _start, _minutes in zoom.day_slots(meeting)}
    _known, by_id = _known_days(meeting, room)
    lost = set()
    for occurrence in occurrences:
        if not isinstance(occurrence, dict):
            continue
        for day in (
            by_id.get(str(occurrence.get("occurrence_id"))),
            _local_day(occurrence.get("start_time"), meeting.tz),
        ):
            if day in current:
                lost.add(day)
    return sorted(lost)


def _operator(payload: dict) -> str:
    return str(payload.get("operator") or "")[:254]


def _fail(room: OnlineRoom, error: str, *, tell: bool, **fields) -> None:
    was_failed = room.state == OnlineRoom.State.FAILED
    room.state = OnlineRoom.State.FAILED
    room.last_error = error
    for name, value in fields.items():
        setattr(room, name, value)
    room.save(update_fields=["state", "last_error", *fields])
    if tell or not was_failed:
        notifications.notify_online_room_failed(room)


def _locked_room(room: OnlineRoom) -> tuple[Meeting, OnlineRoom]:
    """The meeting locked (as every service that changes it does) and the room read again."""
    meeting = Meeting.objects.lock(room.meeting_id)
    room = OnlineRoom.objects.get(pk=room.pk)
    room.meeting = meeting
    return meeting, room


# last_error is stored text, read on the meeting page by the staff: it is written in their
# language (Indonesian), as their emails are.


def _updated(room, body, payload, obj) -> str:
    meeting, room = _locked_room(room)
    if room.state == OnlineRoom.State.DELETED:
        return "the room is deleted: ignored"
    changed = foreign_changes(meeting, room, obj)
    if not changed:
        return "agrees with Sinergi: ignored"
    operator = _operator(payload)
    with translation.override(notifications.STAFF_LANGUAGE):
        fields = zoom_fields_text(changed)
        if operator:
            error = _(
                "The Zoom meeting was changed in Zoom by %(operator)s (%(fields)s), so it no longer "
                "matches Sinergi. “Retry” brings Zoom back in step with Sinergi."
            ) % {"operator": operator, "fields": fields}
        else:
            error = _(
                "The Zoom meeting was changed in Zoom (%(fields)s), so it no longer matches Sinergi. "
                "“Retry” brings Zoom back in step with Sinergi."
            ) % {"fields": fields}
    # Without the series key the retry sends the whole series again and re-fits every day, so
    # whatever was changed in Zoom is put back (patching only the days Sinergi moved would not).
    remote = {key: value for key, value in (room.remote or {}).items() if key != "series"}
    _fail(room, error, tell=False, remote=remote)
    audit.record(meeting, "meeting.online_room_changed_in_zoom", None, operator=operator, fields=changed)
    return f"changed in Zoom ({', '.join(changed)}): room failed"


def _deleted(room, body, payload, obj) -> str:
    meeting, room = _locked_room(room)
    if room.state == OnlineRoom.State.DELETED:
        return "the room is deleted already: ignored"
    operator = _operator(payload)
    occurrences = obj.get("occurrences") if isinstance(obj.get("occurrences"), list) else []
    if occurrences:
        return _occurrences_deleted(meeting, room, operator, occurrences)
    if meeting.status == Meeting.Status.CANCELLED:
        room.state = OnlineRoom.State.DELETED
        room.last_error = ""
        room.save(update_fields=["state", "last_error"])  # as it should be: nothing to tell
        return "deleted in Zoom (the meeting is cancelled): room deleted"
    with translation.override(notifications.STAFF_LANGUAGE):
        if operator:
            error = _(
                "The Zoom meeting was deleted in Zoom by %(operator)s. “Retry” creates a new Zoom "
                "meeting; the participants then receive the new link."
            ) % {"operator": operator}
        else:
            error = _(
                "The Zoom meeting was deleted in Zoom. “Retry” creates a new Zoom meeting; the "
                "participants then receive the new link."
            )
    # The join link stays: the sync compares it with the new room's to send the changed link.
    _fail(room, error, tell=True, provider_id="", remote={}, attempt="")
    audit.record(meeting, "meeting.online_room_deleted_in_zoom", None, operator=operator)
    return "deleted in Zoom: room failed"


def _occurrences_deleted(meeting: Meeting, room: OnlineRoom, operator: str, occurrences: list) -> str:
    lost = _lost_days(meeting, room, occurrences)
    if not lost:
        return "occurrences between the days deleted: ignored"
    with translation.override(notifications.STAFF_LANGUAGE):
        days = ", ".join(formats.date_format(date.fromisoformat(day), "DATE_FORMAT") for day in lost)
        if operator:
            error = _(
                "Days of the Zoom meeting (%(days)s) were deleted in Zoom by %(operator)s. “Retry” "
                "brings Zoom back in step with Sinergi."
            ) % {"days": days, "operator": operator}
        else:
            error = _(
                "Days of the Zoom meeting (%(days)s) were deleted in Zoom. “Retry” brings Zoom back "
                "in step with Sinergi."
            ) % {"days": days}
    remote = {key: value for key, value in (room.remote or {}).items() if key != "series"}
    _fail(room, error, tell=False, remote=remote)
    audit.record(
        meeting, "meeting.online_room_changed_in_zoom", None, operator=operator, fields=["occurrences"]
    )
    return f"occurrences deleted in Zoom ({', '.join(lost)}): room failed"


HANDLERS = {
    PARTICIPANT_JOINED: _participant,
    PARTICIPANT_LEFT: _participant,
    MEETING_ENDED: _ended,
    RECORDING_COMPLETED: _recording,
    TRANSCRIPT_COMPLETED: _recording,
    MEETING_UPDATED: _updated,
    MEETING_DELETED: _deleted,
}
