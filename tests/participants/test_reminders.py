"""Reminders: planning per schedule version, rescheduling, cancellation, and sending exactly once."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import OutgoingEmail
from core.offsets import parse_offsets
from meetings import services as meeting_services
from meetings.models import Meeting, OnlineRoom
from participants import notifications
from participants.models import Registration, Reminder
from participants.services import reminders
from participants.tasks import send_reminder
from tests.factories import AgendaRoleFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

ALL_OFFSETS = ["1d@09:00", "1h", "2d", "30m", "1d@07:30"]
SEND_TASK = "participants.tasks.send_reminder"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def planned(meeting) -> dict[str, tuple]:
    return {
        r.offset: (r.due_at, r.schedule_version, r.state)
        for r in Reminder.objects.filter(meeting=meeting).order_by("pk")
    }


def enqueued() -> list[tuple[list, datetime]]:
    rows = DBTaskResult.objects.filter(task_path=SEND_TASK).order_by("run_after", "pk")
    return [(row.args_kwargs["args"], row.run_after) for row in rows]


def add_registration(meeting, email, *, state="confirmed", mode="onsite", **extra):
    return Registration.objects.create(
        meeting=meeting,
        full_name=extra.pop("full_name", email.split("@")[0]),
        email=email,
        state=state,
        mode=mode,
        **extra,
    )


def due_reminder(meeting, offset="1h") -> Reminder:
    """A reminder of the meeting's current schedule that fell due a minute ago, with its task."""
    reminder = Reminder.objects.create(
        meeting=meeting,
        offset=offset,
        due_at=timezone.now() - timedelta(minutes=1),
        schedule_version=meeting.calendar_sequence,
    )
    send_reminder.enqueue(reminder.pk)
    return reminder


def outbox_recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# Settings ----------------------------------------------------------------------------------------


def test_offsets_setting_is_written_canonically():
    assert parse_offsets(" 1d@9.00, 2D,30m ,1h") == ["1d@09:00", "2d", "30m", "1h"]
    assert parse_offsets("") == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1w", "'1w' is not a valid offset (expected a number and a unit"),
        ("1h@09:00", "'1h@09:00' is not a valid offset (only day offsets (d) take a time of day)"),
        ("1d@25:00", "'1d@25:00' is not a valid offset (the time of day must be between"),
        ("0h", "'0h' is not a valid offset (an offset must be more than zero)"),
        ("1h,60m,1h", "'1h' appears twice"),
    ],
)
def test_offsets_setting_rejects_bad_values_with_a_clear_message(value, message):
    with pytest.raises(ImproperlyConfigured) as error:
        parse_offsets(value)
    assert str(error.value).startswith("SINERGI_REMINDER_OFFSETS: ")
    assert message in str(error.value)


# Planning ----------------------------------------------------------------------------------------


def test_publishing_plans_each_offset_in_jakarta(meeting, organizer, settings):
    settings.SINERGI_REMINDER_OFFSETS = ALL_OFFSETS
    meeting_services.publish(meeting, actor=organizer)
    # First day: Monday 22 September 2031, 09.00 WIB (UTC+7) = 02.00 UTC.
    assert planned(meeting) == {
        "1d@09:00": (utc(2031, 9, 21, 2, 0), 0, "scheduled"),
        "1h": (utc(2031, 9, 22, 1, 0), 0, "scheduled"),
        "2d": (utc(2031, 9, 20, 2, 0), 0, "scheduled"),
        "30m": (utc(2031, 9, 22, 1, 30), 0, "scheduled"),
        "1d@07:30": (utc(2031, 9, 21, 0, 30), 0, "scheduled"),
    }


def test_publishing_plans_each_offset_in_jayapura(meeting, organizer, settings):
    settings.SINERGI_REMINDER_OFFSETS = ALL_OFFSETS
    Meeting.objects.filter(pk=meeting.pk).update(timezone="Asia/Jayapura")
    meeting.refresh_from_db()
    meeting_services.publish(meeting, actor=organizer)
    # 09.00 WIT (UTC+9) = 00.00 UTC; the day before at 09.00 WIT is 00.00 UTC of the 21st.
    assert planned(meeting) == {
        "1d@09:00": (utc(2031, 9, 21, 0, 0), 0, "scheduled"),
        "1h": (utc(2031, 9, 21, 23, 0), 0, "scheduled"),
        "2d": (utc(2031, 9, 20, 0, 0), 0, "scheduled"),
        "30m": (utc(2031, 9, 21, 23, 30), 0, "scheduled"),
        "1d@07:30": (utc(2031, 9, 20, 22, 30), 0, "scheduled"),
    }


