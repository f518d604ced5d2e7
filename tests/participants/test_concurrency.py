"""Seats under concurrency, on PostgreSQL with real parallel connections (one thread each)."""

import pytest

from core.models import AuditEntry, OutgoingEmail
from meetings.models import Meeting
from participants.models import Registration
from participants.services import registration as reg
from tests.participants.conftest import Watcher, run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

CONFIRMED = Registration.State.CONFIRMED
WAITLISTED = Registration.State.WAITLISTED


def set_capacity(meeting, *, onsite, online):
    Meeting.objects.filter(pk=meeting.pk).update(capacity_onsite=onsite, capacity_online=online)
    meeting.refresh_from_db()
    return meeting


def sign_up(meeting, n, mode="onsite"):
    return reg.register(
        meeting, full_name=f"Peserta {n}", email=f"p{n}@example.test", mode=mode, consent=True
    )


def confirmed(meeting, mode):
    return Registration.objects.filter(meeting=meeting, mode=mode, state=CONFIRMED).count()


def states(meeting):
    return dict(Registration.objects.filter(meeting=meeting).values_list("email", "state"))


def test_concurrent_registrations_fill_exactly_the_seats_then_the_waiting_list(published_meeting):
    meeting = set_capacity(published_meeting, onsite=20, online=100)

    with Watcher(lambda: confirmed(meeting, "onsite")) as watcher:
        outcome = run_at_once(sign_up, [(meeting, n) for n in range(60)])

    assert outcome.failures == []
    results = [o.result for o in outcome.results]
    assert (results.count("confirmed"), results.count("waitlisted")) == (20, 40)
    assert Registration.objects.filter(meeting=meeting).count() == 60
    assert confirmed(meeting, "onsite") == 20
    assert Registration.objects.filter(meeting=meeting, state=WAITLISTED).count() == 40
    assert watcher.highest == 20
    codes = list(Registration.objects.values_list("code", flat=True))
    assert len(set(codes)) == 60
    emails = list(Registration.objects.values_list("email", flat=True))
    assert sorted(emails) == sorted(f"p{n}@example.test" for n in range(60))
    # Every registration has its confirmation or waiting-list email queued with it.
    assert OutgoingEmail.objects.count() == 60


def test_concurrent_submissions_of_one_email_create_one_registration(published_meeting):
    meeting = set_capacity(published_meeting, onsite=20, online=100)

    def submit():
        return reg.register(
            meeting, full_name="Rina Wulandari", email="Rina@Example.test", mode="onsite", consent=True
        )

    outcome = run_at_once(submit, [()] * 10)

    assert outcome.failures == []
    assert sorted(o.result for o in outcome.results) == ["confirmed"] + ["existing"] * 9
    assert states(meeting) == {"rina@example.test": CONFIRMED}
    assert {o.registration.pk for o in outcome.results} == {Registration.objects.get().pk}
    # One confirmation, and one "you are already registered" notice however many repeats came
    # in at once (at most one per address, meeting and SINERGI_DUPLICATE_NOTICE_INTERVAL_MINUTES).
    sent = OutgoingEmail.objects.filter(to=["rina@example.test"])
    assert sent.count() == 2
    assert sorted(e.params["kind"] for e in sent) == sorted(["confirmed", "existing"])


def test_two_cancellations_at_once_promote_the_first_two_waiting(published_meeting):
    meeting = set_capacity(published_meeting, onsite=20, online=100)
    holders = [sign_up(meeting, n).registration for n in range(20)]
    waiting = [sign_up(meeting, n).registration for n in range(20, 26)]
    assert [w.state for w in waiting] == [WAITLISTED] * 6

    with Watcher(lambda: confirmed(meeting, "onsite")) as watcher:
        # Three rounds, each with two cancellations racing; each round promotes the next two.
        for round_ in range(3):
            outcome = run_at_once(reg.cancel, [(holders[2 * round_],), (holders[2 * round_ + 1],)])
            assert outcome.failures == []
            now = states(meeting)
            promoted = 2 * (round_ + 1)
            assert [now[w.email] for w in waiting] == [CONFIRMED] * promoted + [WAITLISTED] * (6 - promoted)

    assert [now[h.email] for h in holders[:6]] == [Registration.State.CANCELLED] * 6
    assert confirmed(meeting, "onsite") == 20
    assert watcher.highest == 20
    promotions = AuditEntry.objects.filter(action="registration.promoted")
    assert sorted(int(p.object_id) for p in promotions) == sorted(w.pk for w in waiting)


def test_two_cancellations_at_once_promote_two_different_people(published_meeting):
    meeting = set_capacity(published_meeting, onsite=20, online=100)
    holders = [sign_up(meeting, n).registration for n in range(20)]
    waiting = [sign_up(meeting, n).registration for n in range(20, 23)]

    with Watcher(lambda: confirmed(meeting, "onsite")) as watcher:
        outcome = run_at_once(reg.cancel, [(holders[7],), (holders[12],)])

    assert outcome.failures == []
    now = states(meeting)
    assert [now[w.email] for w in waiting] == [CONFIRMED, CONFIRMED, WAITLISTED]
    assert (now[holders[7].email], now[holders[12].email]) == ("cancelled", "cancelled")
    assert confirmed(meeting, "onsite") == 20
    assert watcher.highest == 20


