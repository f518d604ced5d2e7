"""The organizer's registration list: access, filters, search, counts, pagination, row actions, queries."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, OutgoingEmail
from directory.models import Organization
from meetings.models import Meeting
from participants.models import Registration
from tests.factories import MeetingFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

State = Registration.State
Mode = Registration.Mode
Source = Registration.Source


def make_registration(meeting, name, *, state=State.CONFIRMED, mode=Mode.ONSITE, **extra):
    """A registration written directly (the services are tested elsewhere), with state timestamps."""
    email = extra.pop("email", None) or f"{name.lower().replace(' ', '.')}@example.test"
    now = timezone.now()
    stamps = {
        State.CONFIRMED: "confirmed_at",
        State.WAITLISTED: "waitlisted_at",
        State.CANCELLED: "cancelled_at",
    }
    if state in stamps:
        extra.setdefault(stamps[state], now)
    return Registration.objects.create(
        meeting=meeting, full_name=name, email=email, mode=mode, state=state, **extra
    )


def list_url(meeting, **params):
    url = reverse("participants:registrations", kwargs={"code": meeting.code})
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def action_url(registration):
    return reverse(
        "participants:registration_action",
        kwargs={"code": registration.meeting.code, "pk": registration.pk},
    )


def names(response):
    return [row["registration"].full_name for row in response.context["rows"]]


def states(*registrations):
    return [Registration.objects.get(pk=r.pk).state for r in registrations]


@pytest.fixture
def kemnaker(db):
    return OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")


@pytest.fixture
def kemlu(db):
    return OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")


@pytest.fixture
def people(meeting, kemnaker, kemlu):
    """Five registrations of the meeting, of every kind the filters tell apart."""
    return [
        make_registration(meeting, "Ani Suryani", organization=kemnaker, phone="+6281234567001"),
        make_registration(
            meeting, "Budi Santoso", organization=kemlu, mode=Mode.ONLINE, source=Source.AGENCY
        ),
        make_registration(
            meeting, "Citra Lestari", state=State.PENDING, organization_name="Dinas Tenaga Kerja Bali"
        ),
        make_registration(
            meeting, "Dedi Kurnia", state=State.WAITLISTED, organization=kemnaker, mode=Mode.ONLINE
        ),
        make_registration(
            meeting, "Eka Putri", state=State.CANCELLED, organization=kemlu, source=Source.WALK_IN
        ),
    ]


@pytest.fixture
def elsewhere(other_organizer):
    """Another organizer's meeting with a registration whose name must never leak."""
    other = MeetingFactory(title="Rapat Rahasia Lain", organizers=[other_organizer])
    return make_registration(other, "Zulkarnaen Rahasia", email="zulkarnaen@rahasia.example")


# Access -------------------------------------------------------------------------------------


def test_list_shows_this_meetings_registrations_only(client, organizer, meeting, people, elsewhere):
    client.force_login(organizer)
    response = client.get(list_url(meeting))
    assert response.status_code == 200
    assert names(response) == ["Ani Suryani", "Budi Santoso", "Citra Lestari", "Dedi Kurnia", "Eka Putri"]
    body = response.content.decode()
    assert "Zulkarnaen Rahasia" not in body
    assert "zulkarnaen@rahasia.example" not in body
    assert "ani.suryani@example.test" in body
    assert "+6281234567001" in body


def test_list_redirects_anonymous_to_login(client, meeting, people):
    response = client.get(list_url(meeting))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_list_is_404_for_another_organizer_without_leaking(client, other_organizer, meeting, people):
    client.force_login(other_organizer)
    response = client.get(list_url(meeting, q="Ani"))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Ani Suryani" not in body
    assert "ani.suryani@example.test" not in body


def test_list_is_404_for_plain_user(client, plain_user, meeting, people):
    client.force_login(plain_user)
    response = client.get(list_url(meeting))
    assert response.status_code == 404
    assert "Ani Suryani" not in response.content.decode()