def test_default_offsets_are_the_day_before_at_nine_and_one_hour_before(meeting, organizer):
    meeting_services.publish(meeting, actor=organizer)
    assert planned(meeting) == {
        "1d@09:00": (utc(2031, 9, 21, 2, 0), 0, "scheduled"),
        "1h": (utc(2031, 9, 22, 1, 0), 0, "scheduled"),
    }


def test_each_planned_reminder_is_enqueued_to_run_at_its_due_time(meeting, organizer):
    meeting_services.publish(meeting, actor=organizer)
    day_before, hour_before = Reminder.objects.order_by("due_at")
    assert enqueued() == [
        ([day_before.pk], utc(2031, 9, 21, 2, 0)),
        ([hour_before.pk], utc(2031, 9, 22, 1, 0)),
    ]
    assert set(DBTaskResult.objects.filter(task_path=SEND_TASK).values_list("status", flat=True)) == {"READY"}


def test_offsets_already_past_are_not_planned(published_meeting, settings):
    settings.SINERGI_REMINDER_OFFSETS = ALL_OFFSETS
    # 21 September 2031, 08.00 WIB: the 2-day and the day-before-at-07.30 reminders are past.
    now = utc(2031, 9, 21, 1, 0)
    reminders.plan_reminders(published_meeting, now=now)
    assert sorted(planned(published_meeting)) == ["1d@09:00", "1h", "30m"]
    assert [run_after for _args, run_after in enqueued()] == [
        utc(2031, 9, 21, 2, 0),
        utc(2031, 9, 22, 1, 0),
        utc(2031, 9, 22, 1, 30),
    ]


def test_nothing_is_planned_once_the_meeting_has_begun(published_meeting):
    assert reminders.plan_reminders(published_meeting, now=utc(2031, 9, 22, 2, 0)) == []
    assert Reminder.objects.count() == 0
    assert enqueued() == []


def test_planning_twice_plans_nothing_more(published_meeting):
    first = reminders.plan_reminders(published_meeting)
    again = reminders.plan_reminders(published_meeting)
    assert (len(first), again) == (2, [])
    assert Reminder.objects.count() == 2
    assert len(enqueued()) == 2


def test_a_draft_meeting_gets_no_reminders(meeting):
    assert reminders.plan_reminders(meeting) == []
    assert Reminder.objects.count() == 0


def test_rescheduling_supersedes_old_reminders_and_plans_new_times(meeting, organizer):
    meeting_services.publish(meeting, actor=organizer)
    old_ids = set(Reminder.objects.values_list("pk", flat=True))
    first_day = meeting.days.order_by("date").first()
    meeting_services.update_day(
        first_day, actor=organizer, date=date(2031, 9, 21), start_time=time(8), end_time=time(15)
    )
    meeting.refresh_from_db()
    assert meeting.calendar_sequence == 1
    rows = {
        (r.offset, r.schedule_version): (r.due_at, r.state, r.note)
        for r in Reminder.objects.filter(meeting=meeting)
    }
    assert rows == {
        ("1d@09:00", 0): (utc(2031, 9, 21, 2, 0), "superseded", "rescheduled"),
        ("1h", 0): (utc(2031, 9, 22, 1, 0), "superseded", "rescheduled"),
        # The first day is now Sunday 21 September, 08.00 WIB.
        ("1d@09:00", 1): (utc(2031, 9, 20, 2, 0), "scheduled", ""),
        ("1h", 1): (utc(2031, 9, 21, 0, 0), "scheduled", ""),
    }
    new = Reminder.objects.filter(schedule_version=1).order_by("due_at")
    assert [(args, run_after) for args, run_after in enqueued() if args[0] not in old_ids] == [
        ([r.pk], r.due_at) for r in new
    ]


