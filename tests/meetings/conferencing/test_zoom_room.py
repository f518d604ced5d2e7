"""The Zoom room of a meeting against the fake Zoom server: what Zoom receives, day by day."""

from datetime import UTC, date, datetime, time

import pytest

from meetings.conferencing import zoom
from meetings.conferencing.zoom_api import ZoomApi
from meetings.models import Meeting, OnlineRoom
from tests.factories import MeetingDayFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def make_meeting(zone="Asia/Jakarta", days=((date(2031, 9, 22), 9, 15), (date(2031, 9, 23), 9, 15))):
    meeting = MeetingFactory(timezone=zone, mode=Meeting.Mode.HYBRID, title="FGD Pengawasan P3MI")
    for day, start, end in days:
        MeetingDayFactory(meeting=meeting, date=day, start_time=time(start), end_time=time(end))
    return meeting


def make_room(meeting, **settings):
    return OnlineRoom.objects.create(
        meeting=meeting,
        provider=OnlineRoom.Provider.ZOOM,
        passcode=zoom.new_passcode(),
        attempt=zoom.new_attempt(),
        settings=settings,
        state=OnlineRoom.State.PENDING,
    )


def sent_create(fake):
    (create,) = fake.calls("POST", "/users/me/meetings")
    return create.body


@pytest.mark.parametrize(
    ("zone", "utc_start"),
    [
        ("Asia/Jakarta", "2031-09-22T02:00:00Z"),  # WIB, UTC+7
        ("Asia/Makassar", "2031-09-22T01:00:00Z"),  # WITA, UTC+8
        ("Asia/Jayapura", "2031-09-22T00:00:00Z"),  # WIT, UTC+9
    ],
)
def test_the_start_goes_to_zoom_in_utc_with_the_meeting_zone(fake_zoom, zone, utc_start):
    meeting = make_meeting(zone)
    room = make_room(meeting)
    zoom.ZoomRoom(ZoomApi()).create(meeting, room)
    body = sent_create(fake_zoom)
    assert body["start_time"] == utc_start
    assert body["timezone"] == zone
    assert body["type"] == 8
    assert body["recurrence"] == {"type": 1, "repeat_interval": 1, "end_times": 2}
    assert body["duration"] == 360
    created = fake_zoom.meetings[int(room.provider_id)]
    assert [o["start_time"] for o in created["occurrences"]] == [
        utc_start,
        utc_start.replace("22T", "23T"),
    ]


def test_one_day_is_a_plain_scheduled_meeting(fake_zoom):
    meeting = make_meeting(days=((date(2031, 9, 22), 13, 16),))
    room = make_room(meeting)
    zoom.ZoomRoom(ZoomApi()).create(meeting, room)
    body = sent_create(fake_zoom)
    assert body["type"] == 2
    assert "recurrence" not in body
    assert body["start_time"] == "2031-09-22T06:00:00Z"
    assert body["duration"] == 180
    assert room.join_url.startswith("https://zoom.example/j/")
    assert room.remote["days"] == {"2031-09-22": {"start": "2031-09-22T06:00:00Z", "duration": 180}}
    assert set(room.remote) == {"days", "fixed"}  # what was sent besides the times, as a digest


def test_days_with_their_own_hours_and_gaps_get_their_own_occurrences(fake_zoom):
    meeting = make_meeting(
        days=((date(2031, 9, 22), 9, 15), (date(2031, 9, 24), 13, 17), (date(2031, 9, 25), 9, 15))
    )
    room = make_room(meeting)
    zoom.ZoomRoom(ZoomApi()).create(meeting, room)
    created = fake_zoom.meetings[int(room.provider_id)]
    shown = [(o["start_time"], o["duration"]) for o in created["occurrences"] if o["status"] != "deleted"]
    assert shown == [
        ("2031-09-22T02:00:00Z", 360),
        ("2031-09-24T06:00:00Z", 240),
        ("2031-09-25T02:00:00Z", 360),
    ]
    # The gap (23rd) was deleted, the 24th patched, each by its occurrence id in the query.
    (deleted,) = fake_zoom.calls("DELETE", "/meetings/")
    gap = datetime(2031, 9, 23, 2, tzinfo=UTC)
    assert deleted.query["occurrence_id"] == str(int(gap.timestamp() * 1000))
    (patched,) = fake_zoom.calls("PATCH", "/meetings/")
    assert set(patched.query) == {"occurrence_id"}
    assert "occurrence_id" not in patched.body
    assert patched.body == {"start_time": "2031-09-24T06:00:00Z", "duration": 240}
    assert sorted(room.remote["days"]) == ["2031-09-22", "2031-09-24", "2031-09-25"]


