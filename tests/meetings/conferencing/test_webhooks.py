"""Zoom's webhook through the real stack: signature, freshness, replays, the URL validation, and
what each event does once its task has run."""

import hashlib
import hmac
import json
import time
from datetime import date
from datetime import time as clock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from core import audit
from core.models import AuditEntry, OutgoingEmail
from meetings import notifications, signals
from meetings.conferencing import sync, webhooks
from meetings.models import Meeting, MeetingDay, OnlineRoom, ZoomWebhookEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret"
ZOOM_ID = "81234567890"
URL = "/zoom/webhook/"
# What the sync sent for the `meeting` fixture (22 Sep 09:00–15:00 and 23 Sep 09:00–12:00 WIB).
DAY_1 = {"id": "1947808800000", "start": "2031-09-22T02:00:00Z", "duration": 360}
DAY_2 = {"id": "1947895200000", "start": "2031-09-23T02:00:00Z", "duration": 180}
SERIES = "2031-09-22|2031-09-23|2031-09-22T02:00:00Z|360"


@pytest.fixture
def secret(settings):
    settings.ZOOM_WEBHOOK_SECRET = SECRET
    settings.ZOOM_WEBHOOK_MAX_AGE_SECONDS = 300
    return SECRET


@pytest.fixture
def room(published_meeting, secret):
    return OnlineRoom.objects.create(
        meeting=published_meeting,
        provider=OnlineRoom.Provider.ZOOM,
        provider_id=ZOOM_ID,
        join_url=f"https://zoom.us/j/{ZOOM_ID}?pwd=abc",
        passcode="abc12345",
        state=OnlineRoom.State.READY,
        remote={"days": {"2031-09-22": dict(DAY_1), "2031-09-23": dict(DAY_2)}, "series": SERIES},
    )


class Caught(list):
    """A signal receiver that keeps what it was sent."""

    def __call__(self, sender, signal, **kwargs):
        self.append({"sender": sender, **kwargs})


@pytest.fixture
def caught():
    receivers = {}

    def catch(signal):
        receivers[signal] = Caught()
        signal.connect(receivers[signal], weak=False)
        return receivers[signal]

    yield catch
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


def sign(raw: bytes, timestamp: str, secret: str = SECRET) -> str:
    return (
        "v0="
        + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    )


