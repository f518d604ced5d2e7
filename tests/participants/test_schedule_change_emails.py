"""Schedule changes and cancellations reach every active registrant: update emails, iTIP updates and
cancellations, through one fan-out task enqueued with the change, each email sent once."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from core.models import OutgoingEmail
from meetings import calendar as meeting_calendar
from meetings import services
from meetings.models import Meeting, OnlineRoom
from meetings.signals import meeting_schedule_changed, meeting_status_changed
from participants import notifications
from participants.models import Registration
from participants.services import registration as reg
from participants.tasks import notify_meeting_cancelled, notify_schedule_changed
from tests.core.test_mail_calendar import structure
from tests.factories import OnlineRoomFactory, OrganizationFactory
from tests.participants.test_itip_emails import (
    INVITATION,
    ROOM_URL,
    events,
    itip,
    messages_to,
    parts,
    public_uids,
    sign_up,
)

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
TEXT_ONLY = ("multipart/alternative", ["text/plain", "text/html"])


@pytest.fixture
def fgd(published_meeting):
    """A published FGD with four registrants: two confirmed, one waiting, one cancelled."""
    OnlineRoomFactory(meeting=published_meeting, join_url=ROOM_URL)
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_onsite=1)
    makassar = OrganizationFactory(name="Kantor Wilayah Makassar", timezone="Asia/Makassar")
    sign_up(published_meeting, "Siti Rahmawati", "siti@example.test")
    sign_up(published_meeting, "Andi Makkasau", "andi@example.test", mode="online", organization=makassar)
    sign_up(published_meeting, "Wati Menunggu", "wati@example.test")
    gone = sign_up(published_meeting, "Dedi Batal", "dedi@example.test", mode="online")
    reg.cancel(gone)
    published_meeting.refresh_from_db()
    return published_meeting


@pytest.fixture
def mailbox(fgd, smtp_server, run_tasks):
    """The SMTP server after the registration emails: emptied, so a test sees only its own."""
    run_tasks()
    assert dict(Registration.objects.values_list("email", "state")) == {
        "siti@example.test": "confirmed",
        "andi@example.test": "confirmed",
        "wati@example.test": "waitlisted",
        "dedi@example.test": "cancelled",
    }
    smtp_server.messages.clear()
    return smtp_server


def day(meeting, when: date):
    return meeting.days.get(date=when)


def recipients(smtp_server) -> list[str]:
    return sorted(address for m in smtp_server.messages for address in m["to"])


# Updates -------------------------------------------------------------------------------------------


def test_changed_hours_send_every_active_registrant_an_update(fgd, organizer, mailbox, run_tasks):
    uids = public_uids(fgd)
    services.update_day(
        day(fgd, date(2031, 9, 23)),
        actor=organizer,
        date=date(2031, 9, 23),
        start_time=time(10),
        end_time=time(13),
    )
    run_tasks()

    assert recipients(mailbox) == ["andi@example.test", "siti@example.test", "wati@example.test"]
    [siti] = messages_to(mailbox, "siti@example.test")
    assert structure(siti) == ("multipart/mixed", [INVITATION, "application/ics"])
    cal = itip(siti)
    assert str(cal["method"]) == "REQUEST"
    assert {str(e["uid"]) for e in events(cal)} == uids
    assert {int(e["sequence"]) for e in events(cal)} == {1}
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events(cal)] == [
        (datetime(2031, 9, 22, 9, tzinfo=JAKARTA), datetime(2031, 9, 22, 15, tzinfo=JAKARTA)),
        (datetime(2031, 9, 23, 10, tzinfo=JAKARTA), datetime(2031, 9, 23, 13, tzinfo=JAKARTA)),
    ]
    assert [str(a) for e in events(cal) for a in [e["attendee"]]] == ["mailto:siti@example.test"] * 2
    text = parts(siti)["text"]
    assert "- Selasa, 23 September 2031: 09.00–12.00 WIB → 10.00–13.00 WIB\n" in text
    assert "Selasa, 23 September 2031: 09.00–12.00 WIB → 10.00–13.00 WIB" in parts(siti)["html"]

    # Makassar sees both zones; the waiting person gets the news without a calendar.
    [andi] = messages_to(mailbox, "andi@example.test")
    assert (
        "- Selasa, 23 September 2031: 09.00–12.00 WIB / 10.00–13.00 WITA → 10.00–13.00 WIB / 11.00–14.00 WITA\n"
        in parts(andi)["text"]
    )
    [wati] = messages_to(mailbox, "wati@example.test")
    assert structure(wati) == TEXT_ONLY
    assert "- Selasa, 23 September 2031: 09.00–12.00 WIB → 10.00–13.00 WIB\n" in parts(wati)["text"]


def test_update_in_english_names_the_change(fgd, organizer, mailbox, run_tasks):
    Registration.objects.filter(email="siti@example.test").update(language="en")
    services.update_meeting(fgd, actor=organizer, venue_name="Hotel Borobudur", venue_room="Flores Room")
    run_tasks()

    [siti] = messages_to(mailbox, "siti@example.test")
    assert siti["Subject"] == "Schedule changed: FGD Pengawasan P3MI"
    text = parts(siti)["text"]
    assert "What changed:\n- Venue: Gedung BP2MI → Hotel Borobudur\n- Room: — → Flores Room\n" in text
    assert "Venue: Hotel Borobudur, Flores Room\n" in text
    assert "The attached invitation (invite.ics) updates the meeting in your calendar." in text
    cal = itip(siti)
    assert {str(e["location"]) for e in events(cal)} == {"Hotel Borobudur, Flores Room, Online"}
    assert {int(e["sequence"]) for e in events(cal)} == {1}


def test_moved_day_shows_both_dates(fgd, organizer, mailbox, run_tasks):
    Registration.objects.filter(email="siti@example.test").update(language="en")
    services.update_day(
        day(fgd, date(2031, 9, 23)),
        actor=organizer,
        date=date(2031, 9, 24),
        start_time=time(9),
        end_time=time(12),
    )
    run_tasks()
    text = parts(messages_to(mailbox, "siti@example.test")[0])["text"]
    assert (
        "- Tuesday, 23 September 2031, 09:00–12:00 WIB → Wednesday, 24 September 2031, 09:00–12:00 WIB\n"
        in text
    )


def test_added_day_is_in_the_update(fgd, organizer, mailbox, run_tasks):
    services.add_day(fgd, actor=organizer, date=date(2031, 9, 24), start_time=time(13), end_time=time(16))
    run_tasks()

    [siti] = messages_to(mailbox, "siti@example.test")
    cal = itip(siti)
    assert len(events(cal)) == 3
    assert {str(e["uid"]) for e in events(cal)} == public_uids(fgd)
    assert "Rabu, 24 September 2031, 13.00–16.00 WIB" in parts(siti)["text"]


def test_changed_link_of_a_private_room_reaches_confirmed_online_registrants_only(
    fgd, organizer, mailbox, run_tasks
):
    new_room = "https://zoom.example.test/j/999888777"
    services.set_manual_room(fgd, actor=organizer, join_url=new_room)
    run_tasks()

    # Siti is confirmed on-site and Wati waits for an on-site seat: neither gets the link.
    assert recipients(mailbox) == ["andi@example.test"]
    [andi] = messages_to(mailbox, "andi@example.test")
    assert {str(e["conference"]) for e in events(itip(andi))} == {new_room}
    assert f"{ROOM_URL} → {new_room}" in parts(andi)["text"]


def test_update_leaves_a_private_room_s_link_out_for_on_site_and_waiting_people(fgd):
    venue = {"field": "venue_name", "old": "Gedung BP2MI", "new": "Hotel Borobudur"}
    link = {"field": "join_url", "old": ROOM_URL, "new": "https://zoom.example.test/j/999888777"}
    people = dict(Registration.objects.values_list("email", "pk"))

    def fields(email, changes):
        message = notifications.schedule_changed_message(people[email], 1, changes, [])
        return message and [row["field"] for row in message.context["changes"]]

    assert fields("siti@example.test", [venue, link]) == ["venue_name"]
    assert fields("wati@example.test", [venue, link]) == ["venue_name"]
    assert fields("andi@example.test", [venue, link]) == ["venue_name", "join_url"]
    assert fields("siti@example.test", [link]) is None


def test_changed_link_of_a_public_room_reaches_people_without_a_personal_link(
    fgd, organizer, mailbox, run_tasks
):
    OnlineRoom.objects.filter(meeting=fgd).update(open_to_public=True)
    personal = "https://zoom.example.test/w/9?tk=ANDI"
    Registration.objects.filter(email="andi@example.test").update(personal_join_url=personal)
    new_room = "https://zoom.example.test/j/999888777"
    services.set_manual_room(fgd, actor=organizer, join_url=new_room, open_to_public=True)
    run_tasks()

    siti_cal = itip(messages_to(mailbox, "siti@example.test")[0])
    assert {str(e["conference"]) for e in events(siti_cal)} == {new_room}
    [andi] = messages_to(mailbox, "andi@example.test")
    assert {str(e["conference"]) for e in events(itip(andi))} == {personal}
    assert f"{ROOM_URL} → {new_room}" in parts(andi)["text"]
    assert "tk=ANDI" not in str(messages_to(mailbox, "siti@example.test")[0])


def test_removed_day_is_cancelled_for_its_uid(fgd, organizer, mailbox, run_tasks):
    Registration.objects.filter(email="siti@example.test").update(language="en")
    removed = day(fgd, date(2031, 9, 23))
    removed_uid = meeting_calendar.day_uid(fgd, removed.pk)
    services.remove_day(removed, actor=organizer)
    run_tasks()

    assert recipients(mailbox) == ["andi@example.test", "siti@example.test", "wati@example.test"]
    [siti] = messages_to(mailbox, "siti@example.test")
    assert structure(siti) == ("multipart/mixed", [INVITATION, "application/ics"])
    cal = itip(siti)
    assert str(cal["method"]) == "CANCEL"
    [event] = events(cal)
    assert (str(event["uid"]), str(event["status"]), int(event["sequence"])) == (removed_uid, "CANCELLED", 1)
    assert event.decoded("dtstart") == datetime(2031, 9, 23, 9, tzinfo=JAKARTA)
    assert str(event["attendee"]) == "mailto:siti@example.test"
    assert (
        "What changed:\n- Day removed: Tuesday, 23 September 2031, 09:00–12:00 WIB\n" in parts(siti)["text"]
    )
    assert (
        "The attached calendar message (invite.ics) removes the cancelled day from your calendar."
        in (parts(siti)["text"])
    )
    assert structure(messages_to(mailbox, "wati@example.test")[0]) == TEXT_ONLY
    assert public_uids(fgd) == {meeting_calendar.day_uid(fgd, d.pk) for d in fgd.days.all()}
    assert removed_uid not in public_uids(fgd)


def test_change_that_also_removes_a_day_sends_the_removal_separately(fgd, mailbox, run_tasks):
    # No service makes such a change today; one iTIP message has one METHOD, so it takes two emails.
    gone = {"id": 987654, "date": "2031-09-25", "start_time": "09:00:00", "end_time": "12:00:00"}
    changes = [
        {"field": "venue_name", "old": "Gedung BP2MI", "new": "Hotel Borobudur"},
        {"field": "day", "old": gone, "new": None},
    ]
    notifications.notify_schedule_changed(fgd.pk, fgd.calendar_sequence, changes, [gone])
    run_tasks()

    removal, update = sorted(messages_to(mailbox, "siti@example.test"), key=lambda m: str(itip(m)["method"]))
    assert {str(e["uid"]) for e in events(itip(update))} == public_uids(fgd)
    assert str(itip(update)["method"]) == "REQUEST"
    assert [str(e["uid"]) for e in events(itip(removal))] == [meeting_calendar.day_uid(fgd, 987654)]
    assert str(itip(removal)["method"]) == "CANCEL"
    assert [structure(m) for m in messages_to(mailbox, "wati@example.test")] == [TEXT_ONLY, TEXT_ONLY]


def test_changes_to_a_draft_send_nothing(meeting, organizer, smtp_server, run_tasks):
    sign_up(meeting, "Peserta Draf", "draf@example.test", check_window=False)
    run_tasks()
    smtp_server.messages.clear()
    services.update_meeting(meeting, actor=organizer, venue_name="Hotel Borobudur")
    run_tasks()
    assert smtp_server.messages == []
    assert OutgoingEmail.objects.count() == 1


# Cancellation -----------------------------------------------------------------------------------------


def test_cancelled_meeting_sends_cancel_to_everyone_active(fgd, organizer, mailbox, run_tasks):
    uids = public_uids(fgd)
    services.cancel(fgd, actor=organizer, reason="Narasumber utama berhalangan hadir.")
    run_tasks()

    assert recipients(mailbox) == ["andi@example.test", "siti@example.test", "wati@example.test"]
    for address in ("andi@example.test", "siti@example.test", "wati@example.test"):
        [message] = messages_to(mailbox, address)
        assert structure(message) == ("multipart/mixed", [INVITATION, "application/ics"])
        cal = itip(message)
        assert str(cal["method"]) == "CANCEL"
        assert {str(e["uid"]) for e in events(cal)} == uids
        assert {str(e["status"]) for e in events(cal)} == {"CANCELLED"}
        assert {int(e["sequence"]) for e in events(cal)} == {1}
        assert {str(e["attendee"]) for e in events(cal)} == {f"mailto:{address}"}
        assert [e.get("conference") for e in events(cal)] == [None, None]
        found = parts(message)
        assert "Narasumber utama berhalangan hadir." in found["text"]
        assert "Narasumber utama berhalangan hadir." in found["html"]
        assert "- Senin, 22 September 2031, 09.00–15.00 WIB" in found["text"]


def test_cancellation_email_in_english(fgd, organizer, mailbox, run_tasks):
    Registration.objects.filter(email="siti@example.test").update(language="en")
    services.cancel(fgd, actor=organizer)
    run_tasks()
    [siti] = messages_to(mailbox, "siti@example.test")
    assert siti["Subject"] == "Meeting cancelled: FGD Pengawasan P3MI"
    text = parts(siti)["text"]
    assert "We are sorry to tell you that “FGD Pengawasan P3MI” has been cancelled.\n" in text
    assert "Reason" not in text


def test_update_still_queued_when_the_meeting_is_cancelled_is_dropped(fgd, organizer, mailbox, run_tasks):
    services.update_meeting(fgd, actor=organizer, venue_name="Hotel Borobudur")
    services.cancel(fgd, actor=organizer)
    run_tasks()
    for address in ("andi@example.test", "siti@example.test", "wati@example.test"):
        [message] = messages_to(mailbox, address)
        assert str(itip(message)["method"]) == "CANCEL"
    assert (
        sorted(
            OutgoingEmail.objects.filter(key__startswith="registration-schedule:").values_list(
                "state", flat=True
            )
        )
        == ["dropped"] * 3
    )


# Mechanism ---------------------------------------------------------------------------------------------


def test_signal_carries_what_changed(fgd, organizer):
    seen = []
    meeting_schedule_changed.connect(lambda **kw: seen.append(kw), weak=False, dispatch_uid="payload-test")
    try:
        target = day(fgd, date(2031, 9, 23))
        target_id = target.pk
        services.update_day(target, actor=organizer, date=target.date, start_time=time(10), end_time=time(13))
        services.update_meeting(fgd, actor=organizer, venue_name="Hotel Borobudur", title="Judul baru")
        services.remove_day(target, actor=organizer)
    finally:
        meeting_schedule_changed.disconnect(dispatch_uid="payload-test")

    old = {"id": target_id, "date": "2031-09-23", "start_time": "09:00:00", "end_time": "12:00:00"}
    new = {**old, "start_time": "10:00:00", "end_time": "13:00:00"}
    assert [(kw["sequence"], kw["changes"], kw["removed_days"]) for kw in seen] == [
        (1, [{"field": "day", "old": old, "new": new}], []),
        (2, [{"field": "venue_name", "old": "Gedung BP2MI", "new": "Hotel Borobudur"}], []),
        (3, [{"field": "day", "old": new, "new": None}], [new]),
    ]


def test_fan_out_is_enqueued_with_the_change_and_rolls_back_with_it(fgd, organizer, mailbox, run_tasks):
    fan_outs = DBTaskResult.objects.filter(task_path__startswith="participants.tasks.notify_")

    def change_then_fail():
        with transaction.atomic():
            services.update_meeting(fgd, actor=organizer, venue_name="Hotel Borobudur")
            assert fan_outs.count() == 1
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError, match="the request failed"):
        change_then_fail()
    assert fan_outs.count() == 0
    run_tasks()
    assert mailbox.messages == []


def test_retried_fan_out_sends_each_person_one_email(fgd, organizer, mailbox, run_tasks):
    target = day(fgd, date(2031, 9, 23))
    services.update_day(target, actor=organizer, date=target.date, start_time=time(10), end_time=time(13))
    [task] = DBTaskResult.objects.filter(task_path="participants.tasks.notify_schedule_changed")
    run_tasks()
    # A worker that died after queueing the emails runs the same fan-out again.
    notify_schedule_changed.enqueue(*task.args_kwargs["args"])
    services.cancel(fgd, actor=organizer)
    [cancel_task] = DBTaskResult.objects.filter(task_path="participants.tasks.notify_meeting_cancelled")
    run_tasks()
    notify_meeting_cancelled.enqueue(*cancel_task.args_kwargs["args"])
    run_tasks()

    for address in ("andi@example.test", "siti@example.test", "wati@example.test"):
        update, cancellation = messages_to(mailbox, address)
        assert parts(update)["text"] != parts(cancellation)["text"]
    assert len(mailbox.messages) == 6
    keys = list(OutgoingEmail.objects.filter(key__contains=f":{fgd.pk}-").values_list("key", flat=True))
    assert len(keys) == 6
    # "registration-<kind>:<registration id>:" is what the personal-data purge finds a person's emails by.
    active = Registration.objects.filter(state__in=Registration.ACTIVE_STATES)
    assert sorted(re.match(r"^registration-[a-z_]+:(\d+):", key).group(1) for key in keys) == sorted(
        [str(pk) for pk in active.values_list("pk", flat=True)] * 2
    )
    assert OutgoingEmail.objects.filter(key__startswith="registration-schedule:").count() == 3
    assert OutgoingEmail.objects.filter(key__startswith="registration-meeting_cancelled:").count() == 3


def test_status_signal_carries_sequence_and_reason(fgd, organizer):
    seen = []
    meeting_status_changed.connect(lambda **kw: seen.append(kw), weak=False, dispatch_uid="status-test")
    try:
        services.cancel(fgd, actor=organizer, reason="Banjir")
    finally:
        meeting_status_changed.disconnect(dispatch_uid="status-test")
    assert [(kw["old_status"], kw["new_status"], kw["sequence"], kw["reason"]) for kw in seen] == [
        ("published", "cancelled", 1, "Banjir")
    ]