def test_secretary_sees_the_list_without_actions(client, secretary, meeting, people):
    client.force_login(secretary)
    response = client.get(list_url(meeting))
    assert response.status_code == 200
    assert names(response)[0] == "Ani Suryani"
    assert response.context["can_change"] is False
    body = response.content.decode()
    assert 'id="bulk-form"' not in body
    assert 'name="action"' not in body


def test_secretary_row_action_is_forbidden_and_changes_nothing(client, secretary, meeting, people):
    pending = people[2]
    client.force_login(secretary)
    response = client.post(action_url(pending), {"action": "approve"})
    assert response.status_code == 403
    assert states(pending) == [State.PENDING]
    assert AuditEntry.objects.filter(action__startswith="registration.").count() == 0


def test_secretary_bulk_action_is_forbidden_and_changes_nothing(client, secretary, meeting, people):
    client.force_login(secretary)
    response = client.post(list_url(meeting), {"action": "decline", "ids": [r.pk for r in people]})
    assert response.status_code == 403
    assert states(*people) == [
        State.CONFIRMED,
        State.CONFIRMED,
        State.PENDING,
        State.WAITLISTED,
        State.CANCELLED,
    ]


def test_another_organizer_cannot_act_on_a_registration(client, other_organizer, meeting, people):
    client.force_login(other_organizer)
    response = client.post(action_url(people[0]), {"action": "decline"})
    assert response.status_code == 404
    assert states(people[0]) == [State.CONFIRMED]


# Filters and search ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"mode": "online"}, ["Budi Santoso", "Dedi Kurnia"]),
        ({"state": "confirmed"}, ["Ani Suryani", "Budi Santoso"]),
        ({"state": "pending"}, ["Citra Lestari"]),
        ({"source": "agency"}, ["Budi Santoso"]),
        ({"source": "walk_in"}, ["Eka Putri"]),
        ({"agency": "typed"}, ["Citra Lestari"]),
        ({"q": "santoso"}, ["Budi Santoso"]),
        ({"q": "dedi.kurnia@"}, ["Dedi Kurnia"]),
        ({"q": "kemlu"}, ["Budi Santoso", "Eka Putri"]),
        ({"q": "Luar Negeri"}, ["Budi Santoso", "Eka Putri"]),
        ({"q": "tenaga kerja bali"}, ["Citra Lestari"]),
        ({"mode": "online", "state": "waitlisted"}, ["Dedi Kurnia"]),
    ],
)
def test_filters_and_search_narrow_exactly(client, organizer, meeting, people, params, expected):
    client.force_login(organizer)
    response = client.get(list_url(meeting, **params))
    assert names(response) == expected
    assert response.context["paginator"].count == len(expected)


def test_agency_filter_lists_organizations_of_this_meeting(
    client, organizer, meeting, people, kemnaker, kemlu
):
    OrganizationFactory(name="Kementerian Perhubungan", acronym="Kemenhub")  # in the directory, not here
    client.force_login(organizer)
    response = client.get(list_url(meeting, agency=kemnaker.pk))
    assert names(response) == ["Ani Suryani", "Dedi Kurnia"]
    choices = [value for value, _label in response.context["filter_form"].fields["agency"].choices]
    assert choices == ["", str(kemlu.pk), str(kemnaker.pk), "typed"]


def test_search_by_code(client, organizer, meeting, people):
    client.force_login(organizer)
    response = client.get(list_url(meeting, q=people[3].code.lower()))
    assert names(response) == ["Dedi Kurnia"]


def test_unknown_filter_values_are_ignored(client, organizer, meeting, people):
    client.force_login(organizer)
    response = client.get(list_url(meeting, state="nonsense", agency="999999"))
    assert response.status_code == 200
    assert len(names(response)) == 5


def test_filtered_list_says_how_many_match(client, organizer, meeting, people):
    client.force_login(organizer)
    response = client.get(list_url(meeting, mode="online"))
    assert response.context["filtered"] is True
    assert "2 dari 5 pendaftaran sesuai dengan saringan." in response.content.decode()


# Counts -------------------------------------------------------------------------------------