def test_rescheduling_to_another_zone_moves_the_due_times(meeting, organizer):
    meeting_services.publish(meeting, actor=organizer)
    meeting_services.update_meeting(meeting, actor=organizer, timezone="Asia/Makassar")
    current = {
        r.offset: r.due_at for r in Reminder.objects.filter(meeting=meeting, state=Reminder.State.SCHEDULED)
    }
    # 09.00 WITA (UTC+8) = 01.00 UTC.
    assert current == {"1d@09:00": utc(2031, 9, 21, 1, 0), "1h": utc(2031, 9, 22, 0, 0)}


def test_cancelling_the_meeting_skips_scheduled_reminders(meeting, organizer):
    meeting_services.publish(meeting, actor=organizer)
    meeting_services.cancel(meeting, actor=organizer, reason="Banjir")
    assert list(Reminder.objects.values_list("state", "note")) == [("skipped", "cancelled")] * 2


def test_unpublishing_skips_reminders_and_publishing_again_schedules_them_again(meeting, organizer):
    meeting_services.publish(meeting, actor=organizer)
    meeting_services.unpublish(meeting, actor=organizer)
    assert sorted(Reminder.objects.values_list("state", flat=True)) == ["skipped", "skipped"]
    meeting_services.publish(meeting, actor=organizer)
    assert sorted(Reminder.objects.values_list("state", "note")) == [("scheduled", "")] * 2
    assert len(enqueued()) == 4  # the two earlier tasks find their reminder already handled


# Sending -----------------------------------------------------------------------------------------


@pytest.fixture
def people(published_meeting):
    """Registrations in every state, and a speaker and a moderator of the agenda."""
    meeting = published_meeting
    item = meeting.days.order_by("date").first().items.order_by("start_time").last()
    regs = {
        "onsite": add_registration(meeting, "onsite@example.test"),
        "online": add_registration(meeting, "online@example.test", mode="online", language="en"),
        "waiting": add_registration(meeting, "waiting@example.test", state="waitlisted"),
        "pending": add_registration(meeting, "pending@example.test", state="pending"),
        "cancelled": add_registration(meeting, "cancelled@example.test", state="cancelled"),
        "declined": add_registration(meeting, "declined@example.test", state="declined"),
    }
    AgendaRoleFactory(
        agenda_item=item, person=PersonFactory(full_name="Narasumber", email="speaker@example.test")
    )
    AgendaRoleFactory(
        agenda_item=item,
        role="moderator",
        person=PersonFactory(full_name="Moderator", email="mod@example.test"),
    )
    AgendaRoleFactory(agenda_item=item, person=PersonFactory(full_name="Tanpa Email", email=""))
    return regs


def test_send_reminder_emails_each_confirmed_registrant_and_speaker_once(
    published_meeting, people, run_tasks
):
    reminder = due_reminder(published_meeting)
    run_tasks()
    assert outbox_recipients() == [
        "mod@example.test",
        "online@example.test",
        "onsite@example.test",
        "speaker@example.test",
    ]
    reminder.refresh_from_db()
    assert (reminder.state, reminder.recipient_count) == ("sent", 4)
    assert reminder.sent_at is not None


def test_speaker_who_is_also_registered_gets_one_email_with_their_private_link(
    published_meeting, people, run_tasks
):
    item = published_meeting.days.order_by("date").first().items.first()
    AgendaRoleFactory(agenda_item=item, person=PersonFactory(email="Onsite@Example.test"))
    due_reminder(published_meeting)
    run_tasks()
    assert outbox_recipients() == [
        "mod@example.test",
        "online@example.test",
        "onsite@example.test",
        "speaker@example.test",
    ]
    to_onsite = next(m for m in mail.outbox if m.to == ["onsite@example.test"])
    assert people["onsite"].urls.absolute.private in to_onsite.body


def test_running_the_reminder_task_again_sends_nothing_more(published_meeting, people, run_tasks):
    reminder = due_reminder(published_meeting)
    run_tasks()
    assert len(mail.outbox) == 4
    send_reminder.enqueue(reminder.pk)
    run_tasks()
    assert len(mail.outbox) == 4
    assert OutgoingEmail.objects.filter(key__startswith=f"reminder:{reminder.pk}:").count() == 4


