"""Background tasks of the minutes app."""

from django_tasks import task

# Transcripts from Zoom (minutes.receivers, minutes.services.zoom_transcripts) -------------------


@task()
def fetch_zoom_transcripts(
    meeting_id: int, download_token: str = "", recording: dict | None = None, attempt: int = 0
) -> str:
    """Download the meeting's new Zoom transcripts; while Zoom has none yet, enqueue the next poll.

    Safe to run twice: a transcript already stored is not downloaded again.
    """
    from .services.zoom_transcripts import poll

    return poll(meeting_id, attempt=attempt, download_token=download_token, recording=recording)
