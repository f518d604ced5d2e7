"""Placing cues on the agenda by time and joining consecutive cues of one speaker.

A cue belongs to the agenda item whose span contains its start (a cue across a boundary goes by
its start); before the first item it is the opening's, from the last item's end the closing's,
and in a gap between items (a break) the item before the gap's. Plain text has no times: all of
it goes to the section the uploader chose.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from .parsing import Cue


@dataclass(frozen=True)
class Slot:
    """A section as placement sees it: its key (the Section's pk), kind and span."""

    key: int
    kind: str  # "opening", "item", "closing"
    starts_at: datetime | None
    ends_at: datetime | None


@dataclass
class Group:
    section: int
    speaker: str
    starts_at: datetime
    ends_at: datetime
    texts: list[str]
    fingerprint_parts: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.texts)

    @property
    def cue_count(self) -> int:
        return len(self.texts)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256("\x1e".join(self.fingerprint_parts).encode()).hexdigest()


class Placer:
    def __init__(self, slots: list[Slot]):
        items = sorted(
            (s for s in slots if s.kind == "item" and s.starts_at is not None), key=lambda s: s.starts_at
        )
        self.items = items
        self.starts = [s.starts_at for s in items]
        self.opening = next((s.key for s in slots if s.kind == "opening"), None)
        self.closing = next((s.key for s in reversed(slots) if s.kind == "closing"), None)
        fallback = [s.key for s in slots]
        self.first = self.opening if self.opening is not None else (fallback[0] if fallback else None)
        self.last_end = max((s.ends_at or s.starts_at for s in items), default=None)

    def section_at(self, moment: datetime) -> int | None:
        if not self.items:
            return self.first
        index = bisect.bisect_right(self.starts, moment) - 1
        if index < 0:
            return self.first
        item = self.items[index]
        if index == len(self.items) - 1 and self.last_end is not None and moment >= self.last_end:
            return self.closing if self.closing is not None else item.key
        return item.key


def group(
    cues: list[Cue], slots: list[Slot], recording_started_at: datetime, *, section: int | None = None
) -> list[Group]:
    """Consecutive cues of one speaker in one section joined, in the transcript's order.

    `section` places every cue there (plain text, or when the uploader says so).
    """
    placer = Placer(slots)
    groups: list[Group] = []
    current: Group | None = None
    for position, cue in enumerate(cues):
        start = recording_started_at + timedelta(milliseconds=cue.start_ms or 0)
        end = recording_started_at + timedelta(milliseconds=cue.end_ms or cue.start_ms or 0)
        key = section if section is not None else placer.section_at(start)
        # Plain text has no times: its line number tells two equal lines apart.
        when = f"{start.isoformat()}|{end.isoformat()}" if cue.start_ms is not None else f"line {position}"
        part = f"{when}|{cue.speaker}|{cue.text}"
        if current is not None and current.section == key and current.speaker == cue.speaker:
            current.texts.append(cue.text)
            current.ends_at = max(current.ends_at, end)
            current.fingerprint_parts.append(part)
            continue
        current = Group(key, cue.speaker, start, end, [cue.text], [part])
        groups.append(current)
    return groups
