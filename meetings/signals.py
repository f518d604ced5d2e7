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

# Zoom (meetings.conferencing.webhooks, .sync). Each is sent from a task, inside a transaction.
#
# sender=OnlineRoom, room=<the OnlineRoom>, meeting=<its Meeting>, created=<bool: a new Zoom
# meeting was made, so links of an earlier one are void>. The Zoom meeting exists and matches
# the schedule (after a create or an update): registrants can be added to it.
online_room_ready = Signal()

# sender=OnlineRoom, room=..., meeting=..., event=<"meeting.participant_joined" or
# "meeting.participant_left">, participant={"user_name", "email", "registrant_id",
# "participant_user_id", "id", "join_time" / "leave_time" (UTC, "Z")}, occurred_at=<ISO str>.
zoom_participant_event = Signal()

# sender=OnlineRoom, room=..., meeting=..., zoom_uuid=<the instance's uuid>, ended_at=<ISO str>.
# One occurrence (one day) of the Zoom meeting ended: its participants report can be imported
# (Zoom has it a few minutes later) and its recordings looked for.
zoom_meeting_ended = Signal()

# sender=OnlineRoom, room=..., meeting=..., recording=<the webhook's payload.object: uuid, id,
# topic, start_time, recording_files=[{id, file_type, recording_start, download_url, ...}]>,
# download_token=<str, "" when absent>. A cloud transcript is ready to download.
zoom_transcript_ready = Signal()

# sender=Meeting, source=<the template Meeting>, copy=<the new draft Meeting>, actor=...
# Sent by meetings.copying inside its transaction, after the copy's days exist: apps above copy
# what they keep of the template (participants: the agency invitations, unsent, with new links),
# shifting dates with meetings.copying.shift(value, source, copy).
meeting_copied = Signal()
