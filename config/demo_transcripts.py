"""Demo data: the sample Zoom transcript imported into an upcoming meeting's draft minutes, so the
review page has drafts to accept (docs/samples holds the file; see the README)."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Meeting
from minutes.models import Minutes
from minutes.services.preparation import prepare_minutes
from minutes.services.transcripts import ImportResult, import_transcript

SAMPLE = (
    Path(__file__).resolve().parent.parent
    / "docs"
    / "samples"
    / "zoom-sosialisasi-pengaduan-cpmi.transcript.vtt"
)
MEETING_TITLE = "Sosialisasi Tata Cara Pengaduan bagi Calon Pekerja Migran Indonesia"


def import_sample_transcript(*, author, title: str = MEETING_TITLE) -> ImportResult | None:
    """Import the sample into the meeting's draft minutes (prepared when there are none yet).

    Idempotent: the same file is recognised and adds nothing. Nothing happens when the meeting
    is missing or its latest minutes are no longer a draft.
    """
    meeting = Meeting.objects.filter(title=title).first()
    if meeting is None:
        return None
    minutes = prepare_minutes(meeting, author=author)
    if minutes.state != Minutes.State.DRAFT:
        return None
    upload = SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes(), content_type="text/vtt")
    return import_transcript(minutes, upload, author=author)
