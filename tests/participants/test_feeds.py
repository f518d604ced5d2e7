"""Calendar feeds: the personal feed behind a revocable token, the public feed, conditional requests."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from accounts.services import reset_calendar_token
from core import audit
from core.tokens import make_token
from meetings import services as meeting_services
from meetings.models import Meeting
from participants.models import Registration
from participants.services import registration as registration_services
from participants.views import feeds
from tests.conftest import login
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    OnlineRoomFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    return f"/calendar/u/{user.pk}/{make_token('calendar', user.pk, user.calendar_token_version)}.ics"


def summaries(response) -> list[str]:
    assert response.status_code == 200
    return [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]


def event_statuses(response) -> dict[str, str]:
    return {str(e["SUMMARY"]): str(e["STATUS"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}


def make_meeting(title, *, status=Meeting.Status.PUBLISHED, on=date(2031, 9, 22), **kwargs) -> Meeting:
    meeting = MeetingFactory(title=title, status=status, **kwargs)
    MeetingDayFactory(meeting=meeting, date=on, start_time=time(9), end_time=time(12))
    return meeting


def register(meeting, *, email, user=None, state=Registration.State.CONFIRMED, **kwargs) -> Registration:
    return Registration.objects.create(
        meeting=meeting,
        full_name="Peserta",
        email=email,
        user=user,
        state=state,
        **{"mode": Registration.Mode.ONSITE, **kwargs},
    )


@pytest.fixture
def someone(db):
    return UserFactory(email="peserta@example.test", full_name="Peserta Satu")


@pytest.fixture
def unrelated(db):
    """A published meeting nobody in these tests has anything to do with."""
    return make_meeting("Rapat Rahasia Tak Terkait 9931", on=date(2031, 9, 1))


# Who sees what -------------------------------------------------------------------------------


def test_feed_lists_the_meetings_a_user_organizes_and_no_others(
    client, organizer, other_organizer, unrelated
):
    mine = make_meeting("Rapat Penyelenggara", organizers=[organizer])
    make_meeting("Rapat Orang Lain", organizers=[other_organizer])
    assert Meeting.objects.count() == 3

    assert summaries(client.get(feed_url(organizer))) == [mine.title]


def test_feed_of_a_secretary(client, secretary, unrelated):
    make_meeting("Rapat Notulis", secretaries=[secretary])

    assert summaries(client.get(feed_url(secretary))) == ["Rapat Notulis"]


@pytest.mark.parametrize("role", ["speaker", "moderator"])
def test_feed_of_a_speaker_or_moderator(client, someone, unrelated, role):
    meeting = make_meeting("Rapat Narasumber")
    item = AgendaItemFactory(day=meeting.days.get(), start_time=time(9), end_time=time(10))
    AgendaRoleFactory(agenda_item=item, person=PersonFactory(user=someone), role=role)
    # Another person's role elsewhere does not count.
    other_item = AgendaItemFactory(day=unrelated.days.get(), start_time=time(9), end_time=time(10))
    AgendaRoleFactory(agenda_item=other_item, person=PersonFactory())

    assert summaries(client.get(feed_url(someone))) == ["Rapat Narasumber"]


def test_feed_of_a_registrant_by_account_or_by_email(client, someone, unrelated):
    by_account = make_meeting("Rapat Terdaftar Akun", on=date(2031, 9, 10))
    by_email = make_meeting("Rapat Terdaftar Email", on=date(2031, 9, 11))
    waiting = make_meeting("Rapat Daftar Tunggu", on=date(2031, 9, 12))
    cancelled = make_meeting("Rapat Pendaftaran Batal", on=date(2031, 9, 13))
    declined = make_meeting("Rapat Pendaftaran Ditolak", on=date(2031, 9, 14))
    register(by_account, email="alamat-lain@example.test", user=someone)
    register(by_email, email="peserta@example.test")
    register(waiting, email="peserta@example.test", state=Registration.State.WAITLISTED)
    register(cancelled, email="peserta@example.test", state=Registration.State.CANCELLED)
    register(declined, email="peserta@example.test", state=Registration.State.DECLINED)
    register(unrelated, email="orang-lain@example.test")

    assert summaries(client.get(feed_url(someone))) == [
        "Rapat Terdaftar Akun",
        "Rapat Terdaftar Email",
        "Rapat Daftar Tunggu",
    ]


def test_feed_has_drafts_for_staff_only(client, organizer, someone):
    draft = make_meeting("Rapat Draf", status=Meeting.Status.DRAFT, organizers=[organizer])
    register(draft, email="peserta@example.test")
    item = AgendaItemFactory(day=draft.days.get(), start_time=time(9), end_time=time(10))
    AgendaRoleFactory(agenda_item=item, person=PersonFactory(user=someone))

    assert event_statuses(client.get(feed_url(organizer))) == {"Rapat Draf": "TENTATIVE"}
    assert summaries(client.get(feed_url(someone))) == []


def test_feed_shows_cancelled_held_and_closed_meetings(client, someone):
    for n, status in enumerate(Meeting.Status.values):
        register(
            make_meeting(f"Rapat {status}", status=status, on=date(2031, 9, 10 + n)), email=someone.email
        )

    assert event_statuses(client.get(feed_url(someone))) == {
        "Rapat published": "CONFIRMED",
        "Rapat held": "CONFIRMED",
        "Rapat closed": "CONFIRMED",
        "Rapat cancelled": "CANCELLED",
    }


def test_feed_keeps_a_year_of_past_meetings(client, organizer):
    today = timezone.localdate()
    make_meeting("Rapat Lama", on=today - timedelta(days=400), organizers=[organizer])
    make_meeting("Rapat Tahun Ini", on=today - timedelta(days=300), organizers=[organizer])
    make_meeting("Rapat Mendatang", on=today + timedelta(days=3), organizers=[organizer])

    assert summaries(client.get(feed_url(organizer))) == ["Rapat Tahun Ini", "Rapat Mendatang"]


def test_feed_of_a_superuser_is_their_own_meetings_not_every_meeting(client, organizer, unrelated):
    admin = UserFactory(email="admin@example.test", is_superuser=True, is_staff=True)
    make_meeting("Rapat Admin", organizers=[admin])

    assert summaries(client.get(feed_url(admin))) == ["Rapat Admin"]


def test_feed_carries_no_personal_join_link(client, someone):
    meeting = make_meeting("Rapat Daring", mode=Meeting.Mode.ONLINE)
    OnlineRoomFactory(meeting=meeting, join_url="https://zoom.example.test/j/31337", open_to_public=True)
    register(
        meeting,
        email=someone.email,
        user=someone,
        personal_join_url="https://zoom.example.test/w/31337?tk=PERSONAL-SECRET-0099",
    )
    assert Registration.objects.filter(personal_join_url__contains="PERSONAL-SECRET-0099").count() == 1

    personal = client.get(feed_url(someone))
    public = client.get("/calendar/public.ics")

    for response in (personal, public):
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["CONFERENCE"]) == "https://zoom.example.test/j/31337"
        assert b"PERSONAL-SECRET" not in response.content


def test_feeds_carry_no_link_of_a_private_room_even_for_a_confirmed_online_registrant(client, someone):
    """Feed addresses go to calendar services: a private room's link stays in the invitation."""
    meeting = make_meeting("Rapat Daring", mode=Meeting.Mode.ONLINE)
    OnlineRoomFactory(meeting=meeting, join_url="https://zoom.example.test/j/4242", passcode="rahasia7")
    register(meeting, email=someone.email, user=someone, mode=Registration.Mode.ONLINE)
    assert list(Registration.objects.values_list("state", "mode")) == [("confirmed", "online")]

    personal = client.get(feed_url(someone))
    public = client.get("/calendar/public.ics")

    for response in (personal, public):
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert event.get("CONFERENCE") is None
        assert b"j/4242" not in response.content
        assert b"rahasia7" not in response.content


