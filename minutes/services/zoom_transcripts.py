"""Zoom's cloud transcripts: fetched after the meeting, offered to the secretaries, imported on request.

Zoom makes a transcript minutes to hours after a recorded meeting ends. Sinergi learns of it in
two ways (minutes.receivers): the `recording.transcript_completed` webhook, whose payload lists
the files and carries a download token, or, after `meeting.ended`, by polling the meeting's
recordings a bounded number of times (minutes.tasks). Each TRANSCRIPT file is downloaded once
(with a timeout and the transcript import's size limit), checked to be readable and kept as a
`ZoomTranscript`; nothing enters the minutes until a secretary imports it, which runs the
ordinary transcript import with the file's `recording_start` as the origin of its cues' times.

Downloads happen outside any database transaction (a slow Zoom holds no lock); storing is
idempotent (one row per Zoom file id), so the webhook and a poll may both run.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.audit import record
from core.text import is_id
from meetings.conferencing import zoom_api
from meetings.conferencing.zoom_api import ZoomError
from meetings.models import Meeting, MeetingDay, OnlineRoom

from ..models import Minutes, ZoomTranscript
from ..transcripts import parsing
from .transcripts import ImportResult, import_transcript

logger = logging.getLogger(__name__)

TRANSCRIPT = "TRANSCRIPT"
MAX_BYTES = parsing.MAX_BYTES  # what the transcript import would accept anyway
CHUNK_BYTES = 64 * 1024
# The first poll after the meeting ended, then the waits between polls while Zoom has no
# transcript yet: about fifteen hours in all, then Sinergi stops asking.
FIRST_POLL = timedelta(minutes=30)
POLL_RETRY_DELAYS = (timedelta(hours=1), timedelta(hours=2), timedelta(hours=4), timedelta(hours=8))


class Refused(ZoomError):
    """A download that trying again will not mend: too large, not Zoom's link, no token."""


@dataclass
class FetchResult:
    fetched: list[ZoomTranscript] = field(default_factory=list)  # downloaded by this call
    failed: list[ZoomTranscript] = field(default_factory=list)  # a download failed (row.error says why)
    waiting: bool = False  # Zoom has no (finished) transcript yet, or a download failed for now


def zoom_room(meeting: Meeting) -> OnlineRoom | None:
    room = OnlineRoom.objects.filter(meeting_id=meeting.pk).first()
    if room is None or room.provider != OnlineRoom.Provider.ZOOM or not room.provider_id:
        return None
    return room


def _moment(value) -> datetime | None:
    moment = parse_datetime(value) if isinstance(value, str) and value else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def _trusted(url: str) -> bool:
    """Whether a download link may be given a token: Zoom's own hosts (over HTTPS), or the host of
    the configured API (a local fake in tests). A link naming another host would receive the
    account's access token otherwise."""
    link, api = urlsplit(url), urlsplit(settings.ZOOM_API_BASE_URL)
    host, api_host = (link.hostname or "").lower(), (api.hostname or "").lower()
    if not host:
        return False
    if (link.scheme, host, link.port) == (api.scheme, api_host, api.port):
        return True
    try:
        ipaddress.ip_address(api_host)
        return False
    except ValueError:
        pass
    domain = ".".join(api_host.split(".")[-2:])  # api.zoom.us → zoom.us
    return link.scheme == "https" and (host == domain or host.endswith("." + domain))


def _zoom_message(response, default: str) -> str:
    try:
        body = response.json()
    except ValueError:
        return default
    if isinstance(body, dict):
        return str(body.get("message") or body.get("reason") or default)
    return default


