"""Transcripts from Zoom: fetched after the meeting (webhook or polling), offered, imported by time."""

from datetime import UTC, datetime, timedelta

import pytest
import requests
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.models import OnlineRoom
from meetings.signals import zoom_meeting_ended, zoom_transcript_ready
from minutes.models import DraftPoint, Minutes, TranscriptImport, ZoomTranscript
from minutes.services import zoom_transcripts
from minutes.services.preparation import prepare_minutes
from participants.models import Registration
from tests.conftest import login
from tests.factories import MeetingDayFactory, MeetingFactory, OnlineRoomFactory, UserFactory
from tests.minutes.transcripts.conftest import ZOOM_VTT

pytestmark = pytest.mark.django_db

TASK = "minutes.tasks.fetch_zoom_transcripts"
ZOOM_ID = "81234567890"
# The meeting (tests/conftest.py) opens at 09.00 WIB with "Pembukaan" until 10.00, then "Paparan
# Narasumber". The recording started at 09.55: a cue 9 min 55 s in was said at 10.04.55, in the
# presentation; timed from the day's start, every cue would have landed in the opening.
STARTED = "2031-09-22T02:55:00Z"
LEAKY = "peningkatan pengaduan PMI nonprosedural"  # said in the transcript only


@pytest.fixture
def minutes(meeting, organizer):
    return prepare_minutes(meeting, author=organizer)


@pytest.fixture
def room(meeting):
    return OnlineRoomFactory(meeting=meeting, provider=OnlineRoom.Provider.ZOOM, provider_id=ZOOM_ID)


def recording(fake, *, file_id="tr-1", start=STARTED, status="completed") -> dict:
    """As Zoom's GET /meetings/{id}/recordings and the transcript_completed webhook describe it."""
    end = "2031-09-22T03:40:00Z"
    return {
        "uuid": "inst-1==",
        "id": int(ZOOM_ID),
        "topic": "FGD Pengawasan P3MI",
        "start_time": start,
        "recording_files": [
            {
                "id": "mp4-1",
                "file_type": "MP4",
                "file_extension": "MP4",
                "recording_start": start,
                "recording_end": end,
                "download_url": f"{fake.base_url}/rec/download/mp4-1",
                "status": "completed",
            },
            {
                "id": file_id,
                "file_type": "TRANSCRIPT",
                "file_extension": "VTT",
                "recording_start": start,
                "recording_end": end,
                "download_url": f"{fake.base_url}/rec/download/{file_id}",
                "status": status,
            },
        ],
    }


def downloads(fake) -> list:
    return [r for r in fake.requests if r.path.startswith("/rec/download/")]


def queued() -> list[tuple[list, datetime]]:
    rows = DBTaskResult.objects.filter(task_path=TASK, status="READY").order_by("run_after", "pk")
    return [(row.args_kwargs["args"], row.run_after) for row in rows]


def make_due() -> None:
    DBTaskResult.objects.filter(task_path=TASK, status="READY").update(run_after=timezone.now())


def page_url(meeting):
    return reverse("minutes:transcripts", kwargs={"code": meeting.code})


def import_url(meeting, offered):
    return reverse("minutes:zoom_transcript_import", kwargs={"code": meeting.code, "pk": offered.pk})


@pytest.fixture
def offered(fake_zoom, meeting, room):
    fake_zoom.files["/rec/download/tr-1"] = ZOOM_VTT.encode()
    fake_zoom.download_tokens.add("dl-token")
    result = zoom_transcripts.fetch_transcripts(
        meeting, download_token="dl-token", recording=recording(fake_zoom)
    )
    assert result.fetched
    return ZoomTranscript.objects.get()


# Fetching ----------------------------------------------------------------------------------------


