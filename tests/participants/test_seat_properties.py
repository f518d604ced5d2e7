"""A stateful model of a meeting's seats: register, cancel, switch mode, change capacity, any order.

Hypothesis runs random sequences of those operations through the real services against one
published hybrid meeting and checks after each step that confirmed registrations never exceed a
mode's capacity (unless it was lowered below them: nobody is unseated, and nobody else is seated
until the count is back under it), that each waiting list is served first come first served, and
that nobody waits while a seat of their mode is free.
"""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from meetings import services as meeting_services
from meetings.models import Meeting
from participants.models import Registration
from participants.services import registration as reg
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizerFactory

MODES = ("onsite", "online")
FIELD = {"onsite": "capacity_onsite", "online": "capacity_online"}
CONFIRMED, WAITLISTED = Registration.State.CONFIRMED, Registration.State.WAITLISTED
people = st.integers(0, 7)
modes = st.sampled_from(MODES)
capacities = st.none() | st.integers(1, 4)


class Seats(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each run of the machine is one savepoint inside the test's transaction, rolled back.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.organizer = OrganizerFactory()
        self.meeting = MeetingFactory(
            organizers=[self.organizer], status=Meeting.Status.PUBLISHED, mode=Meeting.Mode.HYBRID
        )
        MeetingDayFactory(meeting=self.meeting, date=date(2031, 9, 22), start_time=time(9), end_time=time(15))
        self.queue = {mode: [] for mode in MODES}  # who waits, in the order they joined each list
        self.snapshot = self.read()
        self.actor = None

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # The database as the invariants see it ----------------------------------------------------

    def read(self) -> dict[int, tuple[str, str]]:
        return {
            pk: (state, mode)
            for pk, state, mode in Registration.objects.filter(meeting=self.meeting).values_list(
                "pk", "state", "mode"
            )
        }

    def capacity(self, mode):
        self.meeting.refresh_from_db()
        return reg.capacity(self.meeting, mode)

    def confirmed(self, regs, mode):
        return {pk for pk, (state, m) in regs.items() if (state, m) == (CONFIRMED, mode)}

    def waiting_in_order(self, mode):
        return list(
            Registration.objects.filter(meeting=self.meeting, mode=mode, state=WAITLISTED)
            .order_by("waitlisted_at", "id")
            .values_list("pk", flat=True)
        )

    def registration(self, person):
        return Registration.objects.filter(meeting=self.meeting, email=f"p{person}@example.test").first()

    # Operations -------------------------------------------------------------------------------

    @initialize(onsite=capacities, online=capacities)
    def set_capacities(self, onsite, online):
        Meeting.objects.filter(pk=self.meeting.pk).update(capacity_onsite=onsite, capacity_online=online)

    @rule(person=people, mode=modes)
    def register(self, person, mode):
        outcome = reg.register(
            self.meeting,
            full_name=f"Peserta {person}",
            email=f"p{person}@example.test",
            mode=mode,
            consent=True,
        )
        self.actor = outcome.registration.pk
        assert outcome.result in {"confirmed", "waitlisted", "existing"}

    @rule(person=people)
    def cancel(self, person):
        registration = self.registration(person)
        if registration is None or not registration.is_active:
            return
        self.actor = registration.pk
        reg.cancel(registration)

    @rule(person=people, mode=modes)
    def switch_mode(self, person, mode):
        registration = self.registration(person)
        if registration is None:
            return
        self.actor = registration.pk
        try:
            reg.change_mode(registration, mode)
        except reg.RegistrationError:
            # No free seat for a confirmed person, or no longer active: nothing changed.
            assert self.read() == self.snapshot

    @rule(mode=modes, value=capacities)
    def change_capacity(self, mode, value):
        try:
            meeting_services.update_meeting(self.meeting, actor=self.organizer, **{FIELD[mode]: value})
        except ValidationError:
            pytest.fail("a capacity change of a hybrid meeting was refused")
        self.meeting.refresh_from_db()

    # Invariants, checked after every step -----------------------------------------------------

    @invariant()
    def seats_and_queues_hold(self):
        before, now = self.snapshot, self.read()
        if self.actor is not None and before.get(self.actor) == now[self.actor]:
            self.actor = None  # registered again ("existing") or asked for the mode they have
        for mode in MODES:
            limit = self.capacity(mode)
            seated = self.confirmed(now, mode)
            newly = seated - self.confirmed(before, mode)
            if limit is not None and len(seated) > limit:
                # Only a lowered capacity leaves more seated than it allows: nobody new then.
                assert not newly, f"{mode}: {sorted(newly)} seated while {len(seated)} hold {limit} seats"
                assert len(seated) <= len(self.confirmed(before, mode))

            waiting = self.waiting_in_order(mode)
            assert not waiting or (limit is not None and len(seated) >= limit), (
                f"{mode}: {waiting} wait while {len(seated)} hold {limit} seats"
            )

            # First come first served: those who left the list (other than the one who acted)
            # were at its head and got a seat; whoever joined it stands at its end.
            queue = [pk for pk in self.queue[mode] if pk != self.actor]
            left = [pk for pk in queue if pk not in waiting]
            assert left == queue[: len(left)], f"{mode}: {left} left the list out of turn {queue}"
            assert all(now[pk] == (CONFIRMED, mode) for pk in left), f"{mode}: {left} left without a seat"
            stayed = queue[len(left) :]
            joined = [pk for pk in waiting if pk not in stayed]
            assert joined in ([], [self.actor]), f"{mode}: {joined} joined the list"
            assert waiting == stayed + joined, f"{mode}: {waiting} waits, expected {stayed + joined}"
            self.queue[mode] = waiting
        self.snapshot, self.actor = now, None


@pytest.mark.django_db
def test_seats_hold_whatever_people_and_organizers_do():
    run_state_machine_as_test(
        Seats,
        settings=settings(
            max_examples=max(10, settings().max_examples // 2),  # each example is a whole run
            stateful_step_count=20,
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        ),
    )
