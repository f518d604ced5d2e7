"""Online attendance: one service for every source (by hand now, Zoom later), the page, the summary."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from meetings.models import MeetingDay
from participants.models import Attendance, Registration
from participants.services import attendance as attendance_services
from participants.services import registration as reg
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

CheckInError = attendance_services.CheckInError


@pytest.fixture
def day(published_meeting):
    """The first day is today (00.00–23.59 in the meeting's zone); the second is in 2031."""
    first = published_meeting.days.order_by("date").first()
    today = timezone.localtime(timezone.now(), published_meeting.tz).date()
    MeetingDay.objects.filter(pk=first.pk).update(date=today, start_time=time(0, 0), end_time=time(23, 59))
    first.refresh_from_db()
    return first


@pytest.fixture
def later_day(published_meeting):
    return published_meeting.days.order_by("date").last()


def sign_up(meeting, name, mode="online", **extra):
    return reg.register(
        meeting,
        full_name=name,
        email=f"{name.split()[0].lower()}@example.test",
        mode=mode,
        consent=True,
        check_window=False,
        **extra,
    ).registration


@pytest.fixture
def people(published_meeting):
    kkp = OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
    return [
        sign_up(published_meeting, "Ani Daring", organization=kkp),
        sign_up(published_meeting, "Bayu Daring", organization=kkp),
        sign_up(published_meeting, "Cici Daring"),
    ]


def online_rows():
    return sorted(
        Attendance.objects.exclude(how="onsite").values_list(
            "registration__full_name", "day_id", "how", "minutes"
        )
    )


def page_url(meeting, day):
    return reverse("participants:online_attendance", args=[meeting.code, day.pk])


# The service ------------------------------------------------------------------------------------


def test_record_online_by_hand_records_once(organizer, day, people):
    first = attendance_services.record_online(people[0], day, actor=organizer)
    again = attendance_services.record_online(people[0], day, actor=organizer)
    assert (first.created, again.created) == (True, False)
    assert online_rows() == [("Ani Daring", day.pk, "online", None)]
    assert list(
        AuditEntry.objects.filter(action="attendance.online_recorded").values_list("data", flat=True)
    ) == [{"day": day.date.isoformat(), "source": "manual"}]


def test_zoom_source_replaces_the_hand_made_record_with_its_times(organizer, day, people):
    attendance_services.record_online(people[0], day, actor=organizer)
    joined = day.starts_at() + timedelta(hours=9)
    left = joined + timedelta(minutes=95)
    attendance_services.record_online(
        people[0], day, source="zoom", joined_at=joined, left_at=left, minutes=95
    )
    attendance = Attendance.objects.get()
    assert (attendance.how, attendance.first_seen_at, attendance.last_left_at, attendance.minutes) == (
        "zoom",
        joined,
        left,
        95,
    )
    # A hand-made mark afterwards leaves Zoom's record alone.
    attendance_services.record_online(people[0], day, actor=organizer)
    assert online_rows() == [("Ani Daring", day.pk, "zoom", 95)]


def test_online_attendance_before_the_day_is_refused(organizer, later_day, people):
    with pytest.raises(CheckInError) as refused:
        attendance_services.record_online(people[0], later_day, actor=organizer)
    assert str(refused.value) == "Selasa, 23 September 2031 belum tiba; belum ada yang dapat menghadirinya."
    assert online_rows() == []


def test_online_attendance_of_someone_not_confirmed_is_refused(organizer, published_meeting, day, people):
    Registration.objects.filter(pk=people[0].pk).update(state="waitlisted")
    with pytest.raises(CheckInError):
        attendance_services.record_online(people[0], day, actor=organizer)
    assert online_rows() == []


def test_set_online_attendance_adds_and_removes_hand_made_marks_and_keeps_zoom(
    organizer, published_meeting, day, people
):
    ani, bayu, cici = people
    attendance_services.record_online(ani, day, actor=organizer)
    attendance_services.record_online(cici, day, source="zoom", joined_at=day.starts_at(), minutes=30)
    change = attendance_services.set_online_attendance(published_meeting, day, {bayu.pk}, actor=organizer)
    assert ([r.full_name for r in change.added], [r.full_name for r in change.removed]) == (
        ["Bayu Daring"],
        ["Ani Daring"],
    )
    assert online_rows() == [("Bayu Daring", day.pk, "online", None), ("Cici Daring", day.pk, "zoom", 30)]
    assert AuditEntry.objects.filter(action="attendance.online_removed").count() == 1


def test_set_online_attendance_with_a_stranger_changes_nothing(organizer, published_meeting, day, people):
    stranger = sign_up(published_meeting, "Wati Waiting")
    Registration.objects.filter(pk=stranger.pk).update(state="waitlisted")
    with pytest.raises(CheckInError):
        attendance_services.set_online_attendance(
            published_meeting, day, {people[0].pk, stranger.pk}, actor=organizer
        )
    assert online_rows() == []


# The summary ------------------------------------------------------------------------------------


def test_summary_counts_online_attendance_and_nobody_absent_before_a_day(
    organizer, published_meeting, day, people
):
    attendance_services.record_online(people[0], day, actor=organizer)
    attendance_services.record_online(people[1], day, source="zoom", joined_at=day.starts_at(), minutes=40)
    today, later = attendance_services.summary(published_meeting)
    assert (today.phase, today.total.registered, today.total.online, today.total.no_shows) == (
        "under_way",
        3,
        2,
        1,
    )
    assert (later.phase, later.total.online, later.total.no_shows) == ("upcoming", 0, None)


def test_summary_page_words_per_phase(client, organizer, published_meeting, day, people):
    client.force_login(organizer)
    page = client.get(
        reverse("participants:attendance_summary", args=[published_meeting.code])
    ).content.decode()
    today, later = page.split('data-phase="under_way"')[1], page.split('data-phase="upcoming"')[-1]
    assert "Belum datang" in today.split("</thead>")[0]
    assert "Hari rapat ini belum dimulai: belum ada yang tidak hadir." in page
    assert "—" in later.split("</tfoot>")[0]


# The page ---------------------------------------------------------------------------------------


def test_online_page_lists_online_registrants_and_saves_the_ticks(
    client, organizer, published_meeting, day, people
):
    onsite = sign_up(published_meeting, "Oki Luring", mode="onsite")
    client.force_login(organizer)
    page = client.get(page_url(published_meeting, day)).content.decode()
    assert [r.full_name for r in client.get(page_url(published_meeting, day)).context["roster"]] == [
        "Ani Daring",
        "Bayu Daring",
        "Cici Daring",
    ]
    assert onsite.full_name not in page
    response = client.post(page_url(published_meeting, day), {"present": [people[0].pk, people[2].pk]})
    assert response.status_code == 302
    assert online_rows() == [("Ani Daring", day.pk, "online", None), ("Cici Daring", day.pk, "online", None)]
    page = client.get(response.url).content.decode()
    assert "Kehadiran daring disimpan: 2 ditambahkan, 0 dihapus." in page


def test_online_page_secretary_may_record(client, secretary, published_meeting, day, people):
    client.force_login(secretary)
    client.post(page_url(published_meeting, day), {"present": [people[1].pk]})
    assert online_rows() == [("Bayu Daring", day.pk, "online", None)]


def test_online_page_other_organizer_gets_404_and_no_names(
    client, other_organizer, published_meeting, day, people
):
    client.force_login(other_organizer)
    response = client.get(page_url(published_meeting, day))
    assert response.status_code == 404
    assert "Ani Daring" not in response.content.decode()
    assert client.post(page_url(published_meeting, day), {"present": [people[0].pk]}).status_code == 404
    assert online_rows() == []


def test_online_page_unreadable_input_changes_nothing(client, organizer, published_meeting, day, people):
    client.force_login(organizer)
    response = client.post(page_url(published_meeting, day), {"present": ["x"]})
    assert response.status_code == 200
    assert "Daftar yang dikirim tidak terbaca; tidak ada yang disimpan." in response.content.decode()
    assert online_rows() == []


def test_online_page_before_the_day_offers_nothing_to_tick(
    client, organizer, published_meeting, later_day, people
):
    client.force_login(organizer)
    page = client.get(page_url(published_meeting, later_day)).content.decode()
    assert "Selasa, 23 September 2031 belum tiba" in page
    assert "<fieldset data-people-picker disabled>" in page
    client.post(page_url(published_meeting, later_day), {"present": [people[0].pk]})
    assert online_rows() == []
