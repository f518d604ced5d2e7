"""Personal Zoom links: confirmed online people become Zoom registrants, in batches, and leave
Zoom when they cancel or move on-site; their emails, calendar and private page carry the link."""

import pytest
from django.core import mail

from core.models import OutgoingEmail
from meetings import services
from meetings.models import OnlineRoom
from participants.models import Registration
from participants.services import registration as reg
from participants.services import zoom_registrants
from tests.participants.test_itip_emails import events, itip, messages_to, parts

pytestmark = pytest.mark.django_db


def sign_up(meeting, name, email, mode="online"):
    return reg.register(meeting, full_name=name, email=email, mode=mode, consent=True).registration


@pytest.fixture
def room(published_meeting, organizer, fake_zoom, run_tasks):
    services.use_zoom_room(published_meeting, actor=organizer, settings={"registration": True})
    run_tasks()
    room = OnlineRoom.objects.get(meeting=published_meeting)
    assert room.state == OnlineRoom.State.READY
    fake_zoom.requests.clear()
    mail.outbox.clear()
    return room


def batches(fake, room):
    return fake.calls("POST", f"/meetings/{room.provider_id}/batch_registrants")


def test_the_confirmation_waits_for_the_personal_link_and_carries_it(
    room,
    fake_zoom,
    run_tasks,
    smtp_server,
):
    andi = sign_up(room.meeting, "Andi Makkasau", "andi@example.test")
    assert andi.state == Registration.State.CONFIRMED
    assert not OutgoingEmail.objects.filter(to=["andi@example.test"]).exists()  # held for the link
    run_tasks()
    andi.refresh_from_db()
    [registrant] = fake_zoom.registrants[int(room.provider_id)]
    assert registrant["email"] == "andi@example.test"
    assert (registrant["first_name"], registrant["last_name"]) == ("Andi", "Makkasau")
    assert andi.zoom_registrant_id == registrant["id"]
    assert andi.personal_join_url == registrant["join_url"]
    [batch] = batches(fake_zoom, room)
    assert batch.body["registrants_confirmation_email"] is False  # Sinergi writes the emails
    [email] = messages_to(smtp_server, "andi@example.test")
    text = parts(email)["text"]
    assert andi.personal_join_url in text
    assert room.join_url not in text
    [conference] = {str(e["conference"]) for e in events(itip(email))}
    assert conference == andi.personal_join_url


def test_an_on_site_person_is_not_sent_to_zoom_and_hears_at_once(room, fake_zoom, run_tasks):
    sign_up(room.meeting, "Siti Rahmawati", "siti@example.test", mode="onsite")
    assert OutgoingEmail.objects.filter(to=["siti@example.test"]).count() == 1
    run_tasks()
    assert fake_zoom.registrants.get(int(room.provider_id), []) == []
    assert batches(fake_zoom, room) == []


def test_one_hundred_confirmations_make_four_batch_calls(room, fake_zoom, run_tasks):
    for n in range(100):
        sign_up(room.meeting, f"Peserta Daring {n}", f"daring{n}@example.test")
    run_tasks()
    calls = batches(fake_zoom, room)
    assert [len(c.body["registrants"]) for c in calls] == [30, 30, 30, 10]
    assert Registration.objects.filter(meeting=room.meeting).exclude(personal_join_url="").count() == 100
    links = set(Registration.objects.filter(meeting=room.meeting).values_list("personal_join_url", flat=True))
    assert len(links) == 100
    assert len([m for m in mail.outbox if m.to[0].startswith("daring")]) == 100
    assert all(
        Registration.objects.get(email=m.to[0]).personal_join_url in m.body
        for m in mail.outbox
        if m.to[0].startswith("daring")
    )


def test_cancelling_cancels_the_registrant_at_zoom(room, fake_zoom, run_tasks):
    andi = sign_up(room.meeting, "Andi Makkasau", "andi@example.test")
    run_tasks()
    andi.refresh_from_db()
    registrant_id = andi.zoom_registrant_id
    reg.cancel(andi)
    run_tasks()
    [status] = fake_zoom.calls("PUT", f"/meetings/{room.provider_id}/registrants/status")
    assert status.body["action"] == "cancel"
    assert status.body["registrants"] == [{"id": registrant_id, "email": "andi@example.test"}]
    assert fake_zoom.registrants[int(room.provider_id)][0]["status"] == "cancelled"
    andi.refresh_from_db()
    assert (andi.zoom_registrant_id, andi.personal_join_url) == ("", "")


def test_moving_on_site_cancels_the_registrant(room, fake_zoom, run_tasks):
    andi = sign_up(room.meeting, "Andi Makkasau", "andi@example.test")
    run_tasks()
    reg.change_mode(Registration.objects.get(pk=andi.pk), Registration.Mode.ONSITE)
    run_tasks()
    assert fake_zoom.registrants[int(room.provider_id)][0]["status"] == "cancelled"
    assert Registration.objects.get(pk=andi.pk).personal_join_url == ""


def test_without_personal_links_nobody_is_registered_at_zoom(
    published_meeting,
    organizer,
    fake_zoom,
    run_tasks,
):
    services.use_zoom_room(published_meeting, actor=organizer, settings={"registration": False})
    run_tasks()
    room = OnlineRoom.objects.get(meeting=published_meeting)
    sign_up(published_meeting, "Andi Makkasau", "andi@example.test")
    run_tasks()
    assert fake_zoom.registrants.get(int(room.provider_id), []) == []
    [email] = [m for m in mail.outbox if m.to == ["andi@example.test"]]
    assert room.join_url in email.body


def test_when_zoom_fails_the_confirmation_still_goes_with_the_shared_link(
    room,
    fake_zoom,
    run_tasks,
):
    for _ in range(5):
        fake_zoom.fail("POST", f"/meetings/{room.provider_id}/batch_registrants", 500)
    sign_up(room.meeting, "Andi Makkasau", "andi@example.test")
    run_tasks()
    [email] = [m for m in mail.outbox if m.to == ["andi@example.test"]]
    assert room.join_url in email.body
    failed = OnlineRoom.objects.get(pk=room.pk)
    assert failed.state == OnlineRoom.State.FAILED
    assert "Personal join links" in failed.last_error
    # The organizer's retry brings the link, in an email of its own.
    mail.outbox.clear()
    services.retry_online_room(room.meeting, actor=None)
    run_tasks()
    andi = Registration.objects.get(email="andi@example.test")
    assert andi.personal_join_url
    [email] = [m for m in mail.outbox if m.to == ["andi@example.test"]]
    assert andi.personal_join_url in email.body


def test_defer_email_holds_only_what_zoom_must_change(room):
    andi = sign_up(room.meeting, "Andi Makkasau", "andi@example.test", mode="onsite")
    assert zoom_registrants.defer_email(andi, "confirmed") is False
    andi.mode = Registration.Mode.ONLINE
    assert zoom_registrants.defer_email(andi, "mode") is True
    assert Registration.objects.get(pk=andi.pk).zoom_email_held == "mode"
    andi.zoom_registrant_id, andi.personal_join_url = "reg1", "https://zoom.example/w/1?tk=reg1"
    assert zoom_registrants.defer_email(andi, "existing") is False