def download(url: str, *, download_token: str = "") -> bytes:
    """The file's bytes: with the webhook's download token, else the account's OAuth token.

    Zoom answers with a redirect to its storage; requests follows it (and drops the
    Authorization header if the host changes, as it should). At most MAX_BYTES, and the whole
    download within a few timeouts' time, however slowly the bytes trickle in.
    """
    if not _trusted(url):
        raise Refused(f"the download link is not Zoom's ({urlsplit(url).hostname or url[:60]})")
    refreshed = False
    while True:
        params, headers = {}, {}
        if download_token:
            params["access_token"] = download_token
        elif zoom_api.configured():
            headers["Authorization"] = f"Bearer {zoom_api.access_token(fresh=refreshed)}"
        else:
            raise Refused("no download token, and Zoom is not configured on this server")
        timeout = settings.ZOOM_TIMEOUT_SECONDS
        deadline = time.monotonic() + 6 * timeout
        try:
            with requests.get(url, params=params, headers=headers, timeout=timeout, stream=True) as response:
                status = response.status_code
                if status == 401 and not download_token and not refreshed:
                    refreshed = True  # the cached token expired: once with a fresh one
                    continue
                if status == 401 and download_token and zoom_api.configured():
                    download_token = ""  # the webhook's token lives 24 hours: the account's then
                    continue
                if status != 200:
                    raise ZoomError(_zoom_message(response, response.reason or "error"), status=status)
                declared = response.headers.get("Content-Length", "")
                if is_id(declared) and int(declared) > MAX_BYTES:
                    raise Refused(f"the transcript is larger than {MAX_BYTES // (1024 * 1024)} MB")
                data = bytearray()
                for chunk in response.iter_content(CHUNK_BYTES):
                    data += chunk
                    if len(data) > MAX_BYTES:
                        raise Refused(f"the transcript is larger than {MAX_BYTES // (1024 * 1024)} MB")
                    if time.monotonic() > deadline:
                        raise ZoomError("the download took too long")
                return bytes(data)
        except requests.RequestException as exc:
            raise ZoomError(f"the download failed ({exc.__class__.__name__})") from exc


def _transient(error: ZoomError) -> bool:
    """Worth trying again later: no answer, Zoom's own trouble, or its rate limit."""
    if isinstance(error, Refused):
        return False
    return error.status in (0, 429) or error.status >= 500


def _transcript_files(recording: dict) -> tuple[list[dict], bool]:
    """The recording's transcript files ready to download, and whether one is still being made."""
    ready, unfinished = [], False
    for item in recording.get("recording_files") or []:
        if str(item.get("file_type", "")).upper() != TRANSCRIPT or not item.get("id"):
            continue
        if item.get("status", "completed") != "completed" or not item.get("download_url"):
            unfinished = True
            continue
        ready.append(item)
    return ready, unfinished


def _recordings(room: OnlineRoom, api: zoom_api.ZoomApi | None) -> dict | None:
    """GET /meetings/{id}/recordings (the latest instance's); None while Zoom has none."""
    api = api or zoom_api.ZoomApi()
    try:
        return api.call("recording", "get", ok=(200,), meeting_id=room.provider_id).json()
    except ZoomError as error:
        if error.not_found:
            return None
        raise


def fetch_transcripts(
    meeting: Meeting,
    *,
    api: zoom_api.ZoomApi | None = None,
    download_token: str = "",
    recording: dict | None = None,
) -> FetchResult:
    """Download every transcript of the meeting's Zoom recording not yet stored; safe to repeat.

    `recording` is a webhook's payload object (its `recording_files` name the files, so no API
    call is needed); without it the recordings are asked for. A ZoomError other than "no
    recording" from that request is raised; a failed download is kept on its row (`error`).
    """
    result = FetchResult()
    room = zoom_room(meeting)
    if room is None:
        return result
    files, unfinished = _transcript_files(recording or {})
    if not files:
        if not zoom_api.configured():
            return result  # nothing to download, and no account to ask Zoom with
        recording = _recordings(room, api)
        if recording is None:
            result.waiting = True
            return result
        files, unfinished = _transcript_files(recording)
    result.waiting = unfinished or not files
    uuid = str(recording.get("uuid") or "")[:128]
    for item in files:
        start = _moment(item.get("recording_start")) or _moment(recording.get("start_time"))
        if start is None:
            logger.warning("zoom transcript %s of meeting %s has no start time", item["id"], meeting.pk)
            continue
        offered, _created = ZoomTranscript.objects.get_or_create(
            zoom_file_id=str(item["id"])[:128],
            defaults={
                "meeting": meeting,
                "zoom_meeting_uuid": uuid,
                "recording_start": start,
                "recording_end": _moment(item.get("recording_end")),
                "download_url": str(item["download_url"])[:2000],
            },
        )
        if offered.meeting_id != meeting.pk or offered.downloaded:
            continue
        try:
            data = download(str(item["download_url"]), download_token=download_token)
            parsing.parse(data)  # refused here, where the reason can be kept, not at import
        except ZoomError as error:
            logger.warning("zoom transcript %s of meeting %s: %s", offered.zoom_file_id, meeting.pk, error)
            _save(offered, error=str(error)[:2000], download_url=str(item["download_url"])[:2000])
            result.failed.append(offered)
            result.waiting = result.waiting or _transient(error)
            continue
        except ValidationError as error:
            _save(offered, error=" ".join(error.messages)[:2000])
            result.failed.append(offered)
            continue
        with transaction.atomic():
            _save(offered, text=parsing.decode(data), size=len(data), fetched_at=timezone.now(), error="")
            record(
                meeting, "minutes.zoom_transcript_fetched", None, file=offered.zoom_file_id, size=len(data)
            )
        result.fetched.append(offered)
    return result


