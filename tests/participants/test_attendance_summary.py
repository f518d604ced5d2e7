"""Attendance summary per day and agency: exact numbers, and a fixed number of queries."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participants.models import Attendance, Registration
from participants.services import attendance as attendance_services
from participants.services import registration as reg
from tests.factories import OrganizationFactory, move_days_to_the_past

pytestmark = pytest.mark.django_db


def sign_up(meeting, name, mode="onsite", state=None, **extra):
    registration = reg.register(
        meeting,
        full_name=name,
        email=f"{name.lower()}@example.test",
        mode=mode,
        consent=True,
        check_window=False,
        **extra,
    ).registration
    if state:
        Registration.objects.filter(pk=registration.pk).update(state=state)
        registration.refresh_from_db()
    return registration


def zoom(registration, day):
    return Attendance.objects.create(
        registration=registration, day=day, how="zoom", first_seen_at=timezone.now()
    )


@pytest.fixture
def scenario(published_meeting, organizer):
    """Two agencies (one from the directory, one typed in two spellings) over two past days."""
    move_days_to_the_past(published_meeting)
    day1, day2 = published_meeting.days.order_by("date")
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    a = sign_up(published_meeting, "Ani", organization=bp2mi)
    b = sign_up(published_meeting, "Bayu", organization=bp2mi)
    c = sign_up(published_meeting, "Cici", mode="online", organization=bp2mi)
    e = sign_up(published_meeting, "Eka", organization_name="Dinas Sulsel")
    sign_up(published_meeting, "Fajar", organization_name="Dinas Sulsel", state="cancelled")
    sign_up(published_meeting, "Gita", organization_name="dinas sulsel")
    # Put on the waiting list last: a later registration would hand them the free seat first.
    sign_up(published_meeting, "Dodi", organization=bp2mi, state="waitlisted")
    for person, day in ((a, day1), (c, day1), (e, day1), (a, day2)):
        attendance_services.check_in(person, day, actor=organizer, at=day.starts_at())
    zoom(b, day2)
    return published_meeting


def as_table(summaries):
    return [
        (
            s.day.date.isoformat(),
            [(r.name, r.registered, r.onsite, r.online, r.no_shows) for r in s.rows],
            (s.total.registered, s.total.onsite, s.total.online, s.total.no_shows),
        )
        for s in summaries
    ]


def test_summary_counts_per_day_and_agency(scenario):
    assert as_table(attendance_services.summary(scenario)) == [
        ("2021-09-20", [("BP2MI", 3, 2, 0, 1), ("Dinas Sulsel", 2, 1, 0, 1)], (5, 3, 0, 2)),
        ("2021-09-21", [("BP2MI", 3, 1, 1, 1), ("Dinas Sulsel", 2, 0, 0, 2)], (5, 1, 1, 3)),
    ]


def test_summary_page_shows_the_numbers(client, organizer, scenario):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(organizer)
    response = client.get(reverse("participants:attendance_summary", args=[scenario.code]))
    assert response.status_code == 200
    assert as_table(response.context["summaries"])[0][2] == (5, 3, 0, 2)
    page = response.content.decode()
    assert "Attended on-site" in page
    assert "No-shows" in page
    assert "Dinas Sulsel" in page


def test_summary_secretary_may_read(client, secretary, scenario):
    client.force_login(secretary)
    assert client.get(reverse("participants:attendance_summary", args=[scenario.code])).status_code == 200


def test_summary_other_organizer_gets_404_without_agencies(client, other_organizer, scenario):
    client.force_login(other_organizer)
    response = client.get(reverse("participants:attendance_summary", args=[scenario.code]))
    assert response.status_code == 404
    assert "Dinas Sulsel" not in response.content.decode()


def test_summary_anonymous_goes_to_login(client, scenario):
    response = client.get(reverse("participants:attendance_summary", args=[scenario.code]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_summary_runs_a_fixed_number_of_queries(
    client, organizer, published_meeting, django_assert_num_queries
):
    day1 = published_meeting.days.order_by("date").first()
    url = reverse("participants:attendance_summary", args=[published_meeting.code])
    client.force_login(organizer)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for n in range(3):
        person = sign_up(published_meeting, f"Kecil{n}", organization=OrganizationFactory())
        attendance_services.check_in(person, day1, actor=organizer, at=day1.starts_at())
    small = measure()
    for n in range(40):
        person = sign_up(published_meeting, f"Besar{n}", organization=OrganizationFactory())
        if n % 2:
            attendance_services.check_in(person, day1, actor=organizer, at=day1.starts_at())
    large = measure()
    assert small == large
    with django_assert_num_queries(2):
        attendance_services.summary(published_meeting)