def test_a_retried_task_after_a_partial_run_sends_only_the_missing_emails(
    published_meeting, people, run_tasks
):
    reminder = due_reminder(published_meeting)
    # The first worker queued (and the mail task sent) two emails, then died before finishing.
    for address in ("onsite@example.test", "speaker@example.test"):
        OutgoingEmail.objects.create(
            key=notifications.reminder_key(reminder, address),
            to=[address],
            builder="participants.services.reminders.reminder_message",
            params={"reminder_id": reminder.pk},
            state=OutgoingEmail.State.SENT,
        )
    run_tasks()
    assert outbox_recipients() == ["mod@example.test", "online@example.test"]
    reminder.refresh_from_db()
    assert (reminder.state, reminder.recipient_count) == ("sent", 4)
    assert OutgoingEmail.objects.filter(key__startswith=f"reminder:{reminder.pk}:").count() == 4


def test_a_reminder_of_an_old_schedule_sends_nothing(published_meeting, people, run_tasks):
    reminder = due_reminder(published_meeting)
    Meeting.objects.filter(pk=published_meeting.pk).update(calendar_sequence=1)
    run_tasks()
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert (reminder.state, reminder.note, reminder.recipient_count) == ("superseded", "rescheduled", 0)


def test_a_reminder_of_a_cancelled_meeting_sends_nothing(published_meeting, people, run_tasks):
    reminder = due_reminder(published_meeting)
    Meeting.objects.filter(pk=published_meeting.pk).update(status=Meeting.Status.CANCELLED)
    run_tasks()
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert (reminder.state, reminder.note) == ("skipped", "cancelled")


def test_a_reminder_skipped_at_cancellation_sends_nothing_when_its_task_runs(meeting, organizer, run_tasks):
    meeting_services.publish(meeting, actor=organizer)
    add_registration(meeting, "onsite@example.test")
    meeting_services.cancel(meeting, actor=organizer)
    reminder = Reminder.objects.order_by("due_at").first()
    assert reminders.send_reminder(reminder.pk, now=reminder.due_at) == 0
    reminder.refresh_from_db()
    assert reminder.state == "skipped"
    assert OutgoingEmail.objects.filter(key__startswith="reminder:").count() == 0


def test_a_reminder_is_not_sent_before_it_is_due(published_meeting, people):
    reminders.plan_reminders(published_meeting)
    reminder = Reminder.objects.order_by("due_at").first()
    assert reminders.send_reminder(reminder.pk, now=reminder.due_at - timedelta(hours=1)) == 0
    reminder.refresh_from_db()
    assert reminder.state == "scheduled"
    assert reminders.send_reminder(reminder.pk, now=reminder.due_at) == 4
    reminder.refresh_from_db()
    assert (reminder.state, reminder.recipient_count) == ("sent", 4)


def test_a_reminder_found_late_after_the_start_is_skipped(published_meeting, people):
    reminders.plan_reminders(published_meeting)
    reminder = Reminder.objects.order_by("due_at").first()
    assert reminders.send_reminder(reminder.pk, now=utc(2031, 9, 22, 2, 0)) == 0
    reminder.refresh_from_db()
    assert (reminder.state, reminder.note) == ("skipped", "late")


def test_registration_cancelled_after_queueing_gets_no_reminder(published_meeting, people, run_tasks):
    reminder = due_reminder(published_meeting)
    reminders.send_reminder(reminder.pk)
    Registration.objects.filter(pk=people["online"].pk).update(state="cancelled")
    run_tasks()
    assert outbox_recipients() == ["mod@example.test", "onsite@example.test", "speaker@example.test"]