def test_the_webhook_signal_fetches_the_transcript_with_its_token_and_offers_it(
    fake_zoom, meeting, room, run_tasks, client, secretary
):
    fake_zoom.files["/rec/download/tr-1"] = ZOOM_VTT.encode()
    fake_zoom.download_tokens.add("dl-token")
    with transaction.atomic():
        zoom_transcript_ready.send(
            sender=OnlineRoom,
            room=room,
            meeting=meeting,
            recording=recording(fake_zoom),
            download_token="dl-token",
        )
    assert [args for args, _when in queued()][0][:2] == [meeting.pk, "dl-token"]
    assert run_tasks() == 1
    offered = ZoomTranscript.objects.get()
    assert (offered.meeting, offered.zoom_file_id, offered.zoom_meeting_uuid) == (meeting, "tr-1", "inst-1==")
    assert offered.recording_start == datetime(2031, 9, 22, 2, 55, tzinfo=UTC)
    assert (offered.text, offered.size, offered.error) == (ZOOM_VTT, len(ZOOM_VTT.encode()), "")
    assert offered.fetched_at is not None
    assert offered.imported_at is None
    # The webhook's token, in the query; no API call and no OAuth token were needed; only the
    # transcript was downloaded, not the video.
    assert [(r.path, r.query, r.headers.get("Authorization")) for r in downloads(fake_zoom)] == [
        ("/rec/download/tr-1", {"access_token": "dl-token"}, None)
    ]
    assert fake_zoom.calls("GET", "/meetings/") == []
    assert fake_zoom.tokens == []
    assert queued() == []
    # Offered on the transcript import page, with an Import button.
    login(client, secretary)
    html = client.get(page_url(meeting)).content.decode()
    assert 'id="zoom-transcript-table"' in html
    assert "22 September 2031 09.55 WIB" in html
    assert f'action="{import_url(meeting, offered)}"' in html
    assert LEAKY not in html  # the text is for the review page, after the import


def test_after_the_meeting_ended_zoom_is_polled_until_the_transcript_is_there(
    fake_zoom, meeting, room, run_tasks
):
    before = timezone.now()
    with transaction.atomic():
        zoom_meeting_ended.send(
            sender=OnlineRoom, room=room, meeting=meeting, zoom_uuid="inst-1==", ended_at=STARTED
        )
    [(args, when)] = queued()
    assert args == [meeting.pk, "", None, 0]
    assert before + timedelta(minutes=30) <= when <= timezone.now() + timedelta(minutes=30)
    assert run_tasks() == 0  # not due yet
    # Half an hour later Zoom has no recording yet (404): asked again an hour later.
    make_due()
    run_tasks()
    assert [r.path for r in fake_zoom.calls("GET")] == [f"/meetings/{ZOOM_ID}/recordings"]
    [(args, when)] = queued()
    assert args == [meeting.pk, "", None, 1]
    assert when >= timezone.now() + timedelta(minutes=59)
    assert ZoomTranscript.objects.count() == 0
    # Then the recording is there, its transcript still being made: asked again later still.
    fake_zoom.recordings[ZOOM_ID] = recording(fake_zoom, status="processing")
    make_due()
    run_tasks()
    assert [args for args, _when in queued()] == [[meeting.pk, "", None, 2]]
    assert ZoomTranscript.objects.count() == 0
    assert downloads(fake_zoom) == []
    # Then it is done: downloaded with the account's token (no webhook token here), and no more polls.
    fake_zoom.recordings[ZOOM_ID] = recording(fake_zoom)
    fake_zoom.files["/rec/download/tr-1"] = ZOOM_VTT.encode()
    make_due()
    run_tasks()
    assert [(r.query, r.headers.get("Authorization")) for r in downloads(fake_zoom)] == [
        ({}, "Bearer token-1")
    ]
    assert ZoomTranscript.objects.get().text == ZOOM_VTT
    assert queued() == []


def test_polling_stops_after_a_bounded_number_of_tries(fake_zoom, meeting, room, run_tasks):
    with transaction.atomic():
        zoom_meeting_ended.send(
            sender=OnlineRoom, room=room, meeting=meeting, zoom_uuid="x", ended_at=STARTED
        )
    attempts = []
    while queued():
        attempts.append(queued()[0][0][3])
        make_due()
        run_tasks()
    assert attempts == [0, 1, 2, 3, 4]
    assert len(fake_zoom.calls("GET", "/meetings/")) == 5
    assert ZoomTranscript.objects.count() == 0


def test_a_meeting_without_a_zoom_room_is_not_polled(fake_zoom, meeting, run_tasks):
    room = OnlineRoomFactory(meeting=meeting, provider=OnlineRoom.Provider.MANUAL)
    with transaction.atomic():
        zoom_meeting_ended.send(
            sender=OnlineRoom, room=room, meeting=meeting, zoom_uuid="x", ended_at=STARTED
        )
    assert queued() == []


