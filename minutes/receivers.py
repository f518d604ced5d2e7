"""Every reaction of the minutes app to signals: Zoom's transcripts are fetched and offered;
the agency invitation emails carry the meeting's invitation letter.

The Zoom webhook's task sends these inside its transaction; each receiver only enqueues a task
(minutes.tasks) in that same transaction, so the webhook stays quick and no download runs while
a transaction is open.
"""

from __future__ import annotations

from meetings.models import Meeting, OnlineRoom
from meetings.signals import zoom_meeting_ended, zoom_transcript_ready
from participants.signals import invitation_attachments

# What a task needs of a webhook's recording object (the rest of it is not kept in the queue).
RECORDING_KEYS = ("uuid", "id", "start_time")
FILE_KEYS = ("id", "file_type", "status", "recording_start", "recording_end", "download_url")


def _recording(recording: dict | None) -> dict:
    recording = recording or {}
    kept = {key: recording[key] for key in RECORDING_KEYS if key in recording}
    kept["recording_files"] = [
        {key: item[key] for key in FILE_KEYS if key in item}
        for item in recording.get("recording_files") or []
        if str(item.get("file_type", "")).upper() == "TRANSCRIPT"
    ]
    return kept


def on_transcript_ready(
    sender,
    room: OnlineRoom,
    meeting: Meeting,
    recording: dict | None = None,
    download_token: str = "",
    **kwargs,
) -> None:
    """`recording.transcript_completed`: download it now, with the token the webhook brought."""
    if room.provider != OnlineRoom.Provider.ZOOM:
        return
    from .tasks import fetch_zoom_transcripts

    fetch_zoom_transcripts.enqueue(meeting.pk, download_token or "", _recording(recording), 0)


def on_meeting_ended(sender, room: OnlineRoom, meeting: Meeting, **kwargs) -> None:
    """One day of the Zoom meeting ended: look for its transcript later (Zoom needs a while)."""
    if room.provider != OnlineRoom.Provider.ZOOM:
        return
    from .services.zoom_transcripts import schedule_poll

    schedule_poll(meeting.pk)


def invitation_letter(sender, invitation, **kwargs) -> list:
    """The agency invitation email carries the meeting's sent Surat Undangan: the agency's own
    letter, else the one letter addressed to every invited agency."""
    from core.mail import Attachment

    from .documents import letter as letter_document
    from .documents.toolkit import DOCX_MIME
    from .services.letters import sent_letter_for

    letter = sent_letter_for(invitation)
    if letter is None:
        return []
    # An official letter: in Indonesian whatever the language of the email around it.
    data = letter_document.render(letter, language="id")
    return [Attachment(letter_document.filename(letter), DOCX_MIME, data)]


def connect() -> None:
    """Called once from MinutesConfig.ready."""
    invitation_attachments.connect(invitation_letter, dispatch_uid="minutes.receivers.invitation_letter")
    zoom_transcript_ready.connect(on_transcript_ready, dispatch_uid="minutes.receivers.transcript_ready")
    zoom_meeting_ended.connect(on_meeting_ended, dispatch_uid="minutes.receivers.meeting_ended")
