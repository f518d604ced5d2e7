"""Copying a meeting as a template, and series of copies for regional units (meetings.copying)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import OutgoingEmail
from core.tokens import make_token
from directory.models import Organization
from meetings import copying
from meetings.models import AgendaRole, Meeting, MeetingSeries, OnlineRoom
from minutes.models import Minutes
from participants.models import AgencyInvitation, Attendance, Registration
from participants.services import invitations as invitation_services
from tests.conftest import login
from tests.factories import (
    AgendaRoleFactory,
    MeetingHostFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")


@pytest.fixture
def template(meeting, organizer):
    """The conftest's two-day FGD (22–23 Sep 2031, WIB) made a full template: speakers, hosts,
    a Zoom room with its provider data, a registration window, an invitation with a nomination,
    registrations, attendance and minutes."""
    first_day = meeting.days.order_by("date").first()
    opening, talk = first_day.items.order_by("start_time")
    speaker = PersonFactory(full_name="Dr. Rendra Setiawan")
    moderator = PersonFactory(full_name="Nurul Hidayah")
    AgendaRoleFactory(agenda_item=talk, person=speaker, role=AgendaRole.Role.SPEAKER, order=1)
    AgendaRoleFactory(agenda_item=talk, person=moderator, role=AgendaRole.Role.MODERATOR, order=1)
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    MeetingHostFactory(meeting=meeting, organization=bp2mi, role="organizer", order=1)
    MeetingHostFactory(meeting=meeting, organization=kemnaker, role="co_host", order=2)
    Meeting.objects.filter(pk=meeting.pk).update(
        description="Deskripsi FGD",
        background="Latar belakang",
        moderation=True,
        kind=Meeting.Kind.SOCIALIZATION,
        registration_opens_at=datetime(2031, 9, 15, 8, 0, tzinfo=WIB),
        registration_closes_at=datetime(2031, 9, 21, 17, 0, tzinfo=WIB),
    )
    OnlineRoom.objects.create(
        meeting=meeting,
        provider=OnlineRoom.Provider.ZOOM,
        provider_id="87654321012",
        join_url="https://zoom.example.test/j/87654321012?pwd=secret",
        host_url="https://zoom.example.test/s/87654321012?zak=host",
        passcode="Rahasia1",
        instructions="Masuk dengan passcode Rahasia1",
        open_to_public=True,
        settings={"waiting_room": False, "auto_recording": "local", "alternative_hosts": "co@example.test"},
        remote={"2031-09-22": {"occurrence_id": "1"}},
        state=OnlineRoom.State.READY,
    )
    meeting.refresh_from_db()
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    invitation = invitation_services.invite(
        meeting,
        actor=organizer,
        organization=kemlu,
        quota=3,
        focal_point_email="fp.kemlu@example.test",
        focal_point_name="Focal Kemlu",
        nomination_deadline=datetime(2031, 9, 19, 12, 0, tzinfo=WIB),
    )
    revoked = invitation_services.invite(
        meeting, actor=organizer, organization=kemnaker, quota=2, focal_point_email="fp.kemnaker@example.test"
    )
    invitation_services.revoke(revoked, actor=organizer)
    registration = Registration.objects.create(
        meeting=meeting,
        full_name="Budi Santoso",
        email="budi@example.test",
        mode=Registration.Mode.ONSITE,
        state=Registration.State.CONFIRMED,
        invitation=invitation,
    )
    invitation_services.record_delegate(invitation, registration)
    Attendance.objects.create(
        registration=registration, day=first_day, first_seen_at=datetime(2031, 9, 22, 2, 0, tzinfo=WIB)
    )
    Minutes.objects.create(meeting=meeting)
    meeting.__dict__.pop("tz", None)
    return meeting


def test_copy_takes_the_template_fields_and_days_on_new_dates(template, organizer, secretary):
    copy = copying.copy_meeting(template, actor=organizer, first_date=date(2032, 3, 1))

    assert copy.pk != template.pk
    assert copy.code != template.code
    assert copy.status == Meeting.Status.DRAFT
    assert copy.copied_from == template
    assert copy.title == template.title
    for name in copying.COPIED_FIELDS:
        assert getattr(copy, name) == getattr(template, name), name
    assert copy.timezone == "Asia/Jakarta"
    assert copy.calendar_sequence == 0
    # The gap between the days and each day's hours are kept.
    assert [(d.date, d.start_time, d.end_time) for d in copy.days.order_by("date")] == [
        (date(2032, 3, 1), time(9), time(15)),
        (date(2032, 3, 2), time(9), time(12)),
    ]
    assert (copy.starts_on, copy.ends_on) == (date(2032, 3, 1), date(2032, 3, 2))
    items = [
        (i.day.date, i.start_time, i.end_time, i.title, i.order)
        for i in copy.days.get(date=date(2032, 3, 1)).items.order_by("start_time")
    ]
    assert items == [
        (date(2032, 3, 1), time(9), time(10), "Pembukaan", 1),
        (date(2032, 3, 1), time(10), time(12), "Paparan Narasumber", 2),
    ]
    roles = AgendaRole.objects.filter(agenda_item__day__meeting=copy).order_by("role")
    assert [(r.agenda_item.title, r.person.full_name, r.role) for r in roles] == [
        ("Paparan Narasumber", "Nurul Hidayah", "moderator"),
        ("Paparan Narasumber", "Dr. Rendra Setiawan", "speaker"),
    ]
    assert [(h.organization.acronym, h.role, h.order) for h in copy.hosts.all()] == [
        ("BP2MI", "organizer", 1),
        ("Kemnaker", "co_host", 2),
    ]
    assert list(copy.organizers.all()) == [organizer]
    assert list(copy.secretaries.all()) == [secretary]
    # The registration window moved with the first day (160 days later), same local hours.
    assert copy.registration_opens_at == datetime(2032, 2, 23, 8, 0, tzinfo=WIB)
    assert copy.registration_closes_at == datetime(2032, 2, 29, 17, 0, tzinfo=WIB)


def test_copy_does_not_take_registrations_attendance_minutes_or_zoom_ids(template, organizer):
    copy = copying.copy_meeting(template, actor=organizer, first_date=date(2032, 3, 1))

    assert Registration.objects.filter(meeting=copy).count() == 0
    assert Attendance.objects.filter(day__meeting=copy).count() == 0
    assert Minutes.objects.filter(meeting=copy).count() == 0
    room = copy.online_room
    assert room.provider == OnlineRoom.Provider.ZOOM
    assert room.state == OnlineRoom.State.PENDING
    assert (room.provider_id, room.join_url, room.host_url, room.instructions, room.remote) == (
        "",
        "",
        "",
        "",
        {},
    )
    assert room.passcode not in ("", "Rahasia1")
    assert room.open_to_public is True
    assert room.settings == {
        "waiting_room": False,
        "join_before_host": False,
        "mute_upon_entry": True,
        "auto_recording": "local",
        "alternative_hosts": "co@example.test",
        "registration": False,
    }
    # The template is untouched.
    template.online_room.refresh_from_db()
    assert template.online_room.provider_id == "87654321012"
    assert Registration.objects.filter(meeting=template).count() == 1


def test_copy_takes_invitations_unsent_with_new_links(template, organizer):
    source_invitation = AgencyInvitation.objects.get(meeting=template, organization__acronym="Kemlu")
    assert source_invitation.nominations.count() == 1
    emails_before = OutgoingEmail.objects.count()

    copy = copying.copy_meeting(template, actor=organizer, first_date=date(2032, 3, 1))

    copied = list(AgencyInvitation.objects.filter(meeting=copy))
    # The revoked invitation stays behind; the other comes with its seats and focal point.
    assert [(i.organization.acronym, i.quota, i.focal_point_email, i.focal_point_name) for i in copied] == [
        ("Kemlu", 3, "fp.kemlu@example.test", "Focal Kemlu")
    ]
    invitation = copied[0]
    assert invitation.pk != source_invitation.pk
    assert invitation.state == AgencyInvitation.State.INVITED
    assert invitation.nomination_deadline == datetime(2032, 2, 27, 12, 0, tzinfo=WIB)
    assert invitation.reminder_count == 0
    assert invitation.responded_at is None
    assert invitation.registrations.count() == 0
    assert invitation.nominations.count() == 0
    # No email went out: the organizers send the copy's invitations when it is ready.
    assert OutgoingEmail.objects.count() == emails_before
    # The template's link does not open the copy's invitation.
    old_token = make_token("invitation", source_invitation.pk, source_invitation.token_version)
    new_token = make_token("invitation", invitation.pk, invitation.token_version)
    assert old_token != new_token
    assert invitation.urls.token == new_token
    assert source_invitation.urls.token == old_token


def test_the_template_link_does_not_open_the_copied_invitation(client, template, organizer):
    source = AgencyInvitation.objects.get(meeting=template, organization__acronym="Kemlu")
    copy = copying.copy_meeting(template, actor=organizer, first_date=date(2032, 3, 1))
    copied = AgencyInvitation.objects.get(meeting=copy)

    wrong = reverse("participants:invitation_respond", kwargs={"pk": copied.pk, "token": source.urls.token})
    right = copied.urls.focal_point

    assert client.get(wrong).status_code == 404
    assert client.get(right).status_code == 200


def test_copy_to_another_zone_keeps_local_hours(template, organizer):
    copy = copying.copy_meeting(
        template, actor=organizer, first_date=date(2032, 3, 1), timezone="Asia/Jayapura"
    )

    first = copy.days.order_by("date").first()
    first.meeting = copy
    assert copy.timezone == "Asia/Jayapura"
    assert (first.start_time, first.end_time) == (time(9), time(15))
    # 09:00 WIT is 07:00 WIB: the same local hour, two hours earlier in Jakarta.
    assert first.starts_at() == datetime(2032, 3, 1, 9, 0, tzinfo=WIT)
    assert first.starts_at().astimezone(WIB).hour == 7
    assert copy.registration_opens_at == datetime(2032, 2, 23, 8, 0, tzinfo=WIT)
    assert copy.registration_opens_at.astimezone(WIB) == datetime(2032, 2, 23, 6, 0, tzinfo=WIB)
    invitation = AgencyInvitation.objects.get(meeting=copy)
    assert invitation.nomination_deadline == datetime(2032, 2, 27, 12, 0, tzinfo=WIT)


def test_copy_records_the_template_in_the_audit_log(template, organizer):
    copy = copying.copy_meeting(template, actor=organizer, first_date=date(2032, 3, 1))

    from core.models import AuditEntry

    entry = AuditEntry.objects.filter(action="meeting.copied").get()
    assert entry.object_id == str(copy.pk)
    assert entry.data["source"] == template.code


def test_copy_of_a_meeting_without_days_is_refused(organizer):
    empty = Meeting.objects.create(title="Kosong")
    empty.organizers.add(organizer)

    with pytest.raises(ValidationError):
        copying.copy_meeting(empty, actor=organizer, first_date=date(2032, 3, 1))
    assert Meeting.objects.count() == 1


@pytest.fixture
def units():
    return [
        OrganizationFactory(
            name="UPT BP2MI Jayapura", acronym="UPT Jayapura", kind="regional_unit", timezone="Asia/Jayapura"
        ),
        OrganizationFactory(
            name="UPT BP2MI Makassar", acronym="UPT Makassar", kind="regional_unit", timezone="Asia/Makassar"
        ),
        OrganizationFactory(
            name="UPT BP2MI Medan", acronym="UPT Medan", kind="regional_unit", timezone="Asia/Jakarta"
        ),
    ]


def test_series_makes_one_copy_per_unit_in_its_zone(template, organizer, units):
    series = copying.create_series(
        template, actor=organizer, title="Sosialisasi di UPT", first_date=date(2032, 4, 5), units=units
    )

    meetings = list(series.meetings.order_by("regional_unit__name"))
    assert [(m.regional_unit.acronym, m.timezone) for m in meetings] == [
        ("UPT Jayapura", "Asia/Jayapura"),
        ("UPT Makassar", "Asia/Makassar"),
        ("UPT Medan", "Asia/Jakarta"),
    ]
    assert [m.title for m in meetings] == [f"FGD Pengawasan P3MI — {u.name}" for u in units]
    starts = [m.days.order_by("date").first() for m in meetings]
    for m, day in zip(meetings, starts, strict=True):
        day.meeting = m
    # Each unit starts at 09:00 local: 07:00, 08:00 and 09:00 in Jakarta.
    assert [d.starts_at().astimezone(WIB).hour for d in starts] == [7, 8, 9]
    assert all(m.status == Meeting.Status.DRAFT and m.venue_name == "" for m in meetings)
    assert list(series.organizers.all()) == [organizer]
    assert series.source == template
    assert all(AgencyInvitation.objects.filter(meeting=m).count() == 1 for m in meetings)


def test_series_refuses_an_organization_that_is_not_a_regional_unit(template, organizer, units):
    ministry = OrganizationFactory(name="Kementerian Perhubungan", kind=Organization.Kind.MINISTRY)
    before = Meeting.objects.count()

    with pytest.raises(ValidationError) as error:
        copying.create_series(
            template, actor=organizer, title="Seri", first_date=date(2032, 4, 5), units=[units[0], ministry]
        )

    assert "units" in error.value.error_dict
    assert Meeting.objects.count() == before
    assert MeetingSeries.objects.count() == 0


def test_series_is_all_or_nothing(template, organizer, units, monkeypatch):
    """A copy failing half-way leaves no series and no copy behind (one transaction)."""
    real = copying._copy_room
    calls = []

    def failing(source, copy):
        calls.append(copy)
        if len(calls) == 2:
            raise ValidationError("boom")
        real(source, copy)

    monkeypatch.setattr(copying, "_copy_room", failing)
    before = Meeting.objects.count()

    with pytest.raises(ValidationError):
        copying.create_series(
            template, actor=organizer, title="Seri", first_date=date(2032, 4, 5), units=units
        )

    assert Meeting.objects.count() == before
    assert MeetingSeries.objects.count() == 0
    assert AgencyInvitation.objects.exclude(meeting=template).count() == 0


# Views -----------------------------------------------------------------------------------------


def test_copy_view_makes_the_copy_and_shows_it(client, template, organizer):
    login(client, organizer)
    page = client.get(template.urls.detail).content.decode()
    assert template.urls.copy in page
    assert template.urls.create_series in page

    response = client.post(
        template.urls.copy, {"title": "FGD Lanjutan", "first_date": "2032-03-01", "timezone": "Asia/Makassar"}
    )

    copy = Meeting.objects.get(title="FGD Lanjutan")
    assert response.status_code == 302
    assert response["Location"] == copy.urls.detail
    assert copy.timezone == "Asia/Makassar"
    assert copy.days.order_by("date").first().date == date(2032, 3, 1)


def test_copy_view_bad_date_changes_nothing(client, template, organizer):
    login(client, organizer)
    before = Meeting.objects.count()

    response = client.post(
        template.urls.copy, {"title": "X", "first_date": "bukan tanggal", "timezone": "Asia/Jakarta"}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["first_date"]
    assert Meeting.objects.count() == before


def test_copy_view_refuses_other_organizer_and_secretary(client, template, other_organizer, secretary):
    before = Meeting.objects.count()
    data = {"title": "Curian", "first_date": "2032-03-01", "timezone": "Asia/Jakarta"}

    assert login(client, other_organizer).post(template.urls.copy, data).status_code == 404
    assert login(client, secretary).post(template.urls.copy, data).status_code == 403
    assert login(client, secretary).get(template.urls.create_series).status_code == 403
    assert Meeting.objects.count() == before


def test_series_view_creates_the_series(client, template, organizer, units):
    login(client, organizer)
    page = client.get(template.urls.create_series).content.decode()
    assert "UPT BP2MI Makassar" in page
    assert "WITA" in page

    response = client.post(
        template.urls.create_series,
        {"title": "Sosialisasi di UPT", "first_date": "2032-04-05", "units": [u.pk for u in units]},
    )

    series = MeetingSeries.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("policy:series", kwargs={"pk": series.pk})
    assert series.meetings.count() == 3


def test_series_view_without_units_says_so(client, template, organizer, units):
    login(client, organizer)

    response = client.post(template.urls.create_series, {"title": "Seri", "first_date": "2032-04-05"})

    assert response.status_code == 200
    assert "Pilih setidaknya satu unit daerah." in response.content.decode()
    assert MeetingSeries.objects.count() == 0
