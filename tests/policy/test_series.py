"""The series page (policy.views.series): per meeting date, zone and status, registrations by
state, attendance per day, recommendations by follow-up state, totals; who may see it."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import copying
from meetings.models import Meeting
from minutes.models import Minutes, Recommendation
from participants.models import Attendance, Registration
from policy.models import State, Tracking
from tests.conftest import login
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")
ZONES = (("Medan", "Asia/Jakarta"), ("Makassar", "Asia/Makassar"), ("Jayapura", "Asia/Jayapura"))


@pytest.fixture
def analyst(db):
    return UserFactory(email="analis@example.test", full_name="Analis Kebijakan", is_policy_analyst=True)


def make_units(names=ZONES):
    return [
        OrganizationFactory(
            name=f"UPT BP2MI {name}", acronym=f"UPT {name}", kind="regional_unit", timezone=zone
        )
        for name, zone in names
    ]


def register(meeting, n, state, mode=Registration.Mode.ONSITE):
    return [
        Registration.objects.create(
            meeting=meeting,
            full_name=f"Peserta {i}",
            email=f"{meeting.code}-{state}-{mode}-{i}@example.test",
            mode=mode,
            state=state,
        )
        for i in range(n)
    ]


def fill(meeting, *, confirmed_onsite, confirmed_online, waiting, recommendations):
    """Registrations, attendance on every day (all on-site ones, half the online ones), and
    approved minutes whose recommendations have the given follow-up states."""
    onsite = register(meeting, confirmed_onsite, Registration.State.CONFIRMED)
    online = register(meeting, confirmed_online, Registration.State.CONFIRMED, Registration.Mode.ONLINE)
    register(meeting, waiting, Registration.State.WAITLISTED)
    seen = datetime(2032, 4, 5, 2, tzinfo=UTC)
    for day in meeting.days.all():
        for reg in onsite:
            Attendance.objects.create(
                registration=reg, day=day, how=Attendance.How.ONSITE, first_seen_at=seen
            )
        for reg in online[: len(online) // 2]:
            # Zoom and by hand on the same day count once.
            Attendance.objects.create(registration=reg, day=day, how=Attendance.How.ZOOM, first_seen_at=seen)
            Attendance.objects.create(
                registration=reg, day=day, how=Attendance.How.ONLINE, first_seen_at=seen
            )
    minutes = Minutes.objects.create(meeting=meeting, state=Minutes.State.APPROVED)
    for n, state in enumerate(recommendations):
        rec = Recommendation.objects.create(minutes=minutes, text=f"Rekomendasi {meeting.code} {n}")
        if state != State.PROPOSED:
            Tracking.objects.create(key=rec.key, state=state)


@pytest.fixture
def series(meeting, organizer):
    s = copying.create_series(
        meeting,
        actor=organizer,
        title="Sosialisasi Pengawasan P3MI di UPT",
        first_date=date(2032, 4, 5),
        units=make_units(),
    )
    medan, makassar, jayapura = (s.meetings.get(regional_unit__acronym=f"UPT {n}") for n, _z in ZONES)
    Meeting.objects.filter(pk__in=[medan.pk, makassar.pk]).update(status=Meeting.Status.CLOSED)
    fill(
        medan,
        confirmed_onsite=3,
        confirmed_online=4,
        waiting=1,
        recommendations=[State.PROPOSED, State.IMPLEMENTED],
    )
    fill(makassar, confirmed_onsite=2, confirmed_online=2, waiting=0, recommendations=[State.IN_PROGRESS])
    register(jayapura, 2, Registration.State.PENDING)  # still a draft
    return s


def url(series):
    return reverse("policy:series", kwargs={"pk": series.pk})


def test_series_page_figures_for_its_organizer(client, series, organizer):
    response = login(client, organizer).get(url(series))

    assert response.status_code == 200
    figures = response.context["figures"]
    rows = {row.meeting.regional_unit.acronym: row for row in figures.rows}
    # Same date: by the unit's name.
    assert [row.meeting.zone_label for row in figures.rows] == ["WIT", "WITA", "WIB"]
    states = [s.value for s in Registration.State]
    medan = dict(zip(states, rows["UPT Medan"].registrations, strict=True))
    assert medan == {"pending": 0, "confirmed": 7, "waitlisted": 1, "declined": 0, "cancelled": 0}
    assert dict(zip(states, rows["UPT Jayapura"].registrations, strict=True))["pending"] == 2
    assert figures.registrations_total == 8 + 4 + 2
    # Two days each: 3 on-site and 2 online in Medan per day, 2 and 1 in Makassar.
    assert [(d.onsite, d.online) for d in rows["UPT Medan"].days] == [(3, 2), (3, 2)]
    assert [(d.onsite, d.online) for d in rows["UPT Makassar"].days] == [(2, 1), (2, 1)]
    assert (figures.onsite, figures.online) == (10, 6)
    follow = [s.value for s in State]
    assert dict(zip(follow, figures.recommendations, strict=True)) == {
        "proposed": 1,
        "accepted": 0,
        "in_progress": 1,
        "implemented": 1,
        "rejected": 0,
        "superseded": 0,
    }
    page = response.content.decode()
    assert "Sosialisasi Pengawasan P3MI di UPT" in page
    assert rows["UPT Jayapura"].meeting.urls.detail in page


def test_series_page_runs_a_fixed_number_of_queries(client, meeting, organizer, series):
    login(client, organizer)
    client.get(url(series))
    with CaptureQueriesContext(connection) as small:
        client.get(url(series))
    bigger = copying.create_series(
        meeting,
        actor=organizer,
        title="Seri besar",
        first_date=date(2032, 6, 1),
        units=make_units([(f"Unit {n}", "Asia/Makassar") for n in range(6)]),
    )
    for m in bigger.meetings.all():
        fill(m, confirmed_onsite=2, confirmed_online=2, waiting=1, recommendations=[State.ACCEPTED])

    with CaptureQueriesContext(connection) as large:
        response = client.get(url(bigger))

    assert len(response.context["figures"].rows) == 6
    assert len(large.captured_queries) == len(small.captured_queries)


def test_analyst_sees_the_series_without_drafts_or_unapproved_minutes(client, series, analyst):
    makassar = series.meetings.get(regional_unit__acronym="UPT Makassar")
    draft_minutes = Minutes.objects.create(meeting=makassar, state=Minutes.State.DRAFT, version=2)
    Recommendation.objects.create(minutes=draft_minutes, text="Rahasia draf notula")

    response = login(client, analyst).get(url(series))

    figures = response.context["figures"]
    assert [row.meeting.regional_unit.acronym for row in figures.rows] == ["UPT Makassar", "UPT Medan"]
    assert figures.hidden_drafts is True
    assert figures.recommendations_total == 3
    page = response.content.decode()
    assert "UPT BP2MI Jayapura" not in page
    # Analysts are not staff of the meetings: no link to their organizer pages.
    assert series.meetings.get(regional_unit__acronym="UPT Medan").urls.detail not in page


def test_another_organizer_gets_404_for_the_series(client, series, other_organizer):
    response = login(client, other_organizer).get(url(series))

    assert response.status_code == 404
    assert "Sosialisasi Pengawasan P3MI" not in response.content.decode()


def test_series_list_shows_only_own_series(client, series, other_organizer, organizer, meeting):
    theirs_source = Meeting.objects.create(title="Rapat Lain")
    theirs_source.organizers.add(other_organizer)
    from meetings.models import MeetingDay

    MeetingDay.objects.create(
        meeting=theirs_source, date=date(2032, 1, 5), start_time=time(9), end_time=time(12)
    )
    copying.create_series(
        theirs_source,
        actor=other_organizer,
        title="Seri Rahasia Lain",
        first_date=date(2032, 2, 2),
        units=make_units([("Batam", "Asia/Jakarta")]),
    )

    own = login(client, organizer).get(reverse("policy:series_list")).content.decode()
    theirs = login(client, other_organizer).get(reverse("policy:series_list")).content.decode()

    assert "Sosialisasi Pengawasan P3MI di UPT" in own
    assert "Seri Rahasia Lain" not in own
    assert "Seri Rahasia Lain" in theirs
    assert "Sosialisasi Pengawasan P3MI di UPT" not in theirs


def test_plain_user_is_refused(client, series, plain_user):
    login(client, plain_user)

    assert client.get(url(series)).status_code == 404
    assert client.get(reverse("policy:series_list")).status_code == 403


def test_series_meeting_page_links_to_the_series(client, series, organizer):
    meeting = series.meetings.first()

    page = login(client, organizer).get(meeting.urls.detail).content.decode()

    assert url(series) in page