def test_fetching_again_downloads_nothing_twice(fake_zoom, meeting, room, offered):
    fake_zoom.recordings[ZOOM_ID] = recording(fake_zoom)
    again = zoom_transcripts.fetch_transcripts(meeting)
    assert (again.fetched, again.failed, again.waiting) == ([], [], False)
    again = zoom_transcripts.fetch_transcripts(
        meeting, download_token="dl-token", recording=recording(fake_zoom)
    )
    assert again.fetched == []
    assert len(downloads(fake_zoom)) == 1
    assert list(ZoomTranscript.objects.values_list("zoom_file_id", flat=True)) == ["tr-1"]


def test_a_download_without_a_valid_token_is_refused_and_shown(
    fake_zoom, meeting, room, settings, client, secretary
):
    fake_zoom.files["/rec/download/tr-1"] = ZOOM_VTT.encode()
    # The fake refuses a download without a token, as Zoom does (so the tests above mean something).
    url = f"{fake_zoom.base_url}/rec/download/tr-1"
    assert requests.get(url, timeout=2).status_code == 401
    assert requests.get(url, params={"access_token": "guess"}, timeout=2).status_code == 401
    # Zoom not configured here: only the webhook's (wrong) token can be tried.
    settings.ZOOM_ACCOUNT_ID = settings.ZOOM_CLIENT_ID = settings.ZOOM_CLIENT_SECRET = ""
    result = zoom_transcripts.fetch_transcripts(
        meeting, download_token="stale", recording=recording(fake_zoom)
    )
    assert (result.fetched, result.waiting) == ([], False)
    offered = ZoomTranscript.objects.get()
    assert (offered.text, offered.fetched_at, offered.error) == ("", None, "Zoom 401: Invalid access token.")
    login(client, secretary)
    html = client.get(page_url(meeting)).content.decode()
    assert "Belum diunduh: Zoom 401: Invalid access token." in html
    assert f'action="{import_url(meeting, offered)}"' not in html
    # Importing it anyway is refused with the reason.
    response = client.post(import_url(meeting, offered), follow=True)
    assert "Transkrip ini belum diunduh dari Zoom." in response.content.decode()
    assert TranscriptImport.objects.count() == 0


def test_a_download_zoom_fails_for_now_is_tried_again_later(fake_zoom, meeting, room, run_tasks):
    fake_zoom.files["/rec/download/tr-1"] = ZOOM_VTT.encode()
    fake_zoom.download_tokens.add("dl-token")
    fake_zoom.fail("GET", "/rec/download/tr-1", 503, body={"code": 503, "message": "Service unavailable."})
    with transaction.atomic():
        zoom_transcript_ready.send(
            sender=OnlineRoom,
            room=room,
            meeting=meeting,
            recording=recording(fake_zoom),
            download_token="dl-token",
        )
    run_tasks()
    offered = ZoomTranscript.objects.get()
    assert (offered.text, offered.error) == ("", "Zoom 503: Service unavailable.")
    [(args, when)] = queued()
    assert args[:2] == [meeting.pk, "dl-token"]
    assert args[3] == 1
    assert when >= timezone.now() + timedelta(minutes=59)
    make_due()
    run_tasks()
    offered.refresh_from_db()
    assert (offered.text, offered.error) == (ZOOM_VTT, "")
    assert queued() == []


def test_a_link_to_another_host_gets_no_token(fake_zoom, meeting, room):
    payload = recording(fake_zoom)
    payload["recording_files"][1]["download_url"] = "https://zoom.example.net/rec/download/tr-1"
    result = zoom_transcripts.fetch_transcripts(meeting, download_token="dl-token", recording=payload)
    assert [o.error for o in result.failed] == ["Zoom: the download link is not Zoom's (zoom.example.net)"]
    assert fake_zoom.requests == []


