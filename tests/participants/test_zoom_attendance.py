"""Zoom attendance: the participants report imported and matched, live join/leave events, the page.

The real ZoomApi (zoomus) talks to the fake Zoom server on 127.0.0.1 (tests/zoomfake.py).
"""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import AuditEntry
from meetings.models import Meeting, MeetingDay, OnlineRoom
from meetings.signals import zoom_meeting_ended, zoom_participant_event
from participants.models import Attendance, Registration, ZoomAttendanceRow, ZoomMatch
from participants.services import attendance as attendance_services
from participants.services import registration as reg
from participants.services import zoom_attendance as za
from tests.conftest import login
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizationFactory
from tests.zoomfake import z

pytestmark = pytest.mark.django_db

ZOOM_ID = "81234567890"
JOINED, LEFT = "meeting.participant_joined", "meeting.participant_left"
IMPORT_TASK = "participants.tasks.import_zoom_report"
_user_ids = itertools.count(16778240)


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of September 2031 in Jakarta (UTC+7), as an aware UTC datetime."""
    return datetime(2031, 9, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


def zoom_row(name, joined, left, *, email="", registrant_id="", participant_id=""):
    return {
        "id": participant_id,
        "user_id": str(next(_user_ids)),
        "name": name,
        "user_email": email,
        "join_time": z(joined),
        "leave_time": z(left),
        "duration": int((left - joined).total_seconds()),
        "registrant_id": registrant_id,
        "status": "in_meeting",
    }


def with_zoom_room(meeting, provider_id=ZOOM_ID):
    OnlineRoom.objects.create(meeting=meeting, provider="zoom", provider_id=provider_id)
    return meeting


@pytest.fixture
def zoom_meeting(published_meeting):
    return with_zoom_room(published_meeting)


def sign_up(meeting, name, email, *, mode="online", registrant_id="", **extra):
    registration = reg.register(
        meeting, full_name=name, email=email, mode=mode, consent=True, check_window=False, **extra
    ).registration
    if registrant_id:
        Registration.objects.filter(pk=registration.pk).update(zoom_registrant_id=registrant_id)
        registration.zoom_registrant_id = registrant_id
    return registration


@pytest.fixture
def people(zoom_meeting):
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    return {
        "ani": sign_up(zoom_meeting, "Ani Wulandari", "ani@kkp.example", registrant_id="reg-ani"),
        "bayu": sign_up(zoom_meeting, "Bayu Pratama", "bayu@kemlu.example"),
        "cici": sign_up(zoom_meeting, "Cici Lestari", "cici@bp2mi.example", organization=bp2mi),
    }


def days(meeting):
    return list(meeting.days.order_by("date"))


def zoom_attendance():
    return sorted(
        Attendance.objects.filter(how="zoom").values_list(
            "registration__full_name", "day__date", "first_seen_at", "last_left_at", "minutes"
        )
    )


def stored_rows():
    return sorted(
        ZoomAttendanceRow.objects.values_list(
            "name", "day__date", "join_time", "leave_time", "seconds", "registration__full_name", "matched_by"
        )
    )


def run_import(meeting, **kwargs):
    return za.import_report(meeting, **kwargs)


# The report ----------------------------------------------------------------------------------


def test_import_fetches_every_page_with_registrant_ids(fake_zoom, zoom_meeting, people):
    fake_zoom.reports[ZOOM_ID] = [
        zoom_row(f"Tamu {n:02d}", wib(22, 9) + timedelta(minutes=n), wib(22, 10)) for n in range(70)
    ]

    result = run_import(zoom_meeting, page_size=30)

    calls = fake_zoom.calls("GET", f"/report/meetings/{ZOOM_ID}/participants")
    assert [(c.query.get("page_size"), c.query.get("next_page_token")) for c in calls] == [
        ("30", None),
        ("30", "30"),
        ("30", "60"),
    ]
    assert {c.query["include_fields"] for c in calls} == {"registrant_id"}
    assert (result.rows, result.new, result.unmatched) == (70, 70, 70)
    assert ZoomAttendanceRow.objects.filter(meeting=zoom_meeting).count() == 70


def test_several_joins_of_a_day_merge_into_one_attendance(fake_zoom, zoom_meeting, people):
    ani = "Ani Wulandari"
    fake_zoom.reports[ZOOM_ID] = [
        zoom_row(ani, wib(22, 9, 0), wib(22, 9, 40), registrant_id="reg-ani"),
        # a second device, overlapping the first by ten minutes: counted once
        zoom_row(ani, wib(22, 9, 30), wib(22, 10, 0), registrant_id="reg-ani"),
        zoom_row(ani, wib(22, 10, 30), wib(22, 11, 0), registrant_id="reg-ani"),
    ]

    result = run_import(zoom_meeting)

    assert zoom_attendance() == [(ani, days(zoom_meeting)[0].date, wib(22, 9), wib(22, 11), 90)]
    assert (result.rows, result.present) == (3, 1)


def test_rows_are_matched_by_registrant_id_then_email_then_name(fake_zoom, zoom_meeting, people):
    OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
    sign_up(zoom_meeting, "Dewi Sartika", "dewi1@example.test")
    sign_up(zoom_meeting, "Dewi Sartika", "dewi2@example.test")
    fake_zoom.reports[ZOOM_ID] = [
        # the registrant id wins over an email that is another person's
        zoom_row("iPhone", wib(22, 9), wib(22, 10), registrant_id="reg-ani", email="bayu@kemlu.example"),
        zoom_row("Laptop Kemlu", wib(22, 9), wib(22, 10), email="BAYU@Kemlu.Example"),
        zoom_row("Dr. CICI  lestári, M.Si - BP2MI", wib(22, 9), wib(22, 10)),
        zoom_row("Dewi Sartika (KKP)", wib(22, 9), wib(22, 10)),  # two registrations have the name
    ]

    run_import(zoom_meeting)

    assert sorted(ZoomAttendanceRow.objects.values_list("name", "registration__full_name", "matched_by")) == [
        ("Dewi Sartika (KKP)", None, ""),
        ("Dr. CICI  lestári, M.Si - BP2MI", "Cici Lestari", "name"),
        ("Laptop Kemlu", "Bayu Pratama", "email"),
        ("iPhone", "Ani Wulandari", "registrant"),
    ]


def test_the_agency_in_the_zoom_name_settles_two_people_of_one_name(fake_zoom, zoom_meeting):
    kkp = OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
    sign_up(zoom_meeting, "Dewi Sartika", "dewi1@example.test", organization=kkp)
    sign_up(zoom_meeting, "Dewi Sartika", "dewi2@example.test", organization_name="Kemenhub")
    fake_zoom.reports[ZOOM_ID] = [zoom_row("Dewi Sartika - Kemenhub", wib(22, 9), wib(22, 10))]

    run_import(zoom_meeting)

    assert list(ZoomAttendanceRow.objects.values_list("registration__email", flat=True)) == [
        "dewi2@example.test"
    ]


def test_importing_twice_changes_nothing(fake_zoom, zoom_meeting, people):
    fake_zoom.reports[ZOOM_ID] = [
        zoom_row("Ani Wulandari", wib(22, 9), wib(22, 10), registrant_id="reg-ani", participant_id="p-ani"),
        zoom_row("Bayu Pratama", wib(22, 9), wib(22, 9, 45), email="bayu@kemlu.example"),
        zoom_row("Bayu Pratama", wib(23, 9), wib(23, 11), email="bayu@kemlu.example"),
        zoom_row("Somebody", wib(22, 9), wib(22, 12)),
    ]
    first = run_import(zoom_meeting)
    rows, attendance = stored_rows(), zoom_attendance()
    ids = sorted(ZoomAttendanceRow.objects.values_list("pk", flat=True))

    second = run_import(zoom_meeting)

    assert stored_rows() == rows
    assert zoom_attendance() == attendance
    assert sorted(ZoomAttendanceRow.objects.values_list("pk", flat=True)) == ids
    assert (first.new, second.new, second.rows, second.present) == (4, 0, 4, 3)
    assert AuditEntry.objects.filter(action="meeting.zoom_report_imported").count() == 2


def test_a_stay_under_the_minimum_is_not_counted(fake_zoom, zoom_meeting, people, settings):
    settings.ZOOM_MIN_ATTENDANCE_MINUTES = 30
    fake_zoom.reports[ZOOM_ID] = [
        zoom_row("Ani Wulandari", wib(22, 9), wib(22, 9, 29), registrant_id="reg-ani"),
        zoom_row("Bayu Pratama", wib(22, 9), wib(22, 9, 30), email="bayu@kemlu.example"),
    ]

    result = run_import(zoom_meeting)

    assert [name for name, *_rest in zoom_attendance()] == ["Bayu Pratama"]
    assert (result.present, result.below_minimum) == (1, 1)
    # The short stay is kept, matched, for the page to show.
    assert ZoomAttendanceRow.objects.get(name="Ani Wulandari").registration == people["ani"]

    settings.ZOOM_MIN_ATTENDANCE_MINUTES = 20
    run_import(zoom_meeting)

    assert [name for name, *_rest in zoom_attendance()] == ["Ani Wulandari", "Bayu Pratama"]


def test_a_join_belongs_to_the_day_of_its_date_in_the_meeting_zone(fake_zoom, organizer):
    meeting = MeetingFactory(
        title="Rakor UPT Papua",
        organizers=[organizer],
        status=Meeting.Status.PUBLISHED,
        timezone="Asia/Jayapura",
    )
    first = MeetingDayFactory(meeting=meeting, date=date(2031, 9, 22))
    second = MeetingDayFactory(meeting=meeting, date=date(2031, 9, 23))
    with_zoom_room(meeting)
    sign_up(meeting, "Yohana Wenda", "yohana@papua.example", registrant_id="reg-y")
    fake_zoom.reports[ZOOM_ID] = [
        # 08.30 WIT on the 22nd is still the 21st in UTC
        zoom_row(
            "Yohana Wenda",
            datetime(2031, 9, 21, 23, 30, tzinfo=UTC),
            datetime(2031, 9, 22, 1, 0, tzinfo=UTC),
            registrant_id="reg-y",
        ),
        # 00.30 WIT on the 23rd is the 22nd in UTC
        zoom_row(
            "Yohana Wenda",
            datetime(2031, 9, 22, 15, 30, tzinfo=UTC),
            datetime(2031, 9, 22, 16, 30, tzinfo=UTC),
            registrant_id="reg-y",
        ),
    ]

    run_import(meeting)

    assert sorted(ZoomAttendanceRow.objects.values_list("day_id", "seconds")) == sorted(
        [(first.pk, 5400), (second.pk, 3600)]
    )
    assert sorted(Attendance.objects.values_list("day_id", "minutes")) == sorted(
        [(first.pk, 90), (second.pk, 60)]
    )


def test_a_join_on_no_meeting_day_is_kept_but_not_counted(fake_zoom, zoom_meeting, people):
    fake_zoom.reports[ZOOM_ID] = [zoom_row("Ani Wulandari", wib(24, 9), wib(24, 11), registrant_id="reg-ani")]

    run_import(zoom_meeting)

    assert list(ZoomAttendanceRow.objects.values_list("day", "registration")) == [(None, people["ani"].pk)]
    assert zoom_attendance() == []


def test_zoom_replaces_a_hand_made_online_attendance(fake_zoom, zoom_meeting, people, organizer):
    day = days(zoom_meeting)[0]
    # The organizer ticked Ani by hand during the day (the day's date is set to today for it).
    MeetingDay.objects.filter(pk=day.pk).update(date=timezone.localdate(timezone.now(), zoom_meeting.tz))
    day.refresh_from_db()
    attendance_services.record_online(people["ani"], day, actor=organizer)
    today = day.date
    joined = datetime(today.year, today.month, today.day, 2, 0, tzinfo=UTC)
    fake_zoom.reports[ZOOM_ID] = [
        zoom_row("Ani", joined, joined + timedelta(hours=1), registrant_id="reg-ani")
    ]

    run_import(zoom_meeting)

    assert list(Attendance.objects.values_list("how", "minutes", "recorded_by")) == [("zoom", 60, None)]


def test_the_summary_counts_a_zoom_attendee_as_online(fake_zoom, zoom_meeting, people):
    fake_zoom.reports[ZOOM_ID] = [zoom_row("Ani Wulandari", wib(22, 9), wib(22, 11), registrant_id="reg-ani")]
    run_import(zoom_meeting)

    first, second = attendance_services.summary(zoom_meeting, now=wib(24, 9))

    assert (first.total.online, first.total.onsite, first.total.no_shows) == (1, 0, 2)
    assert second.total.online == 0


# Matching by hand -------------------------------------------------------------------------------


def test_an_unmatched_participant_is_matched_by_hand_and_remembered(
    fake_zoom, zoom_meeting, people, organizer
):
    fake_zoom.reports[ZOOM_ID] = [
        zoom_row("HP Samsung A52", wib(22, 9), wib(22, 10)),
        zoom_row("HP Samsung A52", wib(22, 10, 30), wib(22, 11)),
    ]
    run_import(zoom_meeting)
    assert zoom_attendance() == []
    row = ZoomAttendanceRow.objects.order_by("join_time").first()

    count = za.match_by_hand(row, people["bayu"], actor=organizer)

    assert count == 2
    assert zoom_attendance() == [("Bayu Pratama", days(zoom_meeting)[0].date, wib(22, 9), wib(22, 11), 90)]
    assert list(ZoomMatch.objects.values_list("key", "registration")) == [
        ("name:hp samsung a52", people["bayu"].pk)
    ]
    entry = AuditEntry.objects.get(action="attendance.zoom_matched_by_hand")
    assert (entry.object_id, entry.data) == (
        str(people["bayu"].pk),
        {"zoom_name": "HP Samsung A52", "rows": 2},
    )

    # The second day's report: the same device name is Bayu again, without anyone's help.
    fake_zoom.reports[ZOOM_ID] = [zoom_row("HP Samsung A52", wib(23, 9), wib(23, 10))]
    result = run_import(zoom_meeting)

    assert result.unmatched == 0
    assert sorted(
        ZoomAttendanceRow.objects.values_list("day__date", "registration__full_name", "matched_by")
    ) == [
        (days(zoom_meeting)[0].date, "Bayu Pratama", "hand"),
        (days(zoom_meeting)[0].date, "Bayu Pratama", "hand"),
        (days(zoom_meeting)[1].date, "Bayu Pratama", "hand"),
    ]
    assert [(name, minutes) for name, _d, _f, _l, minutes in zoom_attendance()] == [
        ("Bayu Pratama", 90),
        ("Bayu Pratama", 60),
    ]


def test_only_a_confirmed_registration_can_be_matched(fake_zoom, zoom_meeting, people, organizer):
    fake_zoom.reports[ZOOM_ID] = [zoom_row("Someone", wib(22, 9), wib(22, 10))]
    run_import(zoom_meeting)
    Registration.objects.filter(pk=people["bayu"].pk).update(state=Registration.State.CANCELLED)
    people["bayu"].refresh_from_db()

    with pytest.raises(attendance_services.CheckInError):
        za.match_by_hand(ZoomAttendanceRow.objects.get(), people["bayu"], actor=organizer)

    assert ZoomMatch.objects.count() == 0


# Live events ------------------------------------------------------------------------------------


def test_live_joined_and_left_events_record_attendance_until_the_report(fake_zoom, zoom_meeting, people):
    day = days(zoom_meeting)[0]
    participant = {"user_name": "Ani", "email": "", "registrant_id": "reg-ani", "id": "p1"}

    za.record_live_event(zoom_meeting, JOINED, {**participant, "join_time": z(wib(22, 9))}, z(wib(22, 9)))

    assert zoom_attendance() == [("Ani Wulandari", day.date, wib(22, 9), None, None)]
    assert [a.registration.full_name for a in za.online_now(day)] == ["Ani Wulandari"]

    za.record_live_event(zoom_meeting, LEFT, {**participant, "leave_time": z(wib(22, 10))}, z(wib(22, 10)))
    assert zoom_attendance() == [("Ani Wulandari", day.date, wib(22, 9), wib(22, 10), None)]
    assert za.online_now(day) == []

    # Back again: in the room now; the first join stays.
    za.record_live_event(zoom_meeting, JOINED, {**participant, "join_time": z(wib(22, 10, 15))}, "")
    assert zoom_attendance() == [("Ani Wulandari", day.date, wib(22, 9), None, None)]

    # The report replaces the live figures.
    fake_zoom.reports[ZOOM_ID] = [
        zoom_row("Ani", wib(22, 9), wib(22, 10), registrant_id="reg-ani"),
        zoom_row("Ani", wib(22, 10, 15), wib(22, 11, 15), registrant_id="reg-ani"),
    ]
    run_import(zoom_meeting)
    assert zoom_attendance() == [("Ani Wulandari", day.date, wib(22, 9), wib(22, 11, 15), 120)]

    # A late event changes nothing once the report spoke.
    za.record_live_event(zoom_meeting, LEFT, {**participant, "leave_time": z(wib(22, 12))}, "")
    assert zoom_attendance() == [("Ani Wulandari", day.date, wib(22, 9), wib(22, 11, 15), 120)]


def test_the_check_in_desk_shows_who_is_in_the_zoom_room_now(client, zoom_meeting, people, organizer):
    day = days(zoom_meeting)[0]
    participant = {"user_name": "Ani", "email": "", "registrant_id": "reg-ani", "id": "p1"}
    za.record_live_event(zoom_meeting, JOINED, {**participant, "join_time": z(wib(22, 9))}, z(wib(22, 9)))
    login(client, organizer)

    html = client.get(day.urls.checkin).content.decode()
    assert "1 orang di ruang Zoom saat ini" in html
    assert "Ani Wulandari" in html

    za.record_live_event(zoom_meeting, LEFT, {**participant, "leave_time": z(wib(22, 10))}, z(wib(22, 10)))
    html = client.get(day.urls.checkin).content.decode()
    assert "0 orang di ruang Zoom saat ini" in html
    assert "Ani Wulandari" not in html


def test_without_a_zoom_room_the_desk_shows_no_zoom_count(client, published_meeting, organizer):
    day = published_meeting.days.order_by("date").first()
    html = login(client, organizer).get(day.urls.checkin).content.decode()
    assert "data-zoom-now" not in html


def test_a_live_event_of_an_unknown_participant_records_nothing(zoom_meeting, people):
    result = za.record_live_event(
        zoom_meeting, JOINED, {"user_name": "Tamu", "email": "", "join_time": z(wib(22, 9))}, z(wib(22, 9))
    )
    assert (result, zoom_attendance()) == (None, [])


def test_live_attendance_the_report_does_not_confirm_is_removed(fake_zoom, zoom_meeting, people):
    participant = {"user_name": "Bayu Pratama", "email": "bayu@kemlu.example"}
    za.record_live_event(zoom_meeting, JOINED, {**participant, "join_time": z(wib(22, 9))}, "")
    fake_zoom.reports[ZOOM_ID] = [zoom_row("Ani", wib(22, 9), wib(22, 11), registrant_id="reg-ani")]

    run_import(zoom_meeting)

    assert [name for name, *_rest in zoom_attendance()] == ["Ani Wulandari"]


# Signals and tasks ------------------------------------------------------------------------------


def test_the_end_of_a_zoom_meeting_enqueues_the_import_ten_minutes_later(
    fake_zoom, zoom_meeting, people, run_tasks
):
    room = zoom_meeting.online_room
    fake_zoom.reports["uuid-day1=="] = [zoom_row("Ani", wib(22, 9), wib(22, 11), registrant_id="reg-ani")]
    before = timezone.now()

    zoom_meeting_ended.send(
        OnlineRoom, room=room, meeting=zoom_meeting, zoom_uuid="uuid-day1==", ended_at=z(wib(22, 12))
    )

    [task] = DBTaskResult.objects.filter(task_path=IMPORT_TASK)
    assert task.args_kwargs["args"] == [zoom_meeting.pk, "uuid-day1=="]
    assert before + timedelta(minutes=9) < task.run_after < timezone.now() + timedelta(minutes=11)

    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())
    run_tasks()

    assert [c.path for c in fake_zoom.calls("GET", "/report/")] == [
        "/report/meetings/uuid-day1==/participants"
    ]
    assert [(name, minutes) for name, _d, _f, _l, minutes in zoom_attendance()] == [("Ani Wulandari", 120)]
    assert set(ZoomAttendanceRow.objects.values_list("instance", flat=True)) == {"uuid-day1=="}


def test_a_zoom_failure_is_logged_and_the_import_tried_again_later(
    fake_zoom, zoom_meeting, people, run_tasks
):
    fake_zoom.fail("GET", "/report/meetings/", 404, body={"code": 3001, "message": "Meeting does not exist."})
    from participants.tasks import import_zoom_report

    import_zoom_report.enqueue(zoom_meeting.pk, "")
    run_tasks()

    entry = AuditEntry.objects.get(action="meeting.zoom_report_failed")
    assert (entry.data["attempt"], entry.data["retrying"]) == (1, True)
    [again] = DBTaskResult.objects.filter(task_path=IMPORT_TASK, status="READY")
    assert again.args_kwargs["args"] == [zoom_meeting.pk, "", 1]
    assert again.run_after > timezone.now() + timedelta(minutes=9)


def test_a_participant_event_signal_records_live_attendance(zoom_meeting, people, run_tasks):
    zoom_participant_event.send(
        OnlineRoom,
        room=zoom_meeting.online_room,
        meeting=zoom_meeting,
        event=JOINED,
        participant={"user_name": "Cici Lestari - BP2MI", "email": "", "id": "", "join_time": z(wib(22, 9))},
        occurred_at=z(wib(22, 9)),
    )
    assert zoom_attendance() == []  # a task does it

    run_tasks()

    assert zoom_attendance() == [("Cici Lestari", days(zoom_meeting)[0].date, wib(22, 9), None, None)]


# The page ---------------------------------------------------------------------------------------


def page(meeting):
    return reverse("participants:zoom_attendance", kwargs={"code": meeting.code})


def match_url(meeting):
    return reverse("participants:zoom_attendance_match", kwargs={"code": meeting.code})


def import_url(meeting):
    return reverse("participants:zoom_attendance_import", kwargs={"code": meeting.code})


@pytest.fixture
def imported(fake_zoom, zoom_meeting, people):
    fake_zoom.reports[ZOOM_ID] = [
        zoom_row("Ani Wulandari", wib(22, 9), wib(22, 11), registrant_id="reg-ani"),
        zoom_row("Tablet Ruang Rapat", wib(22, 9), wib(22, 11)),
    ]
    run_import(zoom_meeting)
    return zoom_meeting


@pytest.fixture
def other_meeting(fake_zoom, other_organizer):
    """Another organizer's meeting with its own Zoom rows: what must not leak."""
    meeting = MeetingFactory(
        title="Rakor Lain", organizers=[other_organizer], status=Meeting.Status.PUBLISHED
    )
    MeetingDayFactory(meeting=meeting, date=date(2031, 9, 22))
    with_zoom_room(meeting, "99999999999")
    sign_up(meeting, "Rahasia Orang Lain", "rahasia@example.test", registrant_id="reg-x")
    fake_zoom.reports["99999999999"] = [
        zoom_row("Rahasia Orang Lain", wib(22, 9), wib(22, 11), registrant_id="reg-x"),
        zoom_row("Perangkat Rahasia", wib(22, 9), wib(22, 11)),
    ]
    run_import(meeting)
    return meeting


