"""Property tests of moving agenda items: whatever the moves, the day never overlaps or overflows."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings import services
from meetings.models import AgendaItem, Meeting
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizerFactory

DAY_START, DAY_END = time(6), time(22)


def at(seconds: int) -> time:
    return (datetime.combine(date(2031, 1, 1), DAY_START) + timedelta(seconds=seconds)).time()


def seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@st.composite
def agendas(draw):
    """Items one after another from 06.00, with gaps, in whole minutes (the time picker) or seconds
    (the form also accepts HH:MM:SS); their `order` numbers need not follow their times."""
    unit = draw(st.sampled_from([60, 1]))
    slots, cursor = [], 0
    for _ in range(draw(st.integers(1, 6))):
        gap = draw(st.integers(0, 90 * 60)) // unit * unit
        duration = max(unit, draw(st.integers(1, 90 * 60)) // unit * unit)
        if cursor + gap + duration > seconds(DAY_END) - seconds(DAY_START):
            break
        slots.append((at(cursor + gap), at(cursor + gap + duration)))
        cursor += gap + duration
    orders = draw(st.permutations(range(1, len(slots) + 1)))
    return [(start, end, order) for (start, end), order in zip(slots, orders, strict=True)]


moves = st.lists(st.tuples(st.integers(0, 5), st.sampled_from([-1, 1])), max_size=8)


def by_time(day):
    return list(day.items.order_by("start_time", "order", "id"))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(agendas(), moves)
def test_moving_items_keeps_the_day_free_of_overlaps_and_each_item_its_length(db, agenda, steps):
    with transaction.atomic():
        organizer = OrganizerFactory()
        meeting = MeetingFactory(organizers=[organizer], status=Meeting.Status.DRAFT)
        day = MeetingDayFactory(
            meeting=meeting, date=date(2031, 9, 22), start_time=DAY_START, end_time=DAY_END
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(day=day, start_time=s, end_time=e, title=f"Sesi {o}", order=o) for s, e, o in agenda
        )
        lengths = {i.pk: seconds(i.end_time) - seconds(i.start_time) for i in day.items.all()}
        for index, direction in steps:
            before = by_time(day)
            item = before[index % len(before)]
            span = (before[0].start_time, before[-1].end_time)
            services.move_agenda_item(item, actor=organizer, direction=direction)
            after = by_time(day)

            # Each item keeps its length; the items tile the day in order, inside its hours.
            assert {i.pk: seconds(i.end_time) - seconds(i.start_time) for i in after} == lengths
            assert all(DAY_START <= i.start_time < i.end_time <= DAY_END for i in after)
            assert all(a.end_time <= b.start_time for a, b in zip(after, after[1:], strict=False))
            # The item changed places with its neighbour (or stayed put at either end).
            expected = [i.pk for i in before]
            position, other = before.index(item), before.index(item) + direction
            if 0 <= other < len(expected):
                expected[position], expected[other] = expected[other], expected[position]
            assert [i.pk for i in after] == expected
            # Together the items still span what they spanned.
            assert (after[0].start_time, after[-1].end_time) == span
        transaction.set_rollback(True)
