"""Bulk approve, decline and move to the waiting list from the organizer's registration list."""

import pytest
from django.core import mail

from core.models import AuditEntry, OutgoingEmail
from meetings.models import Meeting
from participants.models import Registration
from participants.services import bulk
from tests.factories import MeetingFactory
from tests.participants.test_registration_list import list_url, make_registration, states

pytestmark = pytest.mark.django_db

State = Registration.State


@pytest.fixture
def two_seats(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(capacity_onsite=2)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_bulk_approve_fills_free_seats_then_the_waiting_list(client, english, organizer, two_seats):
    seated = make_registration(two_seats, "Ani Seated")
    a = make_registration(two_seats, "Budi Pending", state=State.PENDING)
    b = make_registration(two_seats, "Citra Pending", state=State.PENDING)
    client.force_login(organizer)
    response = client.post(
        list_url(two_seats, state="pending"), {"action": "approve", "ids": [b.pk, a.pk]}, follow=True
    )
    assert response.redirect_chain == [(list_url(two_seats, state="pending"), 302)]
    # Oldest registration first: Budi takes the last seat, Citra waits.
    assert states(seated, a, b) == [State.CONFIRMED, State.CONFIRMED, State.WAITLISTED]
    assert messages_of(response) == ["2 registrations changed."]
    assert list(
        AuditEntry.objects.filter(action="registration.approved")
        .order_by("id")
        .values_list("object_id", "actor")
    ) == [
        (str(a.pk), organizer.pk),
        (str(b.pk), organizer.pk),
    ]
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == [[a.email], [b.email]]


def test_bulk_decline_promotes_the_waiting(client, organizer, two_seats, run_tasks):
    first = make_registration(two_seats, "Ani Seated")
    second = make_registration(two_seats, "Budi Seated")
    waiting = make_registration(two_seats, "Citra Waiting", state=State.WAITLISTED)
    client.force_login(organizer)
    client.post(list_url(two_seats), {"action": "decline", "ids": [first.pk]})
    assert states(first, second, waiting) == [State.DECLINED, State.CONFIRMED, State.CONFIRMED]
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == [first.email, waiting.email]


def test_bulk_move_to_waiting_list(client, organizer, two_seats):
    pending = make_registration(two_seats, "Ani Pending", state=State.PENDING)
    client.force_login(organizer)
    client.post(list_url(two_seats), {"action": "waitlist", "ids": [pending.pk]})
    assert states(pending) == [State.WAITLISTED]
    assert AuditEntry.objects.get().action == "registration.waitlisted"


def test_bulk_ignores_ids_of_another_meeting(client, english, organizer, other_organizer, two_seats):
    mine = make_registration(two_seats, "Ani Pending", state=State.PENDING)
    other_meeting = MeetingFactory(organizers=[other_organizer])
    theirs = make_registration(other_meeting, "Zulkarnaen Rahasia", state=State.PENDING)
    client.force_login(organizer)
    response = client.post(
        list_url(two_seats), {"action": "decline", "ids": [mine.pk, theirs.pk]}, follow=True
    )
    assert states(mine, theirs) == [State.DECLINED, State.PENDING]
    assert messages_of(response) == [
        "1 registration changed; 1 skipped: 1 selected registration is not part of this meeting."
    ]
    assert "Zulkarnaen" not in response.content.decode()


def test_bulk_reports_skipped_registrations_with_reasons(client, english, organizer, two_seats):
    make_registration(two_seats, "Ani Seated")
    make_registration(two_seats, "Budi Seated")
    waiting = make_registration(two_seats, "Citra Waiting", state=State.WAITLISTED)
    cancelled = make_registration(two_seats, "Dedi Cancelled", state=State.CANCELLED)
    client.force_login(organizer)
    response = client.post(
        list_url(two_seats), {"action": "approve", "ids": [waiting.pk, cancelled.pk]}, follow=True
    )
    assert states(waiting, cancelled) == [State.WAITLISTED, State.CANCELLED]
    assert messages_of(response) == [
        f"0 registrations changed; 2 skipped: Citra Waiting ({waiting.code}): no free seat; "
        f"Dedi Cancelled ({cancelled.code}): not possible for a registration that is “Cancelled”."
    ]
    assert AuditEntry.objects.count() == 0


def test_bulk_without_selection_shows_the_error_next_to_the_field(client, english, organizer, two_seats):
    pending = make_registration(two_seats, "Ani Pending", state=State.PENDING)
    client.force_login(organizer)
    response = client.post(list_url(two_seats), {"action": "approve"})
    assert response.status_code == 200
    assert response.context["bulk_form"].errors == {"ids": ["Select at least one registration."]}
    assert 'id="bulk-ids-error"' in response.content.decode()
    assert states(pending) == [State.PENDING]


def test_bulk_without_action_keeps_the_selection(client, english, organizer, two_seats):
    pending = make_registration(two_seats, "Ani Pending", state=State.PENDING)
    client.force_login(organizer)
    response = client.post(list_url(two_seats), {"action": "explode", "ids": [pending.pk]})
    assert response.status_code == 200
    assert response.context["bulk_form"].errors == {"action": ["Choose an action."]}
    assert response.context["selected_ids"] == {pending.pk}
    assert (
        f'value="{pending.pk}" form="bulk-form" aria-label="Select Ani Pending" checked'
        in response.content.decode()
    )
    assert states(pending) == [State.PENDING]


def test_bulk_rejects_cancel_and_garbage_ids(client, organizer, two_seats):
    seated = make_registration(two_seats, "Ani Seated")
    client.force_login(organizer)
    assert client.post(list_url(two_seats), {"action": "cancel", "ids": [seated.pk]}).status_code == 200
    assert client.post(list_url(two_seats), {"action": "decline", "ids": ["1; drop"]}).status_code == 200
    assert states(seated) == [State.CONFIRMED]


def test_apply_bulk_service_counts_done_skipped_and_not_found(organizer, two_seats):
    a = make_registration(two_seats, "Ani Pending", state=State.PENDING)
    b = make_registration(two_seats, "Budi Declined", state=State.DECLINED)
    report = bulk.apply_bulk(two_seats, "decline", [a.pk, b.pk, 987654], actor=organizer)
    assert [c.registration.pk for c in report.done] == [a.pk]
    assert [c.registration.pk for c in report.refused] == [b.pk]
    assert report.not_found == 1


def test_apply_bulk_refuses_an_unknown_action(organizer, two_seats):
    from django.core.exceptions import ValidationError

    a = make_registration(two_seats, "Ani Pending", state=State.PENDING)
    with pytest.raises(ValidationError):
        bulk.apply_bulk(two_seats, "cancel", [a.pk], actor=organizer)
    assert states(a) == [State.PENDING]


def test_moving_the_only_confirmed_person_to_the_waiting_list_sticks(organizer, two_seats):
    seated = make_registration(two_seats, "Ani Seated")
    change = bulk.change_state(seated, "waitlist", actor=organizer)
    assert states(seated) == [State.WAITLISTED]
    assert change.done is True


def test_moving_a_confirmed_person_to_the_waiting_list_gives_the_seat_to_the_first_waiting(
    organizer, two_seats
):
    seated = make_registration(two_seats, "Ani Seated")
    make_registration(two_seats, "Budi Seated")
    waiting = make_registration(two_seats, "Citra Waiting", state=State.WAITLISTED)
    change = bulk.change_state(seated, "waitlist", actor=organizer)
    assert change.done is True
    assert states(seated, waiting) == [State.WAITLISTED, State.CONFIRMED]