def test_the_page_lists_rows_and_unmatched_participants(client, organizer, imported, other_meeting):
    client.force_login(organizer)

    body = client.get(page(imported)).content.decode()

    assert "Ani Wulandari" in body
    assert body.count("data-unmatched>") == 1
    assert "Tablet Ruang Rapat" in body
    assert 'name="registration"' in body
    # Another meeting's participants exist, and appear nowhere.
    assert ZoomAttendanceRow.objects.filter(meeting=other_meeting).count() == 2
    assert "Rahasia" not in body


def test_the_page_is_denied_to_anonymous_and_other_organizers(
    client, imported, other_organizer, other_meeting
):
    response = client.get(page(imported))
    assert response.status_code == 302
    assert "login" in response["Location"]

    client.force_login(other_organizer)
    assert client.get(page(imported)).status_code == 404
    row = ZoomAttendanceRow.objects.filter(meeting=imported, registration=None).get()
    mine = Registration.objects.get(meeting=other_meeting)
    assert client.post(match_url(imported), {"row": row.pk, "registration": mine.code}).status_code == 404
    assert client.post(import_url(imported)).status_code == 404
    assert ZoomMatch.objects.count() == 0


def test_a_secretary_reads_the_page_but_cannot_match_or_import(client, secretary, imported, people):
    client.force_login(secretary)
    row = ZoomAttendanceRow.objects.filter(meeting=imported, registration=None).get()

    body = client.get(page(imported)).content.decode()
    assert "Tablet Ruang Rapat" in body
    assert 'name="registration"' not in body

    assert (
        client.post(match_url(imported), {"row": row.pk, "registration": people["bayu"].code}).status_code
        == 403
    )
    assert client.post(import_url(imported)).status_code == 403
    assert (ZoomMatch.objects.count(), DBTaskResult.objects.filter(task_path=IMPORT_TASK).count()) == (0, 0)


