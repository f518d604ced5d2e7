"""Days and agenda items: the schedule rules, slot swapping, audit entries, calendar sequence."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from meetings import services
from meetings.models import AgendaItem, Meeting, MeetingDay
from meetings.signals import meeting_schedule_changed
from tests.factories import AgendaItemFactory


def actions(meeting):
    return list(
        AuditEntry.objects.filter(object_id=str(meeting.pk))
        .exclude(action__startswith="meeting.reminders_")  # written by participants' receivers
        .order_by("id")
        .values_list("action", flat=True)
    )


def first_day(meeting):
    return meeting.days.get(date=date(2031, 9, 22))


def last_day(meeting):
    return meeting.days.get(date=date(2031, 9, 23))


def slots(day):
    return list(day.items.order_by("start_time").values_list("title", "start_time", "end_time"))


def day_row(day):
    return MeetingDay.objects.filter(pk=day.pk).values_list("date", "start_time", "end_time").get()


# Days ---------------------------------------------------------------------------------------


def test_add_day_saves_day_and_extends_meeting_dates(meeting, organizer):
    day = services.add_day(
        meeting, actor=organizer, date=date(2031, 9, 24), start_time=time(8), end_time=time(11)
    )
    assert list(meeting.days.values_list("date", flat=True)) == [
        date(2031, 9, 22),
        date(2031, 9, 23),
        date(2031, 9, 24),
    ]
    assert (day.start_time, day.end_time) == (time(8), time(11))
    meeting.refresh_from_db()
    assert (meeting.starts_on, meeting.ends_on) == (date(2031, 9, 22), date(2031, 9, 24))
    assert actions(meeting) == ["meeting.day_added"]
    assert AuditEntry.objects.get().data == {"date": "2031-09-24"}


def test_add_day_ending_before_start_saves_nothing(meeting, organizer):
    with pytest.raises(ValidationError) as err:
        services.add_day(
            meeting, actor=organizer, date=date(2031, 9, 24), start_time=time(12), end_time=time(9)
        )
    assert list(err.value.message_dict) == ["end_time"]
    assert meeting.days.count() == 2
    assert actions(meeting) == []


def test_add_day_on_existing_date_is_refused(meeting, organizer):
    with pytest.raises(ValidationError) as err:
        services.add_day(
            meeting, actor=organizer, date=date(2031, 9, 23), start_time=time(13), end_time=time(15)
        )
    assert list(err.value.message_dict) == ["date"]
    assert meeting.days.count() == 2


def test_update_day_changes_date_hours_and_meeting_dates(meeting, organizer):
    day = last_day(meeting)
    services.update_day(day, actor=organizer, date=date(2031, 9, 25), start_time=time(8), end_time=time(13))
    assert day_row(day) == (date(2031, 9, 25), time(8), time(13))
    meeting.refresh_from_db()
    assert meeting.ends_on == date(2031, 9, 25)
    entry = AuditEntry.objects.get(action="meeting.day_changed")
    assert entry.data == {
        "old": ["2031-09-23", "09:00:00", "12:00:00"],
        "new": ["2031-09-25", "08:00:00", "13:00:00"],
    }


def test_update_day_to_date_of_another_day_is_refused(meeting, organizer):
    day = last_day(meeting)
    with pytest.raises(ValidationError) as err:
        services.update_day(
            day, actor=organizer, date=date(2031, 9, 22), start_time=time(9), end_time=time(12)
        )
    assert list(err.value.message_dict) == ["date"]
    assert day_row(day) == (date(2031, 9, 23), time(9), time(12))


def test_update_day_ending_before_start_is_refused(meeting, organizer):
    day = last_day(meeting)
    with pytest.raises(ValidationError) as err:
        services.update_day(day, actor=organizer, date=day.date, start_time=time(12), end_time=time(12))
    assert list(err.value.message_dict) == ["end_time"]
    assert day_row(day) == (date(2031, 9, 23), time(9), time(12))


def test_update_day_shrinking_hours_past_items_names_them_and_saves_nothing(meeting, organizer):
    day = first_day(meeting)
    with pytest.raises(ValidationError) as err:
        services.update_day(day, actor=organizer, date=day.date, start_time=time(9, 30), end_time=time(11))
    # Messages are translated; the item each one names is not.
    assert list(err.value.message_dict) == ["start_time", "end_time"]
    assert "“Pembukaan” (09.00–10.00)" in err.value.message_dict["start_time"][0]
    assert "“Paparan Narasumber” (10.00–12.00)" in err.value.message_dict["end_time"][0]
    assert day_row(day) == (date(2031, 9, 22), time(9), time(15))
    assert (day.start_time, day.end_time) == (time(9), time(15))
    assert actions(meeting) == []


def test_update_day_shrinking_hours_around_items_is_allowed(meeting, organizer):
    day = first_day(meeting)
    services.update_day(day, actor=organizer, date=day.date, start_time=time(9), end_time=time(12))
    assert day_row(day) == (date(2031, 9, 22), time(9), time(12))


def test_update_last_day_ending_before_registration_closes_saves_nothing(meeting, organizer):
    # Registration closes 11.00 WIB on the last day; that day cannot end at 10.30.
    Meeting.objects.filter(pk=meeting.pk).update(registration_closes_at=datetime(2031, 9, 23, 4, tzinfo=UTC))
    day = last_day(meeting)
    with pytest.raises(ValidationError) as err:
        services.update_day(day, actor=organizer, date=day.date, start_time=time(9), end_time=time(10, 30))
    assert list(err.value.message_dict) == ["registration_closes_at"]
    assert day_row(day) == (date(2031, 9, 23), time(9), time(12))
    assert (day.start_time, day.end_time) == (time(9), time(12))
    assert actions(meeting) == []


def test_remove_day_deletes_it_with_its_items_and_shortens_meeting(meeting, organizer):
    day = first_day(meeting)
    services.remove_day(day, actor=organizer)
    assert list(meeting.days.values_list("date", flat=True)) == [date(2031, 9, 23)]
    assert AgendaItem.objects.filter(day__meeting=meeting).count() == 0
    meeting.refresh_from_db()
    assert (meeting.starts_on, meeting.ends_on) == (date(2031, 9, 23), date(2031, 9, 23))
    assert actions(meeting) == ["meeting.day_removed"]


def test_remove_last_day_before_registration_closes_saves_nothing(meeting, organizer):
    # Registration closes 09.00 WIB on 23 September, after the first day ends.
    Meeting.objects.filter(pk=meeting.pk).update(registration_closes_at=datetime(2031, 9, 23, 2, tzinfo=UTC))
    day = last_day(meeting)
    with pytest.raises(ValidationError) as err:
        services.remove_day(day, actor=organizer)
    assert list(err.value.message_dict) == ["registration_closes_at"]
    assert meeting.days.count() == 2
    assert day.pk is not None
    assert actions(meeting) == []


def test_remove_only_day_of_published_meeting_is_refused(published_meeting, organizer):
    services.remove_day(last_day(published_meeting), actor=organizer)
    with pytest.raises(ValidationError):
        services.remove_day(first_day(published_meeting), actor=organizer)
    assert published_meeting.days.count() == 1


def test_day_change_after_publishing_raises_calendar_sequence_and_signals(
    published_meeting, organizer, django_capture_on_commit_callbacks
):
    received = []

    def receiver(**kwargs):
        received.append(kwargs["meeting"].pk)

    meeting_schedule_changed.connect(receiver, weak=False, dispatch_uid="agenda-test")
    try:
        with django_capture_on_commit_callbacks():  # not executed: signals go out before commit
            services.add_day(
                published_meeting,
                actor=organizer,
                date=date(2031, 9, 24),
                start_time=time(9),
                end_time=time(12),
            )
            day = last_day(published_meeting)
            services.update_day(day, actor=organizer, date=day.date, start_time=time(8), end_time=time(12))
            services.remove_day(day, actor=organizer)
    finally:
        meeting_schedule_changed.disconnect(dispatch_uid="agenda-test")
    published_meeting.refresh_from_db()
    assert published_meeting.calendar_sequence == 3
    assert received == [published_meeting.pk] * 3
    assert actions(published_meeting) == ["meeting.day_added", "meeting.day_changed", "meeting.day_removed"]
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {organizer.pk}


def test_day_change_on_draft_keeps_calendar_sequence(meeting, organizer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.add_day(
            meeting, actor=organizer, date=date(2031, 9, 24), start_time=time(9), end_time=time(12)
        )
    meeting.refresh_from_db()
    assert meeting.calendar_sequence == 0
    assert callbacks == []


# Agenda items -------------------------------------------------------------------------------


def test_add_agenda_item_saves_it_after_the_others(meeting, organizer):
    day = first_day(meeting)
    item = services.add_agenda_item(
        day,
        actor=organizer,
        start_time=time(13),
        end_time=time(14),
        title="Diskusi",
        description="Tanya jawab",
    )
    assert slots(day) == [
        ("Pembukaan", time(9), time(10)),
        ("Paparan Narasumber", time(10), time(12)),
        ("Diskusi", time(13), time(14)),
    ]
    assert item.order == 3
    assert item.description == "Tanya jawab"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data) == ("agenda.item_added", {"title": "Diskusi", "day": "2031-09-22"})


def test_add_agenda_item_ending_before_start_saves_nothing(meeting, organizer):
    day = first_day(meeting)
    with pytest.raises(ValidationError) as err:
        services.add_agenda_item(
            day, actor=organizer, start_time=time(14), end_time=time(13), title="Diskusi"
        )
    assert list(err.value.message_dict) == ["end_time"]
    assert day.items.count() == 2


def test_add_agenda_item_outside_day_hours_saves_nothing(meeting, organizer):
    day = first_day(meeting)
    with pytest.raises(ValidationError) as err:
        services.add_agenda_item(
            day, actor=organizer, start_time=time(15), end_time=time(16), title="Diskusi"
        )
    assert list(err.value.message_dict) == ["start_time", "end_time"]
    assert "09.00–15.00" in err.value.message_dict["start_time"][0]
    assert day.items.count() == 2


def test_add_agenda_item_overlapping_another_names_it(meeting, organizer):
    day = first_day(meeting)
    with pytest.raises(ValidationError) as err:
        services.add_agenda_item(
            day, actor=organizer, start_time=time(11), end_time=time(13), title="Diskusi"
        )
    assert list(err.value.message_dict) == ["start_time"]
    assert "“Paparan Narasumber” (10.00–12.00)" in err.value.message_dict["start_time"][0]
    assert day.items.count() == 2
    assert actions(meeting) == []


def test_add_agenda_item_without_title_saves_nothing(meeting, organizer):
    day = last_day(meeting)
    with pytest.raises(ValidationError) as err:
        services.add_agenda_item(day, actor=organizer, start_time=time(9), end_time=time(10), title="")
    assert list(err.value.message_dict) == ["title"]
    assert day.items.count() == 0


def test_update_agenda_item_changes_fields(meeting, organizer):
    item = AgendaItem.objects.get(title="Pembukaan")
    services.update_agenda_item(
        item,
        actor=organizer,
        start_time=time(9),
        end_time=time(9, 45),
        title="Sambutan",
        description="Kepala BP2MI",
    )
    item.refresh_from_db()
    assert (item.title, item.start_time, item.end_time, item.description) == (
        "Sambutan",
        time(9),
        time(9, 45),
        "Kepala BP2MI",
    )
    assert actions(meeting) == ["agenda.item_changed"]


def test_update_agenda_item_overlapping_saves_nothing_and_keeps_instance(meeting, organizer):
    item = AgendaItem.objects.get(title="Pembukaan")
    with pytest.raises(ValidationError) as err:
        services.update_agenda_item(item, actor=organizer, end_time=time(10, 30), title="Sambutan")
    assert "Paparan Narasumber" in err.value.message_dict["start_time"][0]
    assert (item.title, item.end_time) == ("Pembukaan", time(10))
    item.refresh_from_db()
    assert (item.title, item.end_time) == ("Pembukaan", time(10))
    assert actions(meeting) == []


def test_update_agenda_item_outside_day_hours_saves_nothing(meeting, organizer):
    item = AgendaItem.objects.get(title="Paparan Narasumber")
    with pytest.raises(ValidationError) as err:
        services.update_agenda_item(item, actor=organizer, start_time=time(14), end_time=time(16))
    assert list(err.value.message_dict) == ["end_time"]
    item.refresh_from_db()
    assert (item.start_time, item.end_time) == (time(10), time(12))


def test_delete_agenda_item_removes_it(meeting, organizer):
    item = AgendaItem.objects.get(title="Pembukaan")
    services.delete_agenda_item(item, actor=organizer)
    assert slots(first_day(meeting)) == [("Paparan Narasumber", time(10), time(12))]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data) == ("agenda.item_deleted", {"title": "Pembukaan"})


def test_move_agenda_item_down_swaps_slots_and_keeps_durations(meeting, organizer):
    item = AgendaItem.objects.get(title="Pembukaan")
    moved = services.move_agenda_item(item, actor=organizer, direction=1)
    assert slots(first_day(meeting)) == [
        ("Paparan Narasumber", time(9), time(11)),
        ("Pembukaan", time(11), time(12)),
    ]
    assert moved is item
    assert (item.start_time, item.end_time) == (time(11), time(12))
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data) == ("agenda.item_moved", {"title": "Pembukaan", "direction": 1})


def test_move_agenda_item_up_keeps_the_gap_between_the_two(meeting, organizer):
    day = first_day(meeting)
    AgendaItemFactory(day=day, start_time=time(12, 30), end_time=time(13), title="Diskusi", order=3)
    item = AgendaItem.objects.get(title="Diskusi")
    services.move_agenda_item(item, actor=organizer, direction=-1)
    assert slots(day) == [
        ("Pembukaan", time(9), time(10)),
        ("Diskusi", time(10), time(10, 30)),
        ("Paparan Narasumber", time(11), time(13)),
    ]


def test_move_first_item_up_changes_nothing(meeting, organizer):
    item = AgendaItem.objects.get(title="Pembukaan")
    services.move_agenda_item(item, actor=organizer, direction=-1)
    assert slots(first_day(meeting)) == [
        ("Pembukaan", time(9), time(10)),
        ("Paparan Narasumber", time(10), time(12)),
    ]
    assert actions(meeting) == []


def test_move_agenda_item_by_more_than_one_is_refused(meeting, organizer):
    item = AgendaItem.objects.get(title="Pembukaan")
    with pytest.raises(ValueError, match="direction must be -1 or 1"):
        services.move_agenda_item(item, actor=organizer, direction=2)


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_final_meeting_agenda_cannot_change(meeting, organizer, status):
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    day = meeting.days.order_by("date").first()
    item = day.items.order_by("start_time").first()
    calls = [
        lambda: services.add_agenda_item(
            day, actor=organizer, start_time=time(13), end_time=time(14), title="X"
        ),
        lambda: services.update_agenda_item(item, actor=organizer, title="Y"),
        lambda: services.delete_agenda_item(item, actor=organizer),
        lambda: services.move_agenda_item(item, actor=organizer, direction=1),
        lambda: services.add_day(
            meeting, actor=organizer, date=date(2031, 9, 24), start_time=time(9), end_time=time(12)
        ),
        lambda: services.update_day(
            day, actor=organizer, date=day.date, start_time=time(8), end_time=time(15)
        ),
        lambda: services.remove_day(day, actor=organizer),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.messages == [
            f"Rapat ini {'ditutup' if status == 'closed' else 'dibatalkan'}; agendanya tidak dapat diubah lagi."
        ]
    assert [(i.title, i.start_time) for i in day.items.order_by("start_time")] == [
        ("Pembukaan", time(9)),
        ("Paparan Narasumber", time(10)),
    ]
    assert meeting.days.count() == 2