def deliver(client, body, *, timestamp=None, signature=None, secret=SECRET):
    """POST a delivery as Zoom does: the raw JSON body, its timestamp and its signature."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = str(int(time.time())) if timestamp is None else str(timestamp)
    headers = {"HTTP_X_ZM_REQUEST_TIMESTAMP": timestamp}
    signature = sign(raw, timestamp, secret) if signature is None else signature
    if signature:
        headers["HTTP_X_ZM_SIGNATURE"] = signature
    return client.post(URL, data=raw, content_type="application/json", **headers)


def event(name, obj, **extra):
    return {
        "event": name,
        "event_ts": 1947810000123,
        "payload": {"account_id": "acc", **extra, "object": {"id": int(ZOOM_ID), **obj}},
    }


PARTICIPANT = {
    "user_id": "16778240",
    "user_name": "Rendra Setiawan - Kemnaker",
    "id": "iFxeBPYun6SAiWUzBcEkX",
    "participant_uuid": "p-uuid",
    "email": "rendra@kemnaker.go.id",
    "registrant_id": "reg-1",
    "participant_user_id": "puid-1",
    "join_time": "2031-09-22T02:01:02Z",
}


def joined():
    return event(
        "meeting.participant_joined",
        {"uuid": "inst==", "topic": "FGD Pengawasan P3MI", "participant": PARTICIPANT},
    )


def tasks_queued() -> int:
    """Webhook tasks enqueued, whatever their state (the worker plans other tasks of its own)."""
    return DBTaskResult.objects.filter(task_path="meetings.tasks.handle_zoom_webhook").count()


def failed_emails():
    return list(
        OutgoingEmail.objects.filter(builder="meetings.notifications.online_room_failed_message").order_by(
            "pk"
        )
    )


# Receiving --------------------------------------------------------------------------------------


def test_a_signed_event_is_stored_and_handled_by_its_task(client, room, run_tasks, caught):
    events = caught(signals.zoom_participant_event)
    body = joined()
    timestamp = int(time.time())

    response = deliver(client, body, timestamp=timestamp)

    assert response.status_code == 200
    (stored,) = ZoomWebhookEvent.objects.all()
    assert (stored.event, stored.payload, stored.timestamp) == ("meeting.participant_joined", body, timestamp)
    assert stored.processed_at is None
    assert tasks_queued() == 1
    assert events == []  # the request only stores: the work is the task's

    run_tasks()

    stored.refresh_from_db()
    assert stored.processed_at is not None
    assert stored.outcome == "participant joined"
    assert len(events) == 1


def test_handled_deliveries_are_deleted_after_the_keeping_days(client, room, run_tasks, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.ZOOM_WEBHOOK_KEEP_DAYS = 7
    deliver(client, joined(), timestamp=int(time.time()))
    run_tasks()
    (old,) = ZoomWebhookEvent.objects.all()
    ZoomWebhookEvent.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=8))
    unhandled = ZoomWebhookEvent.objects.create(
        event="meeting.participant_left", payload={}, timestamp=1, digest="d" * 64
    )
    ZoomWebhookEvent.objects.filter(pk=unhandled.pk).update(received_at=timezone.now() - timedelta(days=30))

    deliver(client, event("meeting.participant_left", {"id": room.provider_id}), timestamp=int(time.time()))
    run_tasks()

    # The old handled one (it names a participant) is gone; the new one and the unhandled stay.
    remaining = set(ZoomWebhookEvent.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert unhandled.pk in remaining
    assert len(remaining) == 2


@pytest.mark.parametrize(
    "forgery",
    [
        {"secret": "another-secret"},
        {"signature": "v0=" + "0" * 64},
        {"signature": "v1=whatever"},
        {"signature": ""},  # no signature header at all
        {"timestamp": "soon"},
    ],
)
def test_a_forged_delivery_is_refused_and_changes_nothing(client, room, run_tasks, caught, forgery):
    events = caught(signals.zoom_participant_event)

    response = deliver(client, joined(), **forgery)

    assert response.status_code == 401
    assert ZoomWebhookEvent.objects.count() == 0
    assert tasks_queued() == 0
    run_tasks()
    assert events == []


def test_a_body_changed_after_signing_is_refused(client, room):
    timestamp = str(int(time.time()))
    signed = sign(json.dumps(joined()).encode(), timestamp)
    tampered = joined()
    tampered["event"] = "meeting.deleted"

    response = deliver(client, tampered, timestamp=timestamp, signature=signed)

    assert response.status_code == 401
    assert ZoomWebhookEvent.objects.count() == 0


# Five seconds either side of the 300-second limit: int(time.time()) drops up to a second and a
# loaded machine may take a few more before the view reads the clock.
@pytest.mark.parametrize(("offset", "status"), [(-305, 401), (305, 401), (-295, 200), (295, 200)])
def test_only_a_fresh_timestamp_is_accepted(client, room, offset, status):
    response = deliver(client, joined(), timestamp=int(time.time()) + offset)

    assert response.status_code == status
    assert ZoomWebhookEvent.objects.count() == (1 if status == 200 else 0)
    assert tasks_queued() == (1 if status == 200 else 0)


def test_a_replayed_delivery_is_answered_but_changes_nothing(client, room, run_tasks, caught):
    events = caught(signals.zoom_participant_event)
    timestamp = int(time.time())
    assert deliver(client, joined(), timestamp=timestamp).status_code == 200
    run_tasks()

    again = deliver(client, joined(), timestamp=timestamp)

    assert again.status_code == 200
    assert ZoomWebhookEvent.objects.count() == 1
    assert tasks_queued() == 1  # the first delivery's, done
    run_tasks()
    assert len(events) == 1


def test_a_replay_before_the_task_ran_is_not_stored_twice(client, room, run_tasks, caught):
    events = caught(signals.zoom_participant_event)
    timestamp = int(time.time())

    first = deliver(client, joined(), timestamp=timestamp)
    second = deliver(client, joined(), timestamp=timestamp)
    run_tasks()

    assert (first.status_code, second.status_code) == (200, 200)
    assert ZoomWebhookEvent.objects.count() == 1
    assert len(events) == 1


def test_a_handled_event_is_not_handled_again(client, room, run_tasks, caught):
    events = caught(signals.zoom_participant_event)
    deliver(client, joined())
    run_tasks()
    stored = ZoomWebhookEvent.objects.get()

    assert webhooks.handle(stored.pk) == "participant joined"

    assert len(events) == 1


def test_the_url_validation_is_answered_with_the_hashed_token(client, secret):
    body = {
        "event": "endpoint.url_validation",
        "event_ts": 1947810000123,
        "payload": {"plainToken": "qgg8vlvZRS6"},
    }

    response = deliver(client, body)

    assert response.status_code == 200
    assert response.json() == {
        "plainToken": "qgg8vlvZRS6",
        "encryptedToken": hmac.new(SECRET.encode(), b"qgg8vlvZRS6", hashlib.sha256).hexdigest(),
    }
    assert ZoomWebhookEvent.objects.count() == 0
    assert tasks_queued() == 0


def test_an_unsigned_url_validation_gets_no_token(client, secret):
    body = {"event": "endpoint.url_validation", "payload": {"plainToken": "qgg8vlvZRS6"}}

    response = deliver(client, body, secret="guessed")

    assert response.status_code == 401
    assert "encryptedToken" not in response.content.decode()


def test_without_a_secret_the_endpoint_does_not_exist(client, room, settings):
    settings.ZOOM_WEBHOOK_SECRET = ""

    response = deliver(client, joined(), secret="")

    assert response.status_code == 404
    assert ZoomWebhookEvent.objects.count() == 0


def test_the_endpoint_is_post_only_and_named(client, secret):
    assert reverse("meetings:zoom_webhook") == URL
    assert client.get(URL).status_code == 405


def test_a_signed_body_that_is_not_json_is_a_bad_request(client, secret):
    response = deliver(client, b"not json")

    assert response.status_code == 400
    assert ZoomWebhookEvent.objects.count() == 0


def test_an_event_for_a_meeting_sinergi_does_not_know_changes_nothing(client, room, run_tasks, caught):
    events = caught(signals.zoom_participant_event)
    body = joined()
    body["payload"]["object"]["id"] = 89999999999

    deliver(client, body)
    run_tasks()

    assert ZoomWebhookEvent.objects.get().outcome == "unknown meeting"
    assert events == []
    room.refresh_from_db()
    assert room.state == OnlineRoom.State.READY


# Participants, the end of a day, transcripts -----------------------------------------------------


def test_joined_and_left_send_the_participant_with_its_time(client, room, run_tasks, caught):
    events = caught(signals.zoom_participant_event)
    left = event(
        "meeting.participant_left",
        {"uuid": "inst==", "participant": {**PARTICIPANT, "leave_time": "2031-09-22T04:00:00Z"}},
    )
    left["event_ts"] = 1947816000000
    del left["payload"]["object"]["participant"]["join_time"]

    deliver(client, joined())
    deliver(client, left)
    run_tasks()

    person = {
        "user_name": "Rendra Setiawan - Kemnaker",
        "email": "rendra@kemnaker.go.id",
        "registrant_id": "reg-1",
        "participant_user_id": "puid-1",
        "id": "iFxeBPYun6SAiWUzBcEkX",
    }
    by_event = {e["event"]: e for e in events}
    assert sorted(by_event) == ["meeting.participant_joined", "meeting.participant_left"]
    assert by_event["meeting.participant_joined"] == {
        "sender": OnlineRoom,
        "room": room,
        "meeting": room.meeting,
        "event": "meeting.participant_joined",
        "participant": {**person, "join_time": "2031-09-22T02:01:02Z"},
        "occurred_at": "2031-09-22T02:20:00.123Z",
    }
    assert by_event["meeting.participant_left"]["participant"] == {
        **person,
        "leave_time": "2031-09-22T04:00:00Z",
    }
    assert by_event["meeting.participant_left"]["occurred_at"] == "2031-09-22T04:00:00.000Z"
    json.dumps([e["participant"] for e in events])  # JSON-serialisable, as the signal promises


def test_meeting_ended_sends_the_instance_and_its_end(client, room, run_tasks, caught):
    ended = caught(signals.zoom_meeting_ended)

    deliver(
        client,
        event(
            "meeting.ended",
            {"uuid": "day1==", "start_time": DAY_1["start"], "end_time": "2031-09-22T08:05:00Z"},
        ),
    )
    run_tasks()

    assert ended == [
        {
            "sender": OnlineRoom,
            "room": room,
            "meeting": room.meeting,
            "zoom_uuid": "day1==",
            "ended_at": "2031-09-22T08:05:00Z",
        }
    ]


RECORDING = {
    "uuid": "day1==",
    "topic": "FGD Pengawasan P3MI",
    "start_time": DAY_1["start"],
    "recording_files": [
        {
            "id": "f-1",
            "file_type": "MP4",
            "status": "completed",
            "recording_start": "2031-09-22T02:00:00Z",
            "download_url": "https://zoom.us/rec/download/mp4",
        },
        {
            "id": "f-2",
            "file_type": "TRANSCRIPT",
            "status": "completed",
            "recording_start": "2031-09-22T02:00:00Z",
            "download_url": "https://zoom.us/rec/download/vtt",
        },
    ],
}


def test_a_completed_transcript_is_announced_with_the_download_token(client, room, run_tasks, caught):
    ready = caught(signals.zoom_transcript_ready)
    body = event("recording.transcript_completed", RECORDING)
    body["download_token"] = "dl-token-123"

    deliver(client, body)
    run_tasks()

    assert ready == [
        {
            "sender": OnlineRoom,
            "room": room,
            "meeting": room.meeting,
            "recording": {"id": int(ZOOM_ID), **RECORDING},
            "download_token": "dl-token-123",
        }
    ]


def test_a_completed_recording_announces_a_transcript_only_when_it_has_one(client, room, run_tasks, caught):
    ready = caught(signals.zoom_transcript_ready)
    video_only = {**RECORDING, "uuid": "day2==", "recording_files": RECORDING["recording_files"][:1]}

    deliver(client, event("recording.completed", video_only))
    deliver(client, event("recording.completed", RECORDING))
    run_tasks()

    assert [(r["recording"]["uuid"], r["download_token"]) for r in ready] == [("day1==", "")]
    outcomes = sorted(ZoomWebhookEvent.objects.values_list("outcome", flat=True))
    assert outcomes == ["recording without a transcript", "transcript ready"]


# Changes made in Zoom ---------------------------------------------------------------------------


def updated(obj, **extra):
    return event("meeting.updated", obj, operation="all", **extra)


def assert_unchanged(room):
    room.refresh_from_db()
    assert room.state == OnlineRoom.State.READY
    assert room.last_error == ""
    assert room.remote["series"] == SERIES
    assert not AuditEntry.objects.filter(action__endswith="_in_zoom").exists()
    assert failed_emails() == []


def test_the_echo_of_our_own_update_is_ignored(client, room, run_tasks):
    echoes = [
        updated({"topic": "FGD Pengawasan P3MI", "start_time": DAY_1["start"], "duration": 360}),
        event(
            "meeting.updated",
            {"occurrences": [{"occurrence_id": DAY_2["id"], "start_time": DAY_2["start"], "duration": 180}]},
            operation="single",
        ),
        # An occurrence between the days (the sync deletes those) does not matter.
        updated(
            {"occurrences": [{"occurrence_id": "1", "start_time": "2031-09-25T05:00:00Z", "duration": 30}]}
        ),
    ]
    for body in echoes:
        assert deliver(client, body).status_code == 200

    run_tasks()

    assert (
        list(ZoomWebhookEvent.objects.values_list("outcome", flat=True))
        == ["agrees with Sinergi: ignored"] * 3
    )
    assert_unchanged(room)


def test_an_echo_that_arrives_before_the_sync_recorded_it_agrees_with_the_days(client, room, run_tasks):
    # The organizer moved the second day to 13:00–15:00; the sync has patched Zoom but not yet
    # written room.remote when Zoom's echo is handled.
    MeetingDay.objects.filter(meeting=room.meeting, date=date(2031, 9, 23)).update(
        start_time=clock(13), end_time=clock(15)
    )
    echo = {"occurrence_id": DAY_2["id"], "start_time": "2031-09-23T06:00:00Z", "duration": 120}

    deliver(client, event("meeting.updated", {"occurrences": [echo]}, operation="single"))
    run_tasks()

    assert_unchanged(room)


def test_a_change_made_in_zoom_fails_the_room_and_tells_the_organizers(
    client, room, run_tasks, organizer, other_organizer
):
    meeting = room.meeting
    gone = UserFactory(email="gone@example.test", is_active=False)
    meeting.organizers.add(other_organizer, gone)
    moved = {"occurrence_id": DAY_2["id"], "start_time": "2031-09-23T07:00:00Z", "duration": 60}
    mail.outbox.clear()

    deliver(
        client,
        event("meeting.updated", {"occurrences": [moved]}, operation="single", operator="host@bp2mi.go.id"),
    )
    run_tasks()  # the webhook's task, then the emails it queued

    room.refresh_from_db()
    assert room.state == OnlineRoom.State.FAILED
    assert "host@bp2mi.go.id" in room.last_error
    assert "series" not in room.remote  # so "Retry" sends the whole series again
    assert room.remote["days"]["2031-09-23"] == DAY_2
    entry = audit.entries_for(meeting).get(action="meeting.online_room_changed_in_zoom")
    assert entry.data == {"operator": "host@bp2mi.go.id", "fields": ["occurrences"]}
    emails = failed_emails()
    assert [e.to for e in emails] == [[organizer.email], [other_organizer.email]]
    assert [e.params for e in emails] == [
        {"room_id": room.pk, "user_id": organizer.pk},
        {"room_id": room.pk, "user_id": other_organizer.pk},
    ]
    assert {e.language for e in emails} == {"id"}

    link = f"http://testserver/meetings/{meeting.code}/online-room/"
    sent = {m.to[0]: m for m in mail.outbox}
    assert sorted(sent) == [organizer.email, other_organizer.email]
    message = sent[organizer.email]
    assert "FGD Pengawasan P3MI" in message.subject
    assert room.last_error in message.body
    assert link in message.body
    assert "Lismia Elita" in message.body
    html = message.alternatives[0].content
    assert f'href="{link}"' in html
    assert "host@bp2mi.go.id" in html


def test_a_title_changed_in_zoom_names_the_title(client, room, run_tasks):
    deliver(client, updated({"topic": "Rapat lain"}))
    run_tasks()

    room.refresh_from_db()
    assert room.state == OnlineRoom.State.FAILED
    assert audit.entries_for(room.meeting).get().data == {"operator": "", "fields": ["topic"]}


def test_a_second_change_in_zoom_updates_the_error_but_does_not_email_again(client, room, run_tasks):
    deliver(client, updated({"topic": "Rapat lain"}, operator="a@bp2mi.go.id"))
    run_tasks()
    deliver(client, updated({"duration": 45}, operator="b@bp2mi.go.id"))
    run_tasks()

    room.refresh_from_db()
    assert "b@bp2mi.go.id" in room.last_error
    assert len(failed_emails()) == 1
    assert audit.entries_for(room.meeting).filter(action="meeting.online_room_changed_in_zoom").count() == 2


def test_the_failure_email_is_dropped_once_the_room_works_again(room, run_tasks, organizer):
    OnlineRoom.objects.filter(pk=room.pk).update(state=OnlineRoom.State.FAILED, last_error="Zoom 500")
    room.refresh_from_db()
    notifications.notify_online_room_failed(room)
    (email,) = failed_emails()
    assert import_string(email.builder)(**email.params) is not None  # written while it still fails
    OnlineRoom.objects.filter(pk=room.pk).update(state=OnlineRoom.State.READY, last_error="")
    mail.outbox.clear()

    run_tasks()

    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.DROPPED
    assert mail.outbox == []


def test_retry_after_a_change_in_zoom_puts_zoom_back_in_step(client, fake_zoom, published_meeting, run_tasks):
    room = OnlineRoom.objects.create(meeting=published_meeting, provider=OnlineRoom.Provider.ZOOM)
    assert sync.sync(published_meeting.pk) == OnlineRoom.State.READY
    room.refresh_from_db()
    remote = fake_zoom.meetings[int(room.provider_id)]
    day_2 = next(o for o in remote["occurrences"] if o["start_time"].startswith("2031-09-23"))
    day_2.update(start_time="2031-09-23T07:00:00Z", duration=60)  # someone edits the day in Zoom
    body = event("meeting.updated", {"occurrences": [dict(day_2)]}, operation="single")
    body["payload"]["object"]["id"] = int(room.provider_id)
    deliver(client, body)
    run_tasks()
    room.refresh_from_db()
    assert room.state == OnlineRoom.State.FAILED

    assert sync.sync(published_meeting.pk) == OnlineRoom.State.READY  # what "Retry" runs

    shown = [(o["start_time"], o["duration"]) for o in remote["occurrences"] if o["status"] != "deleted"]
    assert shown == [("2031-09-22T02:00:00Z", 360), ("2031-09-23T02:00:00Z", 180)]


def test_retry_after_a_topic_changed_in_zoom_sends_sinergis_topic_again(
    client, fake_zoom, published_meeting, run_tasks
):
    room = OnlineRoom.objects.create(meeting=published_meeting, provider=OnlineRoom.Provider.ZOOM)
    assert sync.sync(published_meeting.pk) == OnlineRoom.State.READY
    room.refresh_from_db()
    remote = fake_zoom.meetings[int(room.provider_id)]
    remote["topic"] = "Diubah di Zoom"
    body = event("meeting.updated", {"topic": "Diubah di Zoom"}, operation="all")
    body["payload"]["object"]["id"] = int(room.provider_id)
    deliver(client, body)
    run_tasks()
    room.refresh_from_db()
    assert room.state == OnlineRoom.State.FAILED

    assert sync.sync(published_meeting.pk) == OnlineRoom.State.READY  # what "Retry" runs

    assert remote["topic"] == published_meeting.title


# Deleted in Zoom --------------------------------------------------------------------------------


def test_a_meeting_deleted_in_zoom_fails_the_room_for_a_new_one(client, room, run_tasks, organizer):
    deliver(
        client,
        event(
            "meeting.deleted", {"uuid": "x==", "topic": "FGD"}, operation="all", operator="host@bp2mi.go.id"
        ),
    )
    run_tasks()

    room.refresh_from_db()
    assert room.state == OnlineRoom.State.FAILED
    assert "host@bp2mi.go.id" in room.last_error
    assert (room.provider_id, room.remote) == ("", {})
    assert room.join_url == f"https://zoom.us/j/{ZOOM_ID}?pwd=abc"  # kept: the sync tells the new one
    entry = audit.entries_for(room.meeting).get(action="meeting.online_room_deleted_in_zoom")
    assert entry.data == {"operator": "host@bp2mi.go.id"}
    assert [e.to for e in failed_emails()] == [[organizer.email]]


def test_a_meeting_deleted_in_zoom_after_cancelling_is_simply_gone(client, room, run_tasks):
    Meeting.objects.filter(pk=room.meeting_id).update(status=Meeting.Status.CANCELLED)

    deliver(client, event("meeting.deleted", {"uuid": "x=="}, operation="all"))
    run_tasks()

    room.refresh_from_db()
    assert room.state == OnlineRoom.State.DELETED
    assert room.provider_id == ZOOM_ID
    assert failed_emails() == []
    assert not AuditEntry.objects.filter(action__endswith="_in_zoom").exists()


def test_the_echo_of_our_own_deletion_changes_nothing(client, room, run_tasks):
    OnlineRoom.objects.filter(pk=room.pk).update(state=OnlineRoom.State.DELETED)

    deliver(client, event("meeting.deleted", {"uuid": "x=="}, operation="all"))
    run_tasks()

    room.refresh_from_db()
    assert (room.state, room.provider_id) == (OnlineRoom.State.DELETED, ZOOM_ID)
    assert ZoomWebhookEvent.objects.get().outcome == "the room is deleted already: ignored"
    assert failed_emails() == []


def test_deleting_an_occurrence_between_the_days_is_ignored(client, room, run_tasks):
    between = {"occurrence_id": "1948068000000", "start_time": "2031-09-25T02:00:00Z", "duration": 360}

    deliver(client, event("meeting.deleted", {"occurrences": [between]}, operation="single"))
    run_tasks()

    assert_unchanged(room)
    assert room.provider_id == ZOOM_ID


def test_deleting_a_day_in_zoom_fails_the_room(client, room, run_tasks, organizer):
    day_2 = {"occurrence_id": DAY_2["id"], "start_time": DAY_2["start"], "duration": 180}

    deliver(client, event("meeting.deleted", {"occurrences": [day_2]}, operation="single"))
    run_tasks()

    room.refresh_from_db()
    assert room.state == OnlineRoom.State.FAILED
    assert room.provider_id == ZOOM_ID  # the meeting itself is still there
    assert "series" not in room.remote
    assert audit.entries_for(room.meeting).get().data == {"operator": "", "fields": ["occurrences"]}
    assert [e.to for e in failed_emails()] == [[organizer.email]]
