"""Capacity and mode changes of a meeting promote its waiting lists; nobody jumps the queue."""

import pytest

from core import audit
from meetings import services as meeting_services
from meetings.models import Meeting
from participants.models import Registration
from participants.services import registration as reg

pytestmark = pytest.mark.django_db

CONFIRMED = Registration.State.CONFIRMED
WAITLISTED = Registration.State.WAITLISTED


@pytest.fixture
def full_meeting(published_meeting):
    """Two on-site seats, both taken, three people waiting (p2, p3, p4 in that order)."""
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_onsite=2, capacity_online=5)
    published_meeting.refresh_from_db()
    for n in range(5):
        sign_up(published_meeting, n)
    return published_meeting


def sign_up(meeting, n, mode="onsite"):
    return reg.register(
        meeting, full_name=f"Peserta {n}", email=f"p{n}@example.test", mode=mode, consent=True
    )


def states(meeting):
    return dict(Registration.objects.filter(meeting=meeting).values_list("email", "state"))


def test_raising_capacity_promotes_the_waiting_list_in_order(full_meeting, organizer):
    meeting_services.update_meeting(full_meeting, actor=organizer, capacity_onsite=4)
    assert states(full_meeting) == {
        "p0@example.test": CONFIRMED,
        "p1@example.test": CONFIRMED,
        "p2@example.test": CONFIRMED,
        "p3@example.test": CONFIRMED,
        "p4@example.test": WAITLISTED,
    }
    promoted = Registration.objects.get(email="p2@example.test")
    actions = [e.action for e in audit.entries_for(promoted).order_by("pk")]
    assert actions == ["registration.created", "registration.promoted"]


def test_registrant_after_a_capacity_raise_waits_behind_those_already_waiting(full_meeting, organizer):
    meeting_services.update_meeting(full_meeting, actor=organizer, capacity_onsite=3)
    late = sign_up(full_meeting, 9)
    assert late.result == "waitlisted"
    assert states(full_meeting)["p2@example.test"] == CONFIRMED
    assert states(full_meeting)["p3@example.test"] == WAITLISTED


def test_unlimited_capacity_confirms_everyone_waiting(full_meeting, organizer):
    meeting_services.update_meeting(full_meeting, actor=organizer, capacity_onsite=None)
    assert set(states(full_meeting).values()) == {CONFIRMED}


def test_free_seat_left_by_a_direct_change_goes_to_the_first_waiting_not_a_newcomer(full_meeting):
    # A seat freed without any service (an import, a database fix) must still go to the queue.
    Meeting.objects.filter(pk=full_meeting.pk).update(capacity_onsite=3)
    late = sign_up(full_meeting, 9)
    assert late.result == "waitlisted"
    assert states(full_meeting)["p2@example.test"] == CONFIRMED


def test_waiting_person_switching_mode_waits_behind_those_waiting_in_the_new_mode(published_meeting):
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_onsite=1, capacity_online=1)
    published_meeting.refresh_from_db()
    sign_up(published_meeting, 0, "online")
    sign_up(published_meeting, 1, "online")  # waiting online
    sign_up(published_meeting, 2, "onsite")
    switcher = sign_up(published_meeting, 3, "onsite").registration  # waiting on-site
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_online=2)
    reg.change_mode(switcher, "online")
    assert states(published_meeting) == {
        "p0@example.test": CONFIRMED,
        "p1@example.test": CONFIRMED,
        "p2@example.test": CONFIRMED,
        "p3@example.test": WAITLISTED,
    }


def test_mode_change_to_hybrid_promotes_the_online_waiting_list(published_meeting, organizer):
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_onsite=10, capacity_online=1)
    published_meeting.refresh_from_db()
    sign_up(published_meeting, 0, "online")
    sign_up(published_meeting, 1, "online")  # waiting online
    meeting_services.update_meeting(
        published_meeting, actor=organizer, mode=Meeting.Mode.ONSITE, capacity_online=None
    )
    assert states(published_meeting)["p1@example.test"] == WAITLISTED
    meeting_services.update_meeting(
        published_meeting, actor=organizer, mode=Meeting.Mode.HYBRID, capacity_online=2
    )
    assert states(published_meeting) == {"p0@example.test": CONFIRMED, "p1@example.test": CONFIRMED}


def test_lowering_capacity_confirms_nobody_and_unseats_nobody(full_meeting, organizer):
    meeting_services.update_meeting(full_meeting, actor=organizer, capacity_onsite=1)
    assert states(full_meeting) == {
        "p0@example.test": CONFIRMED,
        "p1@example.test": CONFIRMED,
        "p2@example.test": WAITLISTED,
        "p3@example.test": WAITLISTED,
        "p4@example.test": WAITLISTED,
    }