def test_reminder_email_in_the_registrants_language_with_both_zones_and_personal_link(
    published_meeting, run_tasks
):
    papua = OrganizationFactory(name="UPT BP2MI Papua", timezone="Asia/Jayapura")
    OnlineRoom.objects.create(
        meeting=published_meeting, join_url="https://zoom.example.test/j/1", passcode="p3mi"
    )
    registration = add_registration(
        published_meeting,
        "papua@example.test",
        full_name="Yohana Wenda",
        mode="online",
        language="en",
        organization=papua,
        personal_join_url="https://zoom.example.test/w/personal-yohana",
    )
    due_reminder(published_meeting)
    run_tasks()
    [message] = mail.outbox
    assert message.subject == "Reminder: FGD Pengawasan P3MI, Monday, 22 September 2031"
    text = message.body
    assert "Dear Yohana Wenda," in text
    assert "- Monday, 22 September 2031, 09:00–15:00 WIB / 11:00–17:00 WIT" in text
    assert "Joining online: https://zoom.example.test/w/personal-yohana\n" in text
    assert "https://zoom.example.test/j/1" not in text
    assert "Gedung BP2MI" not in text  # an online participant is not sent to the room
    assert registration.urls.absolute.private in text
    html = message.alternatives[0][0]
    assert "09:00–15:00 WIB / 11:00–17:00 WIT" in html
    assert f'href="{registration.urls.absolute.private}"' in html


def test_speaker_reminder_is_in_the_site_language_with_their_part_and_no_private_link(
    published_meeting, run_tasks
):
    item = published_meeting.days.order_by("date").first().items.order_by("start_time").last()
    AgendaRoleFactory(
        agenda_item=item,
        person=PersonFactory(full_name="Dr. Rahmat", email="rahmat@example.test", organization=None),
    )
    due_reminder(published_meeting)
    run_tasks()
    [message] = mail.outbox
    # In the site's language (Indonesian): its dates and times are written the Indonesian way.
    assert OutgoingEmail.objects.get(to=["rahmat@example.test"]).language == "id"
    assert message.subject.endswith(": FGD Pengawasan P3MI, Senin, 22 September 2031")
    text = message.body
    assert "Dr. Rahmat" in text
    assert "Paparan Narasumber" in text
    assert "10.00–12.00 WIB" in text  # Indonesian time writing: the site's language
    assert "/r/" not in text
    assert "registration" not in text.lower()
    assert "Gedung BP2MI" in text  # hybrid: a speaker gets the venue and the online room


def test_send_due_reminders_sends_what_is_due(published_meeting, people):
    reminder = Reminder.objects.create(
        meeting=published_meeting,
        offset="1h",
        due_at=timezone.now() - timedelta(minutes=5),
        schedule_version=published_meeting.calendar_sequence,
    )
    later = Reminder.objects.create(
        meeting=published_meeting,
        offset="1d@09:00",
        due_at=timezone.now() + timedelta(days=1),
        schedule_version=published_meeting.calendar_sequence,
    )
    assert reminders.send_due_reminders() == 1
    assert list(
        Reminder.objects.filter(pk__in=[reminder.pk, later.pk])
        .order_by("due_at")
        .values_list("state", flat=True)
    ) == [
        "sent",
        "scheduled",
    ]


# Organizer's screen ------------------------------------------------------------------------------


def test_reminder_schedule_is_shown_to_organizers_in_the_meetings_zone(client, meeting, organizer):
    meeting_services.publish(meeting, actor=organizer)
    client.force_login(organizer)
    response = client.get(f"/meetings/{meeting.code}/reminders/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="reminder-table"' in content
    assert "Minggu, 21 September 2031 09.00 WIB" in content
    assert "Senin, 22 September 2031 08.00 WIB" in content
    assert content.count('data-state="scheduled"') == 2


def test_send_due_reminders_command_sends_a_due_reminder_once(db, organizer, run_tasks):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from participants.models import Reminder
    from tests.factories import MeetingDayFactory, MeetingFactory

    meeting = MeetingFactory(status="published", organizers=[organizer])
    MeetingDayFactory(meeting=meeting, date=timezone.localdate() + timedelta(days=1))
    reminder = Reminder.objects.create(
        meeting=meeting, offset="1h", due_at=timezone.now() - timedelta(seconds=30), schedule_version=0
    )
    from django.core import mail

    from participants.services import registration as registrations

    registrations.register(
        meeting, full_name="Ayu", email="ayu@example.test", mode="onsite", consent=True, check_window=False
    )
    run_tasks()
    mail.outbox.clear()
    call_command("send_due_reminders", verbosity=0)
    call_command("send_due_reminders", verbosity=0)
    run_tasks()
    reminder.refresh_from_db()
    assert (reminder.state, reminder.recipient_count) == ("sent", 1)
    assert [m.to for m in mail.outbox] == [["ayu@example.test"]]