def test_feed_headers(client, organizer):
    make_meeting("Rapat", organizers=[organizer])

    response = client.get(feed_url(organizer))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["ETag"].startswith('W/"')
    assert "Content-Disposition" not in response
    assert str(Calendar.from_ical(response.content)["X-WR-CALNAME"]) == "Sinergi — Lismia Elita"


# Token -----------------------------------------------------------------------------------------


def test_feed_with_a_tampered_token_is_404(client, organizer):
    make_meeting("Rapat Rahasia Penyelenggara", organizers=[organizer])
    good = feed_url(organizer)
    assert client.get(good).status_code == 200
    token = good.rsplit("/", 1)[1].removesuffix(".ics")
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    for path in (
        f"/calendar/u/{organizer.pk}/{tampered}.ics",
        f"/calendar/u/{organizer.pk}/.ics",
        f"/calendar/u/{organizer.pk + 999}/{token}.ics",
        f"/calendar/u/{organizer.pk}/{make_token('registration', organizer.pk, 1)}.ics",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert b"Rapat Rahasia Penyelenggara" not in response.content


def test_feed_of_another_user_with_my_token_is_404(client, organizer, other_organizer):
    make_meeting("Rapat Orang Lain", organizers=[other_organizer])
    mine = make_token("calendar", organizer.pk, organizer.calendar_token_version)

    assert client.get(f"/calendar/u/{other_organizer.pk}/{mine}.ics").status_code == 404


def test_feed_of_an_inactive_user_is_404(client, organizer):
    url = feed_url(organizer)
    User.objects.filter(pk=organizer.pk).update(is_active=False)

    assert client.get(url).status_code == 404


def test_reset_revokes_the_old_link_and_writes_the_audit_log(client, organizer):
    make_meeting("Rapat", organizers=[organizer])
    old = feed_url(organizer)

    version = reset_calendar_token(organizer, actor=organizer)

    organizer.refresh_from_db()
    assert (version, organizer.calendar_token_version) == (2, 2)
    assert client.get(old).status_code == 404
    assert summaries(client.get(feed_url(organizer))) == ["Rapat"]
    entry = audit.entries_for(organizer).get()
    assert (entry.action, entry.actor, entry.data) == (
        "account.calendar_link_reset",
        organizer,
        {"version": 2},
    )


def test_reset_button_on_the_profile(client, organizer):
    login(client, organizer)
    old = feed_url(organizer)

    response = client.post("/calendar/reset/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/profile/#calendar-feed")
    organizer.refresh_from_db()
    assert organizer.calendar_token_version == 2
    assert client.get(old).status_code == 404
    page = client.get("/accounts/profile/").content.decode()
    assert f'value="http://testserver{feed_url(organizer)}"' in page
    assert old not in page


def test_reset_needs_a_post_with_csrf_by_a_logged_in_user(client, organizer):
    from django.test import Client

    assert client.post("/calendar/reset/")["Location"].startswith("/accounts/login/")
    login(client, organizer)
    assert client.get("/calendar/reset/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(organizer)
    assert strict.post("/calendar/reset/").status_code == 403
    organizer.refresh_from_db()
    assert organizer.calendar_token_version == 1


def test_profile_shows_the_feed_links(client, organizer):
    login(client, organizer)
    path = feed_url(organizer)

    page = client.get("/accounts/profile/").content.decode()

    assert f'id="calendar-feed-https" value="http://testserver{path}"' in page
    assert f'id="calendar-feed-webcal" value="webcal://testserver{path}"' in page
    assert 'action="/calendar/reset/"' in page


# Conditional requests --------------------------------------------------------------------------


def test_feed_answers_if_none_match_and_if_modified_since_with_304(client, organizer):
    make_meeting("Rapat", organizers=[organizer])
    first = client.get(feed_url(organizer))

    by_etag = client.get(feed_url(organizer), HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(feed_url(organizer), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert (by_etag.status_code, by_etag.content, by_etag["ETag"]) == (304, b"", first["ETag"])
    assert (by_date.status_code, by_date.content) == (304, b"")
    assert by_etag["Cache-Control"] == "private, max-age=300"


def _age(meeting: Meeting, hours: int = 2) -> None:
    """Move the meeting's last change into the past, so a new change is a later second."""
    past = timezone.now() - timedelta(hours=hours)
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=past)
    audit.entries_for(meeting).update(created_at=past)


def test_feed_changes_etag_and_date_after_a_reschedule(client, organizer):
    meeting = make_meeting("Rapat", organizers=[organizer])
    _age(meeting)
    first = client.get(feed_url(organizer))

    day = meeting.days.get()
    meeting_services.update_day(day, actor=organizer, date=day.date, start_time=time(10), end_time=time(13))

    by_etag = client.get(feed_url(organizer), HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(feed_url(organizer), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert (by_etag.status_code, by_date.status_code) == (200, 200)
    assert by_etag["ETag"] != first["ETag"]
    (event,) = Calendar.from_ical(by_etag.content).walk("VEVENT")
    assert (event["SEQUENCE"], event["DTSTART"].dt.hour) == (1, 10)


def test_feed_changes_after_an_agenda_edit_that_keeps_the_sequence(client, organizer):
    meeting = make_meeting("Rapat", organizers=[organizer])
    _age(meeting)
    first = client.get(feed_url(organizer))

    meeting_services.add_agenda_item(
        meeting.days.get(), actor=organizer, start_time=time(9), end_time=time(10), title="Sesi Baru 4411"
    )

    response = client.get(feed_url(organizer), HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert b"Sesi Baru 4411" in response.content


def test_feed_changes_when_a_registration_is_cancelled(client, someone):
    meeting = make_meeting("Rapat")
    registration = register(meeting, email=someone.email)
    Registration.objects.filter(pk=registration.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    _age(meeting)
    first = client.get(feed_url(someone))
    assert summaries(first) == ["Rapat"]

    registration_services.cancel(registration, actor=None)

    by_etag = client.get(feed_url(someone), HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(feed_url(someone), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert (summaries(by_etag), by_date.status_code) == ([], 200)


def test_feed_changes_when_a_meeting_goes_back_to_draft(client, someone, organizer):
    meeting = make_meeting("Rapat", organizers=[organizer])
    register(meeting, email=someone.email)
    _age(meeting)
    Registration.objects.update(updated_at=timezone.now() - timedelta(hours=2))
    first = client.get(feed_url(someone))

    meeting_services.unpublish(meeting, actor=organizer)

    by_date = client.get(feed_url(someone), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert summaries(by_date) == []


# Public feed -----------------------------------------------------------------------------------


def test_public_feed_lists_upcoming_published_and_cancelled_meetings_by_start(client):
    today = timezone.localdate()
    make_meeting("Kedua", on=today + timedelta(days=20))
    make_meeting("Pertama", on=today + timedelta(days=2))
    make_meeting("Batal", on=today + timedelta(days=10), status=Meeting.Status.CANCELLED)
    make_meeting("Draf Rahasia 5150", on=today + timedelta(days=5), status=Meeting.Status.DRAFT)
    make_meeting("Sudah Lewat", on=today - timedelta(days=1))
    make_meeting("Sudah Diadakan", on=today + timedelta(days=1), status=Meeting.Status.HELD)

    response = client.get("/calendar/public.ics")

    assert summaries(response) == ["Pertama", "Batal", "Kedua"]
    assert event_statuses(response)["Batal"] == "CANCELLED"
    assert b"Draf Rahasia 5150" not in response.content
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Content-Type"] == "text/calendar; charset=utf-8"


def test_public_feed_is_limited_to_the_next_meetings(client, monkeypatch):
    monkeypatch.setattr(feeds, "PUBLIC_FEED_SIZE", 2)
    today = timezone.localdate()
    for n in range(3):
        make_meeting(f"Rapat {n}", on=today + timedelta(days=n + 1))

    assert summaries(client.get("/calendar/public.ics")) == ["Rapat 0", "Rapat 1"]


def test_public_feed_answers_conditional_requests(client, organizer):
    meeting = make_meeting("Rapat", on=timezone.localdate() + timedelta(days=3), organizers=[organizer])
    _age(meeting)
    first = client.get("/calendar/public.ics")

    assert client.get("/calendar/public.ics", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert (
        client.get("/calendar/public.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    )

    meeting_services.update_meeting(meeting, actor=organizer, venue_name="Hotel Baru")

    changed = client.get("/calendar/public.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    (event,) = Calendar.from_ical(changed.content).walk("VEVENT")
    assert str(event["LOCATION"]) == "Hotel Baru, Daring"


def test_feeds_run_a_fixed_number_of_queries(client, organizer, django_assert_num_queries):
    def add(count, first_day):
        for n in range(count):
            meeting = make_meeting(
                f"Rapat {first_day + n}", on=timezone.localdate() + timedelta(days=first_day + n)
            )
            meeting.organizers.add(organizer)
            item = AgendaItemFactory(day=meeting.days.get(), start_time=time(9), end_time=time(10))
            AgendaRoleFactory(agenda_item=item)

    add(3, 1)
    url = feed_url(organizer)
    # User, meetings with validators, registrations' last change, then meetings, days, items, roles.
    with django_assert_num_queries(7):
        client.get(url)
    add(20, 10)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(summaries(response)) == 23
    # A 304 costs the validators only.
    with django_assert_num_queries(3):
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