def test_count_matrix_is_exact_over_the_whole_meeting(client, organizer, meeting, people, elsewhere):
    client.force_login(organizer)
    response = client.get(list_url(meeting, mode="online"))  # filters leave the matrix whole
    matrix = response.context["matrix"]
    assert [m["value"] for m in matrix["modes"]] == ["onsite", "online"]
    assert [(row["state"], row["counts"], row["total"]) for row in matrix["rows"]] == [
        ("pending", [1, 0], 1),
        ("confirmed", [1, 1], 2),
        ("waitlisted", [0, 1], 1),
        ("declined", [0, 0], 0),
        ("cancelled", [1, 0], 1),
    ]
    assert (matrix["totals"], matrix["total"]) == ([3, 2], 5)
    assert [m["capacity"] for m in matrix["modes"]] == [50, 300]


# Pagination and time zone -------------------------------------------------------------------


def test_list_is_paginated_by_fifty(client, organizer, meeting):
    Registration.objects.bulk_create(
        Registration(
            meeting=meeting,
            full_name=f"Peserta {n:03d}",
            email=f"p{n}@example.test",
            mode="onsite",
            state="confirmed",
        )
        for n in range(120)
    )
    client.force_login(organizer)
    first = client.get(list_url(meeting, state="confirmed"))
    assert len(names(first)) == 50
    assert names(first)[0] == "Peserta 000"
    assert first.context["paginator"].num_pages == 3
    assert "state=confirmed&amp;page=2" in first.content.decode()
    last = client.get(list_url(meeting, state="confirmed", page=3))
    assert names(last) == [f"Peserta {n:03d}" for n in range(100, 120)]
    assert [row["number"] for row in last.context["rows"]][:2] == [101, 102]
    beyond = client.get(list_url(meeting, page=9))  # e.g. after a bulk action emptied the last page
    assert beyond.status_code == 200
    assert names(beyond)[-1] == "Peserta 119"