def test_settings_and_passcode_reach_zoom(fake_zoom):
    meeting = make_meeting()
    room = make_room(
        meeting,
        waiting_room=False,
        join_before_host=True,
        mute_upon_entry=False,
        auto_recording="cloud",
        alternative_hosts="notulis@bp2mi.example",
    )
    zoom.ZoomRoom(ZoomApi()).create(meeting, room)
    body = sent_create(fake_zoom)
    assert body["password"] == room.passcode
    assert zoom.valid_passcode(body["password"])
    assert len(body["password"]) <= 10
    assert body["settings"] == {
        "waiting_room": False,
        "join_before_host": True,
        "mute_upon_entry": False,
        "auto_recording": "cloud",
        "approval_type": 2,
        "alternative_hosts": "notulis@bp2mi.example",
    }
    assert body["agenda"].startswith(f"[sinergi:{room.attempt}]")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("abc123", True),
        ("a@b-c_d*E9", True),
        ("", False),
        ("abcdefghijk", False),
        ("kata sandi", False),
        ("pässwort", False),
    ],
)
def test_passcode_rules(value, valid):
    assert zoom.valid_passcode(value) is valid


def test_new_passcodes_follow_the_rules_and_differ():
    codes = {zoom.new_passcode() for _ in range(50)}
    assert len(codes) == 50
    assert all(zoom.valid_passcode(code) for code in codes)


def test_moving_one_days_hours_patches_only_that_occurrence(fake_zoom):
    meeting = make_meeting()
    room = make_room(meeting)
    provider = zoom.ZoomRoom(ZoomApi())
    provider.create(meeting, room)
    second = meeting.days.order_by("date").last()
    second.start_time, second.end_time = time(13), time(16)
    second.save()
    before = len(fake_zoom.requests)
    provider.update(meeting, room)
    calls = [r for r in fake_zoom.requests[before:] if r.path != "/oauth/token"]
    patches = [r for r in calls if r.method == "PATCH"]
    # Only the occurrence: the topic, agenda, passcode and settings did not change.
    assert [p.query for p in patches] == [{"occurrence_id": room.remote["days"]["2031-09-23"]["id"]}]
    assert patches[0].body == {"start_time": "2031-09-23T06:00:00Z", "duration": 180}
    occurrences = fake_zoom.meetings[int(room.provider_id)]["occurrences"]
    assert [(o["start_time"], o["duration"]) for o in occurrences] == [
        ("2031-09-22T02:00:00Z", 360),
        ("2031-09-23T06:00:00Z", 180),
    ]


def test_the_series_is_patched_when_its_topic_changes_or_when_forced(fake_zoom):
    meeting = make_meeting()
    room = make_room(meeting)
    provider = zoom.ZoomRoom(ZoomApi())
    provider.create(meeting, room)
    before = len(fake_zoom.requests)
    provider.update(meeting, room)
    assert not [r for r in fake_zoom.requests[before:] if r.method == "PATCH"]  # in step already
    meeting.title = "FGD Pengawasan P3MI (Hari Kedua Diubah)"
    provider.update(meeting, room)
    patches = [r for r in fake_zoom.requests[before:] if r.method == "PATCH"]
    assert [(p.query, p.body["topic"]) for p in patches] == [({}, meeting.title)]
    provider.update(meeting, room)  # nothing new: nothing sent
    assert len([r for r in fake_zoom.requests[before:] if r.method == "PATCH"]) == 1
    provider.update(meeting, room, force=True)  # after a failure: Sinergi's version again
    patches = [r for r in fake_zoom.requests[before:] if r.method == "PATCH"]
    assert len(patches) == 2
    assert patches[1].body["topic"] == meeting.title


def test_moving_the_first_day_rebuilds_the_series(fake_zoom):
    meeting = make_meeting()
    room = make_room(meeting)
    provider = zoom.ZoomRoom(ZoomApi())
    provider.create(meeting, room)
    days = list(meeting.days.order_by("date"))
    days[1].date = date(2031, 9, 26)
    days[1].save()
    days[0].date = date(2031, 9, 24)
    days[0].save()
    provider.update(meeting, room)
    series = [r for r in fake_zoom.calls("PATCH", "/meetings/") if not r.query]
    assert series[-1].body["start_time"] == "2031-09-24T02:00:00Z"
    assert series[-1].body["recurrence"]["end_times"] == 3
    occurrences = [
        o["start_time"]
        for o in fake_zoom.meetings[int(room.provider_id)]["occurrences"]
        if o["status"] != "deleted"
    ]
    assert occurrences == ["2031-09-24T02:00:00Z", "2031-09-26T02:00:00Z"]
    assert sorted(room.remote["days"]) == ["2031-09-24", "2031-09-26"]


def test_delete_and_already_gone(fake_zoom):
    meeting = make_meeting()
    room = make_room(meeting)
    provider = zoom.ZoomRoom(ZoomApi())
    provider.create(meeting, room)
    provider.delete(room)
    assert fake_zoom.meetings[int(room.provider_id)]["deleted"] is True
    provider.delete(room)  # 404, code 3001: already gone is fine
    assert len(fake_zoom.calls("DELETE", f"/meetings/{room.provider_id}")) == 2


def test_the_host_link_is_fetched_fresh(fake_zoom):
    meeting = make_meeting()
    room = make_room(meeting)
    provider = zoom.ZoomRoom(ZoomApi())
    provider.create(meeting, room)
    url = provider.host_url(room)
    assert url.startswith(f"https://zoom.example/s/{room.provider_id}")
    assert fake_zoom.calls("GET", f"/meetings/{room.provider_id}")
