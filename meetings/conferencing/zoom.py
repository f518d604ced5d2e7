"""One Zoom meeting for all the days of a Sinergi meeting, kept in step with its schedule.

The construction: a recurring meeting (type 8) recurring daily from the first day to the last,
whose occurrences on dates without a day are deleted and whose occurrences with other hours than
the first day's are patched one by one (`occurrence_id` as a query parameter: zoomus puts it in
the body, where Zoom ignores it and changes the whole series). A one-day meeting is a plain
scheduled meeting (type 2). Every participant has one join link for all days.

Start times are sent in UTC (`zoom_api.utc`), with the meeting's zone as `timezone`, so Zoom shows
the days at the right hours in WIB, WITA and WIT alike.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from .zoom_api import ZoomApi, ZoomError, utc

PASSCODE_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSCODE_CHARACTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@-_*")
MARKER = "[sinergi:{}]"


def new_passcode() -> str:
    """Eight letters and digits (Zoom allows at most 10 of [a-zA-Z0-9@-_*]); no look-alikes."""
    return "".join(secrets.choice(PASSCODE_ALPHABET) for _ in range(8))


def valid_passcode(value: str) -> bool:
    return 0 < len(value) <= 10 and set(value) <= PASSCODE_CHARACTERS


def day_slots(meeting) -> list[tuple[date, datetime, int]]:
    """(date, start as an aware datetime, minutes) of each day, in order."""
    zone = ZoneInfo(meeting.timezone)
    slots = []
    for day in meeting.days.order_by("date"):
        start = datetime.combine(day.date, day.start_time, tzinfo=zone)
        end = datetime.combine(day.date, day.end_time, tzinfo=zone)
        slots.append((day.date, start, max(1, int((end - start).total_seconds() // 60))))
    return slots


def agenda_text(meeting, marker: str) -> str:
    """The marker first (Zoom's meeting list shows 250 characters of the agenda), then the items."""
    lines = [MARKER.format(marker), meeting.theme or meeting.title]
    for day in meeting.days.order_by("date").prefetch_related("items"):
        for item in day.items.all():
            lines.append(f"{day.date:%d/%m} {item.start_time:%H.%M} {item.title}")
    return "\n".join(lines)[:2000]


DEFAULT_SETTINGS = {
    "waiting_room": True,
    "join_before_host": False,
    "mute_upon_entry": True,
    "auto_recording": "cloud",  # so Zoom makes the transcript
    "alternative_hosts": "",
    "registration": False,
}
RECORDING_CHOICES = ("none", "local", "cloud")


def _settings(room) -> dict:
    chosen = {**DEFAULT_SETTINGS, **(room.settings or {})}
    result = {
        "waiting_room": bool(chosen["waiting_room"]),
        "join_before_host": bool(chosen["join_before_host"]),
        "mute_upon_entry": bool(chosen["mute_upon_entry"]),
        "auto_recording": chosen["auto_recording"]
        if chosen["auto_recording"] in RECORDING_CHOICES
        else "none",
        # Registration on: automatic approval, each registrant gets a personal link.
        "approval_type": 0 if chosen["registration"] else 2,
    }
    if chosen.get("alternative_hosts"):
        result["alternative_hosts"] = chosen["alternative_hosts"]
    return result


def series_body(meeting, room, slots) -> dict:
    first_date, first_start, first_minutes = slots[0]
    body = {
        "topic": meeting.title[:200],
        "agenda": agenda_text(meeting, room.attempt or room.provider_id),
        "start_time": utc(first_start),
        "duration": first_minutes,
        "timezone": meeting.timezone,
        "password": room.passcode,
        "settings": _settings(room),
        "type": 2,
    }
    if len(slots) > 1:
        body["type"] = 8
        body["recurrence"] = {
            "type": 1,
            "repeat_interval": 1,
            "end_times": (slots[-1][0] - first_date).days + 1,
        }
    return body


def _occurrences(data: dict, zone: ZoneInfo) -> dict[str, dict]:
    found = {}
    for occurrence in data.get("occurrences") or []:
        start = datetime.strptime(occurrence["start_time"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=ZoneInfo("UTC")
        )
        found[start.astimezone(zone).date().isoformat()] = {
            "id": occurrence["occurrence_id"],
            "start": occurrence["start_time"],
            "duration": occurrence.get("duration"),
        }
    return found


class ZoomRoom:
    """Create, update and delete the Zoom meeting of a room; `api.calls` counts the calls."""

    def __init__(self, api: ZoomApi | None = None):
        self.api = api or ZoomApi()

    def find_attempt(self, marker: str) -> dict | None:
        """A meeting an earlier, unanswered create made (its agenda starts with the marker)."""
        response = self.api.call("meeting", "list", user_id=self.api.host, type="scheduled", page_size=300)
        for row in response.json().get("meetings", []):
            if (row.get("agenda") or "").startswith(MARKER.format(marker)):
                return row
        return None

    def _look_again(self, marker: str) -> dict | None:
        for attempt in range(max(self.api.retries, 1)):
            # No jitter here: the point is to give Zoom time, not to spread load.
            self.api.sleep(settings.ZOOM_BACKOFF_SECONDS * 2**attempt)
            found = self.find_attempt(marker)
            if found is not None:
                return found
        return None

    def create(self, meeting, room) -> dict:
        """The Zoom meeting for the room (found again if an earlier attempt made it)."""
        slots = day_slots(meeting)
        if not slots:
            raise ZoomError("the meeting has no days yet")
        if not room.attempt:
            raise ValueError("record room.attempt (committed) before creating")
        existing = self.find_attempt(room.attempt)
        if existing is None:
            body = series_body(meeting, room, slots)
            try:
                data = self.api.call(
                    "meeting", "create", ok=(201,), once=True, user_id=self.api.host, **body
                ).json()
            except ZoomError as error:
                if not error.uncertain:
                    raise
                # Zoom may have made it: look for it (a few times, it may show late), never
                # create again in this run; a later run looks first too.
                existing = self._look_again(room.attempt)
                if existing is None:
                    raise
        if existing is not None:
            data = self.api.call("meeting", "get", ok=(200,), id=str(existing["id"])).json()
        room.provider_id = str(data["id"])
        room.join_url = data.get("join_url", "")
        room.passcode = data.get("password", room.passcode)
        self.fit_occurrences(meeting, room, slots, data)
        if existing is None:
            room.remote["fixed"] = _fixed_key(body)
        return data

    def fit_occurrences(self, meeting, room, slots, data: dict) -> None:
        """Delete the occurrences between days, patch those whose hours differ; remember each."""
        zone = ZoneInfo(meeting.timezone)
        if len(slots) == 1:
            room.remote = {
                "days": {slots[0][0].isoformat(): {"start": _z(slots[0][1]), "duration": slots[0][2]}}
            }
            return
        occurrences = _occurrences(data, zone)
        wanted = {d.isoformat(): (start, minutes) for d, start, minutes in slots}
        days = {}
        for day, occurrence in occurrences.items():
            if day not in wanted:
                self._occurrence("delete_request", room, occurrence["id"])
                continue
            start, minutes = wanted[day]
            if occurrence["start"] != _z(start) or occurrence["duration"] != minutes:
                self._occurrence(
                    "patch_request", room, occurrence["id"], {"start_time": _z(start), "duration": minutes}
                )
            days[day] = {"id": occurrence["id"], "start": _z(start), "duration": minutes}
        room.remote = {"days": days, "series": _series_key(slots)}

    def _occurrence(self, method: str, room, occurrence_id: str, data: dict | None = None) -> None:
        kwargs = {"endpoint": f"/meetings/{room.provider_id}", "params": {"occurrence_id": occurrence_id}}
        if data is not None:
            kwargs["data"] = data
        self.api.call("meeting", method, ok=(204,), **kwargs)

    def update(self, meeting, room, *, force: bool = False) -> None:
        """Bring Zoom in step: the series when the span or the first day moved, else only the
        occurrences whose hours changed; the topic, agenda, passcode and settings when they
        changed since they were last sent (always with `force`)."""
        slots = day_slots(meeting)
        if not slots:
            return
        remote = room.remote or {}
        if len(slots) > 1 and remote.get("series") == _series_key(slots):
            for day, start, minutes in slots:
                known = remote["days"].get(day.isoformat())
                if known and (known["start"], known["duration"]) != (_z(start), minutes):
                    self._occurrence(
                        "patch_request", room, known["id"], {"start_time": _z(start), "duration": minutes}
                    )
                    known.update(start=_z(start), duration=minutes)
            room.remote = remote
            body = series_body(meeting, room, slots)
            fixed = {key: body[key] for key in FIXED}
            # Sent again only when it changed, or when the room is out of step (a retry after a
            # failure or a change made in Zoom puts Sinergi's version back).
            if force or remote.get("fixed") != _fixed_key(body):
                self.api.call("meeting", "update", ok=(204,), id=room.provider_id, **fixed)
                remote["fixed"] = _fixed_key(body)
            return
        body = series_body(meeting, room, slots)
        self.api.call("meeting", "update", ok=(204,), id=room.provider_id, **body)
        data = self.api.call("meeting", "get", ok=(200,), id=room.provider_id).json()
        room.join_url = data.get("join_url", room.join_url)
        self.fit_occurrences(meeting, room, slots, data)
        room.remote["fixed"] = _fixed_key(body)

    def delete(self, room) -> None:
        """Delete the Zoom meeting; one already gone (404, code 3001) is fine."""
        self.delete_meeting(room.provider_id)

    def delete_meeting(self, provider_id: str) -> str:
        try:
            self.api.call("meeting", "delete", ok=(204,), id=provider_id)
        except ZoomError as error:
            if not error.not_found:
                raise
            return "gone"
        return "deleted"

    def host_url(self, room) -> str:
        """A fresh start link (they expire): fetched when a host asks, never stored for long."""
        return self.api.call("meeting", "get", ok=(200,), id=room.provider_id).json().get("start_url", "")


def _z(moment: datetime) -> str:
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


FIXED = ("topic", "agenda", "password", "settings")


def _fixed_key(body: dict) -> str:
    """A digest of what a series PATCH sends besides the times."""
    import hashlib
    import json

    fixed = {key: body.get(key) for key in FIXED}
    return hashlib.sha256(json.dumps(fixed, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _series_key(slots) -> str:
    first_date, first_start, first_minutes = slots[0]
    return f"{first_date}|{slots[-1][0]}|{_z(first_start)}|{first_minutes}"


def new_attempt() -> str:
    return uuid.uuid4().hex
