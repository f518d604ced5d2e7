"""Meeting lifecycle services: creation, updates, transitions, staff, online room."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from meetings import services
from meetings.models import Meeting, MeetingDay
from meetings.signals import meeting_schedule_changed, meeting_status_changed
from tests.factories import move_days_to_the_past

DAYS = [
    {"date": date(2031, 9, 22), "start_time": time(9), "end_time": time(15)},
    {"date": date(2031, 9, 23), "start_time": time(9), "end_time": time(12)},
]


def actions(meeting):
    return list(
        AuditEntry.objects.filter(object_id=str(meeting.pk), action__startswith="meeting.")
        .exclude(action__startswith="meeting.reminders_")  # written by participants' receivers
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_create_meeting_makes_draft_with_days_and_creator_as_organizer(organizer):
    meeting = services.create_meeting(actor=organizer, days=DAYS, title="FGD P3MI", kind="fgd", mode="hybrid")
    assert meeting.status == Meeting.Status.DRAFT
    assert list(meeting.days.values_list("date", flat=True)) == [date(2031, 9, 22), date(2031, 9, 23)]
    assert (meeting.starts_on, meeting.ends_on) == (date(2031, 9, 22), date(2031, 9, 23))
    assert list(meeting.organizers.all()) == [organizer]
    assert actions(meeting) == ["meeting.created"]
    assert len(meeting.code) == 8


def test_create_meeting_with_day_ending_before_start_saves_nothing(organizer):
    bad = [{"date": date(2031, 9, 22), "start_time": time(15), "end_time": time(9)}]
    with pytest.raises(ValidationError) as err:
        services.create_meeting(actor=organizer, days=bad, title="FGD")
    assert "end_time" in err.value.message_dict
    assert Meeting.objects.count() == 0
    assert MeetingDay.objects.count() == 0


def test_create_meeting_with_registration_closing_after_meeting_end_saves_nothing(organizer):
    closes = datetime(2031, 9, 23, 12, 30, tzinfo=UTC)  # 19.30 WIB, after the 12.00 WIB end
    with pytest.raises(ValidationError) as err:
        services.create_meeting(actor=organizer, days=DAYS, title="FGD", registration_closes_at=closes)
    assert list(err.value.message_dict) == ["registration_closes_at"]
    assert Meeting.objects.count() == 0


def test_create_meeting_rejects_duplicate_day(organizer):
    with pytest.raises(ValidationError) as err:
        services.create_meeting(actor=organizer, days=[DAYS[0], DAYS[0]], title="FGD")
    assert list(err.value.message_dict) == ["date"]
    assert Meeting.objects.count() == 0


def test_update_meeting_records_changed_fields_only(meeting, organizer):
    changed = services.update_meeting(meeting, actor=organizer, title="FGD Baru", theme=meeting.theme)
    assert changed == ["title"]
    meeting.refresh_from_db()
    assert meeting.title == "FGD Baru"
    entry = AuditEntry.objects.get(action="meeting.updated")
    assert entry.data == {"changes": {"title": ["FGD Pengawasan P3MI", "FGD Baru"]}}
    assert entry.actor == organizer


def test_update_meeting_without_changes_writes_nothing(meeting, organizer):
    assert services.update_meeting(meeting, actor=organizer, title=meeting.title) == []
    assert AuditEntry.objects.filter(action="meeting.updated").count() == 0


def test_venue_change_after_publishing_raises_calendar_sequence(
    published_meeting, organizer, django_capture_on_commit_callbacks
):
    received = []
    meeting_schedule_changed.connect(
        lambda **kw: received.append(kw["meeting"].pk), weak=False, dispatch_uid="t1"
    )
    try:
        with django_capture_on_commit_callbacks():  # not executed: signals go out before commit
            services.update_meeting(published_meeting, actor=organizer, venue_name="Hotel Borobudur")
    finally:
        meeting_schedule_changed.disconnect(dispatch_uid="t1")
    published_meeting.refresh_from_db()
    assert published_meeting.calendar_sequence == 1
    assert received == [published_meeting.pk]


def test_draft_changes_keep_calendar_sequence(meeting, organizer):
    services.update_meeting(meeting, actor=organizer, venue_name="Hotel Borobudur")
    meeting.refresh_from_db()
    assert meeting.calendar_sequence == 0


def test_lifecycle_publish_held_close_writes_audit_and_signals(
    meeting, organizer, django_capture_on_commit_callbacks
):
    move_days_to_the_past(meeting)
    seen = []
    meeting_status_changed.connect(
        lambda **kw: seen.append((kw["old_status"], kw["new_status"])), weak=False, dispatch_uid="t2"
    )
    try:
        with django_capture_on_commit_callbacks():  # not executed: signals go out before commit
            services.publish(meeting, actor=organizer)
            services.mark_held(meeting, actor=organizer)
            services.close(meeting, actor=organizer)
    finally:
        meeting_status_changed.disconnect(dispatch_uid="t2")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert actions(meeting) == ["meeting.publish", "meeting.mark_held", "meeting.close"]
    assert seen == [("draft", "published"), ("published", "held"), ("held", "closed")]


def test_publish_without_days_is_refused(organizer):
    meeting = services.create_meeting(actor=organizer, title="Tanpa hari")
    with pytest.raises(services.TransitionError):
        services.publish(meeting, actor=organizer)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


@pytest.mark.parametrize("verb", ["unpublish", "mark_held", "close"])
def test_transition_from_draft_is_refused(meeting, organizer, verb):
    with pytest.raises(services.TransitionError):
        getattr(services, verb)(meeting, actor=organizer)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert actions(meeting) == []


def test_cancel_records_reason_and_raises_sequence(published_meeting, organizer):
    services.cancel(published_meeting, actor=organizer, reason="Pandemi")
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.CANCELLED
    assert published_meeting.calendar_sequence == 1
    entry = AuditEntry.objects.get(action="meeting.cancel")
    assert entry.data == {"old_status": "published", "new_status": "cancelled", "reason": "Pandemi"}


def test_cancelled_meeting_cannot_be_published_again(published_meeting, organizer):
    services.cancel(published_meeting, actor=organizer)
    with pytest.raises(services.TransitionError):
        services.publish(published_meeting, actor=organizer)


def test_set_staff_requires_an_organizer(meeting, organizer, secretary):
    with pytest.raises(ValidationError):
        services.set_staff(meeting, actor=organizer, organizers=[], secretaries=[secretary])
    assert list(meeting.organizers.all()) == [organizer]


def test_set_staff_replaces_lists(meeting, organizer, secretary, other_organizer):
    services.set_staff(meeting, actor=organizer, organizers=[other_organizer], secretaries=[organizer])
    assert list(meeting.organizers.all()) == [other_organizer]
    assert list(meeting.secretaries.all()) == [organizer]


def test_manual_room_stores_link_and_audits(meeting, organizer):
    room = services.set_manual_room(
        meeting, actor=organizer, join_url="https://zoom.us/j/123", passcode="abc"
    )
    assert (room.provider, room.join_url, room.passcode) == ("manual", "https://zoom.us/j/123", "abc")
    assert actions(meeting) == ["meeting.online_room_set"]


def test_manual_room_rejects_bad_url(meeting, organizer):
    with pytest.raises(ValidationError):
        services.set_manual_room(meeting, actor=organizer, join_url="javascript:alert(1)")
    from meetings.models import OnlineRoom

    assert OnlineRoom.objects.filter(meeting=meeting).count() == 0


def test_mark_held_before_the_first_day_starts_is_refused(published_meeting, organizer):
    with pytest.raises(services.TransitionError) as refused:
        services.mark_held(published_meeting, actor=organizer)
    assert str(refused.value) == (
        "Rapat ini belum dimulai: hari pertamanya Senin, 22 September 2031 pukul 09.00 WIB. "
        "Tandai terlaksana setelah rapat dimulai."
    )
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.PUBLISHED
    assert actions(published_meeting) == []


def test_mark_held_once_the_first_day_has_started(published_meeting, organizer):
    first = published_meeting.days.order_by("date").first()
    services.mark_held(published_meeting, actor=organizer, now=first.starts_at())
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.HELD


def test_reopen_takes_a_held_meeting_back_to_published(published_meeting, organizer):
    move_days_to_the_past(published_meeting)
    seen = []
    meeting_status_changed.connect(
        lambda **kw: seen.append((kw["old_status"], kw["new_status"])), weak=False, dispatch_uid="t3"
    )
    try:
        services.mark_held(published_meeting, actor=organizer)
        services.reopen(published_meeting, actor=organizer)
    finally:
        meeting_status_changed.disconnect(dispatch_uid="t3")
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.PUBLISHED
    assert actions(published_meeting) == ["meeting.mark_held", "meeting.reopen"]
    assert seen == [("published", "held"), ("held", "published")]


@pytest.mark.parametrize("status", ["draft", "published", "closed", "cancelled"])
def test_reopen_is_only_for_held_meetings(meeting, organizer, status):
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    with pytest.raises(services.TransitionError):
        services.reopen(meeting, actor=organizer)
    meeting.refresh_from_db()
    assert meeting.status == status
    assert actions(meeting) == []