def test_cancelling_one_registration_twice_at_once_cancels_it_once(published_meeting):
    meeting = set_capacity(published_meeting, onsite=2, online=100)
    holder = sign_up(meeting, 0).registration
    sign_up(meeting, 1)
    waiting = [sign_up(meeting, n).registration for n in (2, 3)]
    emails_before = OutgoingEmail.objects.filter(to=[holder.email]).count()

    outcome = run_at_once(reg.cancel, [(holder,), (holder,)])

    assert [type(e) for e in outcome.failures] == [reg.RegistrationError]
    now = states(meeting)
    assert [now[w.email] for w in waiting] == [CONFIRMED, WAITLISTED]
    assert AuditEntry.objects.filter(action="registration.cancelled", object_id=str(holder.pk)).count() == 1
    assert OutgoingEmail.objects.filter(to=[holder.email]).count() == emails_before + 1


def test_concurrent_mode_changes_take_exactly_the_free_seats(published_meeting):
    meeting = set_capacity(published_meeting, onsite=30, online=12)
    movers = [sign_up(meeting, n, "onsite").registration for n in range(30)]
    for n in range(100, 102):
        sign_up(meeting, n, "online")
    waiting_onsite = [sign_up(meeting, n, "onsite").registration for n in range(200, 205)]
    assert (confirmed(meeting, "onsite"), confirmed(meeting, "online")) == (30, 2)

    with (
        Watcher(lambda: confirmed(meeting, "online")) as online_watch,
        Watcher(lambda: confirmed(meeting, "onsite")) as onsite_watch,
    ):
        outcome = run_at_once(reg.change_mode, [(r, "online") for r in movers])

    assert len([r for r in outcome.results if r is not None]) == 10
    assert len(outcome.failures) == 20
    assert all(isinstance(e, reg.RegistrationError) for e in outcome.failures)
    moved = {r.pk for r in outcome.results if r is not None}
    now = dict(Registration.objects.filter(meeting=meeting).values_list("pk", "mode"))
    assert {pk for pk in (m.pk for m in movers) if now[pk] == "online"} == moved
    assert confirmed(meeting, "online") == 12
    # The ten seats freed on-site went to the five people waiting for them.
    assert confirmed(meeting, "onsite") == 25
    assert [states(meeting)[w.email] for w in waiting_onsite] == [CONFIRMED] * 5
    assert (online_watch.highest, onsite_watch.highest) == (12, 30)


def test_declining_one_registration_twice_at_once_declines_it_once(published_meeting, organizer):
    meeting = set_capacity(published_meeting, onsite=1, online=100)
    holder = sign_up(meeting, 0).registration
    waiting = sign_up(meeting, 1).registration

    outcome = run_at_once(lambda: reg.decline(holder, actor=organizer), [(), ()])

    assert [type(e) for e in outcome.failures] == [reg.RegistrationError]
    assert states(meeting) == {holder.email: "declined", waiting.email: CONFIRMED}
    assert AuditEntry.objects.filter(action="registration.declined").count() == 1


def test_moving_one_registration_to_the_waiting_list_twice_at_once_moves_it_once(
    published_meeting, organizer
):
    meeting = set_capacity(published_meeting, onsite=1, online=100)
    holder = sign_up(meeting, 0).registration
    first_waiting = sign_up(meeting, 1).registration

    outcome = run_at_once(lambda: reg.move_to_waitlist(holder, actor=organizer), [(), ()])

    assert [type(e) for e in outcome.failures] == [reg.RegistrationError]
    assert states(meeting) == {holder.email: WAITLISTED, first_waiting.email: CONFIRMED}
    assert AuditEntry.objects.filter(action="registration.waitlisted").count() == 1


def test_capacity_raise_racing_new_registrations_seats_those_waiting_first(published_meeting, organizer):
    from meetings import services as meeting_services

    meeting = set_capacity(published_meeting, onsite=2, online=100)
    for n in range(6):
        sign_up(meeting, n)  # p0, p1 confirmed; p2..p5 waiting in that order

    def raise_capacity():
        return meeting_services.update_meeting(
            Meeting.objects.get(pk=meeting.pk), actor=organizer, capacity_onsite=5
        )

    calls = [(raise_capacity, ())] + [(sign_up, (meeting, n)) for n in range(10, 20)]
    outcome = run_at_once(lambda fn, args: fn(*args), calls)

    assert outcome.failures == []
    final = states(meeting)
    assert sorted(e for e, s in final.items() if s == CONFIRMED) == [f"p{n}@example.test" for n in range(5)]
    assert [e for e, s in sorted(final.items()) if s == WAITLISTED] == sorted(
        ["p5@example.test"] + [f"p{n}@example.test" for n in range(10, 20)]
    )