def test_a_transcript_over_the_size_limit_is_not_kept(fake_zoom, meeting, room):
    fake_zoom.files["/rec/download/tr-1"] = b"WEBVTT\n\n" + b"a" * (5 * 1024 * 1024)
    fake_zoom.download_tokens.add("dl-token")
    result = zoom_transcripts.fetch_transcripts(
        meeting, download_token="dl-token", recording=recording(fake_zoom)
    )
    assert [(o.error, o.text) for o in result.failed] == [("Zoom: the transcript is larger than 5 MB", "")]
    assert result.waiting is False


# Importing ---------------------------------------------------------------------------------------


def test_importing_places_the_cues_by_the_recordings_start(client, meeting, minutes, offered, secretary):
    login(client, secretary)
    response = client.post(import_url(meeting, offered))
    transcript = TranscriptImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "minutes:transcript_review", kwargs={"code": meeting.code, "pk": transcript.pk}
    )
    assert transcript.recording_started_at == datetime(2031, 9, 22, 2, 55, tzinfo=UTC)
    first_day = meeting.days.order_by("date").first()
    assert (transcript.minutes, transcript.day, transcript.uploaded_by) == (minutes, first_day, secretary)
    drafts = DraftPoint.objects.filter(transcript=transcript).order_by("starts_at", "id")
    assert [
        (d.section.title, d.speaker_label, timezone.localtime(d.starts_at, meeting.tz).strftime("%H.%M.%S"))
        for d in drafts
    ] == [
        ("Pembukaan", "Lismia Elita", "09.55.05"),
        ("Paparan Narasumber", "Rendra S - Kemnaker", "10.04.55"),
        ("Paparan Narasumber", "Siti N (BP2MI)", "10.07.30"),
        ("Paparan Narasumber", "iPhone Galaxy", "10.09.02"),
        ("Paparan Narasumber", "Rendra S - Kemnaker", "10.15.01"),
        ("Paparan Narasumber", "Lismia Elita", "10.26.00"),
    ]
    offered.refresh_from_db()
    assert (offered.imported_by, offered.transcript) == (secretary, transcript)
    # The page now links to the review instead of offering the import again.
    html = client.get(page_url(meeting)).content.decode()
    assert f'action="{import_url(meeting, offered)}"' not in html
    assert "Diimpor: tinjau drafnya" in html
    # A second POST adds nothing.
    client.post(import_url(meeting, offered))
    assert DraftPoint.objects.count() == 6
    assert TranscriptImport.objects.count() == 1


def test_the_import_prepares_the_minutes_when_there_are_none_yet(client, meeting, offered, secretary):
    login(client, secretary)
    assert Minutes.objects.count() == 0
    assert client.post(import_url(meeting, offered)).status_code == 302
    assert DraftPoint.objects.filter(transcript__minutes=Minutes.objects.get()).count() == 6


def test_a_submitted_version_takes_no_import(client, meeting, minutes, offered, secretary):
    Minutes.objects.filter(pk=minutes.pk).update(state=Minutes.State.SUBMITTED)
    login(client, secretary)
    assert client.post(import_url(meeting, offered)).status_code == 403
    assert TranscriptImport.objects.count() == 0


def test_outsiders_see_nothing_of_it_and_import_nothing(client, meeting, minutes, offered):
    assert LEAKY in ZoomTranscript.objects.get().text  # there is something that could leak
    other_secretary = UserFactory(email="lain@example.test")
    other = MeetingFactory(secretaries=[other_secretary])
    MeetingDayFactory(meeting=other)
    prepare_minutes(other, author=other_secretary)
    participant = UserFactory(email="siti@example.test")
    Registration.objects.create(
        meeting=meeting,
        full_name="Siti Nurhaliza",
        email=participant.email,
        mode=Registration.Mode.ONLINE,
        state=Registration.State.CONFIRMED,
    )
    for user in (other_secretary, participant):
        login(client, user)
        for response in (client.get(page_url(meeting)), client.post(import_url(meeting, offered))):
            assert response.status_code == 404
            assert LEAKY not in response.content.decode()
        # Their own meeting's code does not reach this meeting's transcript either.
        response = client.post(import_url(other, offered))
        assert response.status_code == 404
    client.logout()
    response = client.post(import_url(meeting, offered))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert LEAKY not in client.get(page_url(meeting)).content.decode()
    assert TranscriptImport.objects.count() == 0
    assert ZoomTranscript.objects.get().imported_at is None
