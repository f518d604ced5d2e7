"""Registration services: seats, waiting list, moderation, duplicates, emails through the task queue."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutgoingEmail
from meetings.models import Meeting
from participants.models import Registration
from participants.services import registration as reg

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_meeting(published_meeting):
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_onsite=2, capacity_online=5)
    published_meeting.refresh_from_db()
    return published_meeting


def sign_up(meeting, n, mode="onsite", **extra):
    return reg.register(
        meeting, full_name=f"Peserta {n}", email=f"p{n}@example.test", mode=mode, consent=True, **extra
    )


def test_register_confirms_until_full_then_waitlists(open_meeting):
    results = [sign_up(open_meeting, n).result for n in range(4)]
    assert results == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert reg.confirmed_counts(open_meeting) == {"onsite": 2, "online": 0}


def test_cancelling_a_confirmed_seat_promotes_first_waiting(open_meeting):
    first = sign_up(open_meeting, 0).registration
    sign_up(open_meeting, 1)
    waiting_a = sign_up(open_meeting, 2).registration
    waiting_b = sign_up(open_meeting, 3).registration
    reg.cancel(first)
    states = dict(Registration.objects.values_list("email", "state"))
    assert states == {
        "p0@example.test": "cancelled",
        "p1@example.test": "confirmed",
        waiting_a.email: "confirmed",
        waiting_b.email: "waitlisted",
    }


def test_duplicate_email_creates_nothing_and_emails_the_person(open_meeting, run_tasks):
    sign_up(open_meeting, 0)
    again = reg.register(open_meeting, full_name="Lain", email="P0@Example.test", mode="onsite", consent=True)
    assert again.result == "existing"
    assert Registration.objects.count() == 1
    assert Registration.objects.get().full_name == "Peserta 0"
    run_tasks()
    assert [m.to for m in mail.outbox] == [["p0@example.test"], ["p0@example.test"]]
    assert (
        "Someone (probably you) tried to register" in mail.outbox[1].body
        or "mencoba mendaftarkan" in mail.outbox[1].body
    )


def test_moderation_makes_public_registrations_pending(open_meeting):
    Meeting.objects.filter(pk=open_meeting.pk).update(moderation=True)
    open_meeting.refresh_from_db()
    outcome = sign_up(open_meeting, 0)
    assert outcome.result == "pending"
    approved = reg.approve(outcome.registration, actor=None)
    assert approved.state == "confirmed"


def test_closed_window_is_refused(open_meeting):
    Meeting.objects.filter(pk=open_meeting.pk).update(
        registration_closes_at=timezone.now() - timedelta(hours=1)
    )
    open_meeting.refresh_from_db()
    with pytest.raises(reg.RegistrationError):
        sign_up(open_meeting, 0)
    assert Registration.objects.count() == 0


def test_confirmation_email_is_sent_once_even_if_task_runs_again(open_meeting, run_tasks):
    sign_up(open_meeting, 0)
    assert run_tasks() == 1
    email = OutgoingEmail.objects.get()
    from core.mail import send_now

    assert send_now(email.pk) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.alternatives[0][1] == "text/html"
    assert Registration.objects.get().code in message.body