def test_registered_at_is_shown_in_the_meetings_time_zone(client, organizer, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(timezone="Asia/Jayapura")
    r = make_registration(meeting, "Frans Wenda")
    Registration.objects.filter(pk=r.pk).update(created_at=datetime(2031, 9, 1, 0, 30, tzinfo=UTC))
    client.force_login(organizer)
    body = client.get(list_url(meeting)).content.decode()
    assert "01/09/2031 09.30" in body
    assert "(WIT)" in body


# Row actions --------------------------------------------------------------------------------


@pytest.fixture
def one_seat(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(capacity_onsite=1)
    meeting.refresh_from_db()
    return meeting


def test_row_approve_with_a_free_seat_confirms(client, organizer, one_seat):
    pending = make_registration(one_seat, "Gita Pending", state=State.PENDING)
    client.force_login(organizer)
    response = client.post(action_url(pending) + "?state=pending&page=1", {"action": "approve"})
    assert response.status_code == 302
    assert response.url == list_url(one_seat) + "?state=pending&page=1"
    assert states(pending) == [State.CONFIRMED]
    entry = AuditEntry.objects.get(action="registration.approved")
    assert (entry.actor, entry.object_id) == (organizer, str(pending.pk))
    assert OutgoingEmail.objects.filter(to=[pending.email]).count() == 1


def test_row_approve_without_a_free_seat_waitlists(client, organizer, one_seat):
    make_registration(one_seat, "Hadi Seated")
    pending = make_registration(one_seat, "Gita Pending", state=State.PENDING)
    client.force_login(organizer)
    client.post(action_url(pending), {"action": "approve"})
    assert states(pending) == [State.WAITLISTED]


def test_row_decline_of_a_confirmed_promotes_the_first_waiting(client, organizer, one_seat):
    seated = make_registration(one_seat, "Hadi Seated")
    first = make_registration(one_seat, "Indah First", state=State.WAITLISTED)
    second = make_registration(one_seat, "Joko Second", state=State.WAITLISTED)
    Registration.objects.filter(pk=second.pk).update(waitlisted_at=first.waitlisted_at.replace(year=2030))
    Registration.objects.filter(pk=first.pk).update(waitlisted_at=first.waitlisted_at.replace(year=2029))
    client.force_login(organizer)
    response = client.post(action_url(seated), {"action": "decline"})
    assert response.status_code == 302
    assert states(seated, first, second) == [State.DECLINED, State.CONFIRMED, State.WAITLISTED]
    assert list(AuditEntry.objects.order_by("id").values_list("action", "object_id")) == [
        ("registration.declined", str(seated.pk)),
        ("registration.promoted", str(first.pk)),
    ]


def test_row_cancel(client, organizer, meeting, people):
    client.force_login(organizer)
    client.post(action_url(people[0]), {"action": "cancel"})
    assert states(people[0]) == [State.CANCELLED]


def test_row_action_not_valid_for_the_state_changes_nothing(client, organizer, meeting, people):
    cancelled = people[4]
    client.force_login(organizer)
    client.cookies["django_language"] = "en"
    response = client.post(action_url(cancelled), {"action": "approve"}, follow=True)
    assert states(cancelled) == [State.CANCELLED]
    assert [str(m) for m in response.context["messages"]] == [
        f"Eka Putri ({cancelled.code}) was not changed: not possible for a registration that is “Cancelled”."
    ]
    assert AuditEntry.objects.count() == 0


def test_row_action_needs_post(client, organizer, meeting, people):
    client.force_login(organizer)
    assert client.get(action_url(people[2]) + "?action=approve").status_code == 405
    assert states(people[2]) == [State.PENDING]


def test_row_buttons_match_each_state(client, organizer, meeting, people):
    client.force_login(organizer)
    response = client.get(list_url(meeting))
    assert [[a.name for a in row["actions"]] for row in response.context["rows"]] == [
        ["decline", "waitlist", "cancel"],  # confirmed
        ["decline", "waitlist", "cancel"],  # confirmed
        ["approve", "decline", "waitlist", "cancel"],  # pending
        ["approve", "decline", "cancel"],  # waitlisted
        [],  # cancelled
    ]
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_row_action_on_another_meetings_registration_is_404(client, organizer, meeting, people, elsewhere):
    client.force_login(organizer)
    url = reverse("participants:registration_action", kwargs={"code": meeting.code, "pk": elsewhere.pk})
    assert client.post(url, {"action": "decline"}).status_code == 404
    assert states(elsewhere) == [State.CONFIRMED]


# Queries ------------------------------------------------------------------------------------


def seed(meeting, count, organizations):
    """`count` registrations spread over organizations, states, modes, sources and typed names."""
    states_, modes, sources = list(State.values), list(Mode.values), list(Source.values)
    Registration.objects.bulk_create(
        Registration(
            meeting=meeting,
            full_name=f"Peserta Uji {n:05d}",
            position="Analis Kebijakan",
            email=f"uji{n}@example.test",
            phone="+6281200000000",
            organization=organizations[n % len(organizations)] if n % 7 else None,
            organization_name="" if n % 7 else f"Dinas Ketik {n % 13}",
            mode=modes[n % len(modes)],
            state=states_[n % len(states_)],
            source=sources[n % len(sources)],
        )
        for n in range(count)
    )


def page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


# Session, user, meeting, its organizers, the organizations filter, the count matrix, the
# paginator's count, the page of registrations (with organizations).
LIST_QUERIES = 8


def test_list_runs_the_same_queries_for_5_and_2000_registrations(client, organizer, meeting):
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Instansi Uji {i}", acronym=f"IU{i}") for i in range(40)
    )
    client.force_login(organizer)
    seed(meeting, 5, organizations)
    small, response = page_queries(client, list_url(meeting))
    assert response.context["paginator"].count == 5
    Registration.objects.filter(meeting=meeting).delete()
    seed(meeting, 2000, organizations)
    large, response = page_queries(client, list_url(meeting))
    assert response.context["paginator"].count == 2000
    assert len(response.context["rows"]) == 50
    filtered, response = page_queries(client, list_url(meeting, q="Uji", mode="online", page=2))
    assert response.context["paginator"].count == 1000
    assert (small, large, filtered) == (LIST_QUERIES, LIST_QUERIES, LIST_QUERIES)