def _save(offered: ZoomTranscript, **fields) -> None:
    for name, value in fields.items():
        setattr(offered, name, value)
    offered.save(update_fields=list(fields))


def poll(
    meeting_id: int, *, attempt: int = 0, download_token: str = "", recording: dict | None = None
) -> str:
    """The task's work: fetch, and while Zoom has nothing yet, ask again later (a bounded number
    of times, waiting longer each time). What happened, as a word for the task's result."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or zoom_room(meeting) is None:
        return "nothing"
    try:
        result = fetch_transcripts(meeting, download_token=download_token, recording=recording)
    except ZoomError as error:
        if not _transient(error):
            logger.error("zoom transcripts of meeting %s: %s", meeting_id, error)
            raise
        result = FetchResult(waiting=True)
    if result.waiting and attempt < len(POLL_RETRY_DELAYS):
        schedule_poll(meeting_id, attempt=attempt + 1, download_token=download_token, recording=recording)
        return "waiting" if not result.fetched else "fetched, waiting"
    if result.fetched:
        return "fetched"
    return "failed" if result.failed else ("gave up" if result.waiting else "nothing new")


def schedule_poll(
    meeting_id: int, *, attempt: int = 0, download_token: str = "", recording: dict | None = None
) -> None:
    """Enqueue a poll: the first FIRST_POLL from now, later ones after POLL_RETRY_DELAYS."""
    from ..tasks import fetch_zoom_transcripts

    delay = FIRST_POLL if attempt == 0 else POLL_RETRY_DELAYS[attempt - 1]
    fetch_zoom_transcripts.using(run_after=timezone.now() + delay).enqueue(
        meeting_id, download_token, recording, attempt
    )


def offered_transcripts(meeting: Meeting):
    """The meeting's transcripts from Zoom, oldest recording first (their text not loaded)."""
    return ZoomTranscript.objects.filter(meeting=meeting).defer("text").order_by("recording_start", "id")


def _day_of(meeting: Meeting, moment: datetime) -> MeetingDay | None:
    local = timezone.localtime(moment, meeting.tz).date()
    return MeetingDay.objects.filter(meeting=meeting, date=local).first()


def import_offered(offered: ZoomTranscript, minutes: Minutes, *, author) -> ImportResult:
    """Import a transcript from Zoom into the minutes as draft points, timed from its recording's start."""
    if offered.meeting_id != minutes.meeting_id:
        raise ValidationError(_("This transcript is not one of this meeting's."))
    offered = ZoomTranscript.objects.get(pk=offered.pk)  # with its text
    if not offered.downloaded:
        raise ValidationError(_("This transcript has not been downloaded from Zoom yet."))
    meeting = minutes.meeting
    local = timezone.localtime(offered.recording_start, meeting.tz)
    name = f"zoom-{local:%Y%m%d-%H%M}.transcript.vtt"
    with transaction.atomic():
        result = import_transcript(
            minutes,
            ContentFile(offered.text.encode("utf-8"), name=name),
            author=author,
            day=_day_of(meeting, offered.recording_start),
            recording_started_at=offered.recording_start,
        )
        _save(
            offered,
            imported_at=timezone.now(),
            imported_by=author if getattr(author, "is_authenticated", False) else None,
            transcript=result.transcript,
        )
    return result
