"""Signals sent by meeting services, so higher apps can react without being imported here.

All are sent inside the service's transaction, after the change is written: a receiver that
enqueues work (a task row) commits or rolls back together with the change that caused it.
Every payload is JSON-serialisable, so a receiver can hand it to a task as it is.
"""

from django.dispatch import Signal

# sender=Meeting, meeting=..., actor=..., old_status=..., new_status=..., sequence=<calendar
# sequence after the change>, reason=<text, "" unless given (cancel)>
meeting_status_changed = Signal()

# sender=Meeting, meeting=..., actor=..., sequence=<the raised calendar sequence>,
# changes=[{"field": ..., "old": ..., "new": ...}], removed_days=[day dicts].
# Sent when days, times, the venue, the time zone or the online room's link change after
# publishing. "field" is a meeting field (timezone, venue_name, venue_address, venue_room: old
# and new are strings), "join_url" (strings), or "day" (old and new are day dicts; old is None
# for an added day, new is None for a removed one). A day dict is
# {"id": pk, "date": "YYYY-MM-DD", "start_time": "HH:MM:SS", "end_time": "HH:MM:SS"}.
meeting_schedule_changed = Signal()

# sender=Meeting, meeting=<the locked, saved meeting>, actor=..., changes={field: (old, new)}.
# Sent when the mode or a capacity changes, so the waiting lists can fill the seats that opened.
# The meeting's row stays locked until the transaction ends: seat decisions made by receivers
# cannot interleave with registrations.
meeting_seats_changed = Signal()