def test_an_organizer_matches_by_hand_on_the_page(client, organizer, imported, people):
    client.force_login(organizer)
    row = ZoomAttendanceRow.objects.filter(meeting=imported, registration=None).get()

    body = client.get(page(imported)).content.decode()
    option = f'<option value="{people["bayu"].code} — Bayu Pratama">'
    assert option in body

    # The field holds the option chosen from the list.
    response = client.post(
        match_url(imported), {"row": row.pk, "registration": f"{people['bayu'].code} — Bayu Pratama"}
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.registration, row.matched_by) == (people["bayu"], "hand")
    assert client.get(page(imported)).content.decode().count("data-unmatched>") == 0


def test_the_match_form_refuses_another_meeting_s_registration(client, organizer, imported, other_meeting):
    client.force_login(organizer)
    row = ZoomAttendanceRow.objects.filter(meeting=imported, registration=None).get()
    foreign = Registration.objects.get(meeting=other_meeting)

    # Refused like a code that is nobody's: back to the page, nothing matched.
    response = client.post(match_url(imported), {"row": row.pk, "registration": foreign.code})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.registration is None
    foreign_row = ZoomAttendanceRow.objects.filter(meeting=other_meeting).first()
    assert (
        client.post(match_url(imported), {"row": foreign_row.pk, "registration": foreign.code}).status_code
        == 404
    )
    assert ZoomMatch.objects.count() == 0
    assert ZoomAttendanceRow.objects.filter(registration=foreign, matched_by="hand").count() == 0


def test_import_now_enqueues_the_import_and_the_worker_runs_it(
    client, organizer, fake_zoom, zoom_meeting, people, run_tasks
):
    fake_zoom.reports[ZOOM_ID] = [zoom_row("Ani", wib(22, 9), wib(22, 11), registrant_id="reg-ani")]
    client.force_login(organizer)

    response = client.post(import_url(zoom_meeting))

    assert response.status_code == 302
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.filter(task_path=IMPORT_TASK)] == [
        [zoom_meeting.pk, ""]
    ]
    run_tasks()
    assert [(name, minutes) for name, _d, _f, _l, minutes in zoom_attendance()] == [("Ani Wulandari", 120)]
    body = client.get(page(zoom_meeting)).content.decode()
    assert "data-import-log" in body
