"""The demo's Zoom data (config/demo_zoom.py): the FGD's Zoom room, personal links, both days'
attendance from Zoom's reports, the transcript offered to the minutes, the socialization's room."""

from datetime import date

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from config.management.commands.seed_demo import FGD_TITLE
from meetings.models import Meeting, OnlineRoom
from minutes.models import ZoomTranscript
from participants.models import Attendance, Registration, ZoomAttendanceRow, ZoomMatch
from participants.services import attendance as attendance_services
from tests.conftest import login

MatchedBy = ZoomAttendanceRow.MatchedBy


@pytest.fixture
def seeded(seeded_demo, db):
    return seeded_demo


def fgd():
    return Meeting.objects.get(title=FGD_TITLE)


def organizer():
    return User.objects.get(email="penyelenggara@sinergi.test")


def test_the_fgd_has_a_ready_zoom_room_made_in_2021(seeded):
    room = fgd().online_room
    assert (room.provider, room.state, room.provider_id) == ("zoom", "ready", "84512345678")
    assert room.last_synced_at.year == 2021
    assert room.join_url == "https://zoom.example.test/j/84512345678"
    assert (room.settings["waiting_room"], room.settings["mute_upon_entry"]) == (True, True)
    assert (room.settings["auto_recording"], room.settings["registration"]) == ("cloud", True)
    assert sorted(room.remote["days"]) == ["2021-09-20", "2021-09-21"]
    assert "zoom.us" not in room.join_url


def test_every_confirmed_online_registrant_has_a_personal_zoom_link(seeded):
    online = Registration.objects.filter(meeting=fgd(), mode="online", state="confirmed")
    assert online.count() == 44
    assert not online.filter(zoom_registrant_id="").exists()
    assert len(set(online.values_list("zoom_registrant_id", flat=True))) == 44
    for link in online.values_list("personal_join_url", flat=True):
        assert link.startswith("https://zoom.example.test/w/84512345678?tk=")
    assert (
        not Registration.objects.filter(meeting=fgd(), mode="onsite").exclude(zoom_registrant_id="").exists()
    )


def test_zoom_attendance_is_counted_online_on_both_days(seeded):
    meeting = fgd()
    day1, day2 = meeting.days.order_by("date")
    assert [d.date for d in (day1, day2)] == [date(2021, 9, 20), date(2021, 9, 21)]
    # Everyone ticked by hand was in Zoom's report: the counts stay, the marks are Zoom's.
    assert Attendance.objects.filter(day=day1, how="zoom").count() == 40
    assert Attendance.objects.filter(day=day2, how="zoom").count() == 33
    assert not Attendance.objects.filter(day__meeting=meeting, how="online").exists()
    totals = [(s.total.online, s.total.no_shows) for s in attendance_services.summary(meeting)]
    assert totals == [(40, 4), (33, 15)]


def test_the_reports_show_every_way_of_matching(seeded):
    rows = ZoomAttendanceRow.objects.filter(meeting=fgd())
    ways = set(rows.values_list("matched_by", flat=True))
    assert ways == {MatchedBy.REGISTRANT, MatchedBy.EMAIL, MatchedBy.NAME, MatchedBy.HAND, MatchedBy.NONE}
    assert rows.get(matched_by=MatchedBy.NAME).name == "Siti Saputra - KKP"
    # Joined twice on the first day: two rows, one attendance with the first join and last leave.
    twice = Registration.objects.get(meeting=fgd(), email__startswith="bp3mikalimantanbarat.agus.")
    day1 = fgd().days.order_by("date").first()
    joins = rows.filter(registration=twice, day=day1).order_by("join_time")
    assert joins.count() == 2
    attendance = Attendance.objects.get(registration=twice, day=day1)
    assert (attendance.first_seen_at, attendance.last_left_at) == (joins[0].join_time, joins[1].leave_time)
    # Under the minimum on the second day: the row is kept, no attendance.
    short = Registration.objects.get(meeting=fgd(), email__startswith="kemenhub.siti.")
    day2 = fgd().days.order_by("date").last()
    [row] = rows.filter(registration=short, day=day2)
    assert row.seconds < 30 * 60
    assert not Attendance.objects.filter(registration=short, day=day2).exists()


def test_one_row_is_matched_by_hand_and_one_left_for_the_organizer(seeded):
    meeting = fgd()
    unmatched = ZoomAttendanceRow.objects.filter(meeting=meeting, registration__isnull=True)
    assert list(unmatched.values_list("name", flat=True)) == ["Ruang Rapat Disnaker"]
    [match] = ZoomMatch.objects.filter(meeting=meeting)
    assert match.key == "name:iphone siti"
    assert match.registration.organization.name == "BP3MI Jawa Tengah (Semarang)"
    # Matched after the first day, found again in the second day's report.
    hand = ZoomAttendanceRow.objects.filter(meeting=meeting, matched_by=MatchedBy.HAND)
    assert hand.count() == 2
    assert set(hand.values_list("registration", flat=True)) == {match.registration_id}
    assert Attendance.objects.filter(registration=match.registration, how="zoom").count() == 2


def test_the_organizers_zoom_attendance_page_shows_the_unmatched_row(seeded, client):
    login(client, organizer())
    response = client.get(reverse("participants:zoom_attendance", kwargs={"code": fgd().code}))
    assert response.status_code == 200
    page = response.content.decode()
    unmatched = page.split('id="unmatched-heading"')[1].split("</section>")[0]
    assert "Ruang Rapat Disnaker" in unmatched
    assert "iPhone Siti" not in unmatched
    assert "iPhone Siti" in page


def test_a_zoom_transcript_is_offered_to_the_fgd_minutes(seeded, client):
    [offered] = ZoomTranscript.objects.filter(meeting=fgd())
    assert (offered.downloaded, offered.imported_at, offered.transcript) == (True, None, None)
    assert offered.text.startswith("WEBVTT")
    assert offered.size == len(offered.text.encode())
    assert offered.download_url.startswith("https://zoom.example.test/")
    login(client, User.objects.get(email="notulis@sinergi.test"))
    page = client.get(reverse("minutes:transcripts", kwargs={"code": fgd().code})).content.decode()
    assert "Transkrip dari Zoom" in page
    assert f'id="zoom-transcript-{offered.pk}"' in page


def test_the_socialization_has_a_zoom_room_in_step(seeded, client):
    meeting = Meeting.objects.get(kind=Meeting.Kind.SOCIALIZATION)
    room = meeting.online_room
    assert (room.provider, room.state) == (OnlineRoom.Provider.ZOOM, OnlineRoom.State.READY)
    assert room.join_url.startswith("https://zoom.example.test/j/")
    login(client, organizer())
    page = client.get(meeting.urls.online_room).content.decode()
    assert "Selaras dengan Zoom" in page
    assert "sejak" in page.split("Selaras dengan Zoom")[1][:200]


def test_nothing_waits_to_call_zoom(seeded):
    zoom_tasks = DBTaskResult.objects.filter(task_path__icontains="zoom")
    assert list(zoom_tasks.values_list("task_path", flat=True)) == []
    assert not DBTaskResult.objects.filter(task_path="meetings.tasks.sync_online_room").exists()
