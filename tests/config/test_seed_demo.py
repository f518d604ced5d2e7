"""The demo data command: idempotent, and faithful to the 2021 FGD described in domain.md."""

import re
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import AuditEntry, OutgoingEmail
from directory.models import Organization, Person
from meetings.models import AgendaItem, AgendaRole, Meeting, MeetingDay, MeetingHost, OnlineRoom
from participants.models import AgencyInvitation, Attendance, Registration
from participants.services import registration as reg

FGD_THEME = (
    "Peningkatan Sinergi dan Koordinasi Multi Stakeholder Melalui Pengawasan Perusahaan "
    "Penempatan Pekerja Migran Indonesia (P3MI)"
)
MODELS = [
    User,
    EmailAddress,
    Organization,
    Person,
    Meeting,
    MeetingDay,
    AgendaItem,
    AgendaRole,
    MeetingHost,
    OnlineRoom,
    AuditEntry,
    AgencyInvitation,
    Registration,
    Attendance,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(seeded_demo, db):
    """The demo data, seeded once for this module (tests/conftest.py); each test's writes are undone."""
    return seeded_demo


def fgd():
    return Meeting.objects.get(kind=Meeting.Kind.FGD, starts_on=date(2021, 9, 20))


def test_seed_demo_second_run_changes_nothing(seeded, capsys):
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first["User"] == 5
    # The FGD, its follow-up meeting, three upcoming ones, and the series' three copies of the FGD.
    assert first["Meeting"] == 5 + 3
    # The series adds BP2MI's unit in Papua (WIT), beside the 23 units the FGD invited.
    assert first["Organization"] == 7 + 23 + 1
    assert "meetings: 5 created, 0 already present" in seeded  # the first run's output
    assert "meetings: 0 created, 5 already present" in capsys.readouterr().out


def test_seed_demo_fgd_matches_the_2021_meeting(seeded):
    meeting = fgd()
    assert meeting.title == "Focus Group Discussion Pengawasan P3MI"
    assert meeting.theme == FGD_THEME
    assert meeting.mode == Meeting.Mode.HYBRID
    assert meeting.timezone == "Asia/Jakarta"
    assert meeting.status == Meeting.Status.CLOSED
    days = list(meeting.days.order_by("date"))
    assert [d.date for d in days] == [date(2021, 9, 20), date(2021, 9, 21)]
    assert [d.date.strftime("%A") for d in days] == ["Monday", "Tuesday"]
    assert (meeting.starts_on, meeting.ends_on) == (date(2021, 9, 20), date(2021, 9, 21))
    assert "7.848" in meeting.background
    assert "Tim Pengawasan" in meeting.background


def test_seed_demo_fgd_speakers_hosts_and_staff(seeded):
    meeting = fgd()
    speakers = set(
        AgendaRole.objects.filter(agenda_item__day__meeting=meeting, role=AgendaRole.Role.SPEAKER)
        .values_list("person__full_name", flat=True)
        .distinct()
    )
    assert {"Rendra Setiawan", "F.X. Watratan"} <= speakers
    rendra = Person.objects.get(full_name="Rendra Setiawan")
    assert rendra.organization.acronym == "Kemnaker"
    assert rendra.position == "Direktur Bina Penempatan dan Pelindungan PMI"
    opening = AgendaItem.objects.get(day__meeting=meeting, title="Pembukaan")
    assert [r.person.full_name for r in opening.roles.all()] == ["Lismia Elita"]
    assert AgendaRole.objects.filter(
        agenda_item__day__meeting=meeting, role=AgendaRole.Role.MODERATOR
    ).exists()
    hosts = [(h.organization.acronym, h.role) for h in meeting.hosts.all()]
    assert hosts == [
        ("DITPP Kawasan Asaf", MeetingHost.Role.ORGANIZER),
        ("Kemnaker", MeetingHost.Role.CO_HOST),
    ]
    assert list(meeting.organizers.values_list("email", flat=True)) == ["penyelenggara@sinergi.test"]
    assert list(meeting.secretaries.values_list("email", flat=True)) == ["notulis@sinergi.test"]


def test_seed_demo_fgd_lifecycle_is_in_the_audit_log(seeded):
    meeting = fgd()
    actions = list(
        AuditEntry.objects.filter(
            object_id=str(meeting.pk), action__in=["meeting.publish", "meeting.mark_held", "meeting.close"]
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["meeting.publish", "meeting.mark_held", "meeting.close"]


def test_seed_demo_directory_has_agencies_and_23_regional_units(seeded):
    bp2mi = Organization.objects.get(acronym="BP2MI")
    assert bp2mi.kind == Organization.Kind.AGENCY
    ditpp = Organization.objects.get(acronym="DITPP Kawasan Asaf")
    assert ditpp.name == "Direktorat Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika"
    assert ditpp.parent == bp2mi
    assert set(
        Organization.objects.filter(kind=Organization.Kind.MINISTRY).values_list("acronym", flat=True)
    ) == {"Kemnaker", "Kemlu", "KKP", "Kemenhub", "KemenP2MI"}
    units = Organization.objects.filter(kind=Organization.Kind.REGIONAL_UNIT)
    assert units.count() == 23 + 1  # the FGD's 23 and BP3MI Papua of the series (WIT)
    assert units.get(timezone="Asia/Jayapura").name == "BP3MI Papua (Jayapura)"
    assert set(units.values_list("parent", flat=True)) == {bp2mi.pk}
    zone = dict(units.values_list("name", "timezone"))
    assert zone["BP3MI Bali (Denpasar)"] == "Asia/Makassar"
    assert zone["BP3MI Kalimantan Barat (Pontianak)"] == "Asia/Pontianak"
    assert zone["BP3MI Aceh"] == "Asia/Jakarta"
    assert zone["BP3MI Sumatera Utara (Medan)"] == "Asia/Jakarta"
    assert zone["BP3MI Kalimantan Utara (Nunukan)"] == "Asia/Makassar"
    assert zone["BP3MI Sulawesi Tengah (Palu)"] == "Asia/Makassar"


@pytest.mark.parametrize(
    "email",
    [
        "admin@sinergi.test",
        "penyelenggara@sinergi.test",
        "notulis@sinergi.test",
        "analis@sinergi.test",
        "narahubung@sinergi.test",
    ],
)
def test_seed_demo_users_can_log_in(seeded, client, email):
    assert client.login(email=email, password="sinergi-demo-2021")
    address = EmailAddress.objects.get(email=email)
    assert (address.verified, address.primary) == (True, True)


def test_seed_demo_user_roles(seeded):
    roles = {u.email: (u.is_superuser, u.can_organize, u.is_policy_analyst) for u in User.objects.all()}
    assert roles == {
        "admin@sinergi.test": (True, True, False),
        "penyelenggara@sinergi.test": (False, True, False),
        "notulis@sinergi.test": (False, False, False),
        "analis@sinergi.test": (False, False, True),
        "narahubung@sinergi.test": (False, False, False),
    }


def test_seed_demo_three_upcoming_published_meetings(seeded):
    today = timezone.localdate()
    upcoming = Meeting.objects.filter(starts_on__gt=today, series=None).order_by("starts_on")
    assert [(m.kind, m.mode, m.status) for m in upcoming] == [
        (Meeting.Kind.COORDINATION, Meeting.Mode.ONSITE, Meeting.Status.PUBLISHED),
        (Meeting.Kind.SOCIALIZATION, Meeting.Mode.HYBRID, Meeting.Status.PUBLISHED),
        (Meeting.Kind.WEBINAR, Meeting.Mode.ONLINE, Meeting.Status.PUBLISHED),
    ]
    for meeting in upcoming:
        assert meeting.days.count() in (1, 2)
        assert all(d.date.weekday() < 5 for d in meeting.days.all())
        assert AgendaRole.objects.filter(
            agenda_item__day__meeting=meeting, role=AgendaRole.Role.SPEAKER
        ).exists()
        assert list(meeting.organizers.values_list("email", flat=True)) == ["penyelenggara@sinergi.test"]
        assert list(meeting.secretaries.values_list("email", flat=True)) == ["notulis@sinergi.test"]
    coordination, _socialization, webinar = upcoming
    assert coordination.timezone == "Asia/Makassar"
    assert webinar.online_room.join_url.startswith("https://")
    # The webinar's room is open to the public; the FGD's is private, as rooms are by default.
    assert (webinar.online_room.open_to_public, fgd().online_room.open_to_public) == (True, False)


def test_seed_demo_fgd_public_page_shows_theme_and_speakers(seeded, client):
    response = client.get(fgd().urls.public)
    assert response.status_code == 200
    page = response.content.decode()
    assert FGD_THEME in page
    assert "Rendra Setiawan" in page
    assert "F.X. Watratan" in page


def test_seed_demo_organizer_sees_the_demo_meetings(seeded, client):
    client.login(email="penyelenggara@sinergi.test", password="sinergi-demo-2021")
    response = client.get(reverse("meetings:list"))
    assert response.status_code == 200
    assert "Focus Group Discussion Pengawasan P3MI" in response.content.decode()


def test_seed_demo_fgd_has_invited_agencies_delegates_and_check_ins(seeded):
    meeting = fgd()
    invitations = AgencyInvitation.objects.filter(meeting=meeting)
    assert invitations.count() == 3 + 23
    assert set(invitations.values_list("state", flat=True)) == {"responded"}
    assert sorted(
        invitations.filter(organization__kind="ministry").values_list("organization__acronym", "quota")
    ) == [("KKP", 3), ("Kemenhub", 3), ("Kemlu", 3)]
    delegates = Registration.objects.filter(meeting=meeting, source="agency")
    assert set(delegates.values_list("mode", "state")) == {("online", "confirmed")}
    assert delegates.filter(invitation__organization__acronym="Kemlu").count() == 2
    onsite = Registration.objects.filter(meeting=meeting, mode="onsite", state="confirmed")
    assert onsite.count() == 24
    day1, day2 = meeting.days.order_by("date")
    assert Attendance.objects.filter(day=day1, how="onsite").count() == 24
    assert Attendance.objects.filter(day=day2, how="onsite").count() == 24 - 4  # every fifth missed day 2


def test_seed_demo_fgd_shows_online_attendance_per_day(seeded):
    from participants.services import attendance as attendance_services

    meeting = fgd()
    online = Registration.objects.filter(meeting=meeting, mode="online", state="confirmed")
    assert online.count() == 44
    day1, day2 = meeting.days.order_by("date")
    # The online delegates' attendance came from Zoom's report (a few missing each day); the
    # report replaced what had been ticked on the online-attendance page.
    assert Attendance.objects.filter(day=day1, how="zoom").count() == 40
    assert Attendance.objects.filter(day=day2, how="zoom").count() == 33
    assert Attendance.objects.filter(day__meeting=meeting, how="online").count() == 0
    totals = [
        (s.phase, s.total.registered, s.total.onsite, s.total.online, s.total.no_shows)
        for s in attendance_services.summary(meeting)
    ]
    assert totals == [("over", 68, 24, 40, 4), ("over", 68, 20, 33, 15)]


def test_seed_demo_sends_no_email_to_invented_people(seeded):
    from django_tasks_db.models import DBTaskResult

    assert Registration.objects.count() > 0
    assert OutgoingEmail.objects.count() == 0
    assert DBTaskResult.objects.filter(task_path="core.tasks.send_outgoing_email").count() == 0


def test_seed_demo_upcoming_meetings_have_registrations_and_open_invitations(seeded):
    # The coordination meeting's small room leaves one on the waiting list; the socialization
    # is moderated: the organizer approved eight (two onto the waiting list), two await approval.
    expected = {
        Meeting.Kind.COORDINATION: {"confirmed": 5, "waitlisted": 1},
        Meeting.Kind.SOCIALIZATION: {"confirmed": 6, "waitlisted": 2, "pending": 2},
        Meeting.Kind.WEBINAR: {"confirmed": 6},
    }
    for meeting in Meeting.objects.filter(status=Meeting.Status.PUBLISHED):
        states = Registration.objects.filter(meeting=meeting).values_list("state", flat=True)
        assert {s: list(states).count(s) for s in set(states)} == expected[meeting.kind]
        assert sorted(AgencyInvitation.objects.filter(meeting=meeting).values_list("state", flat=True)) == [
            "invited",
            "responded",
        ]


def test_seed_demo_dashboard_shows_the_counts_of_every_meeting(seeded, client):
    client.force_login(User.objects.get(email="penyelenggara@sinergi.test"))
    response = client.get(reverse("dashboard"))
    rows = {
        m.kind: (m.confirmed_onsite, m.confirmed_online, m.waiting, m.pending)
        for m in response.context["staffed"]
        if m.status != Meeting.Status.CLOSED or m.kind == Meeting.Kind.FGD  # not the 2022 follow-up
    }
    meeting = fgd()
    confirmed = meeting.registrations.filter(state=Registration.State.CONFIRMED)
    assert rows[Meeting.Kind.FGD] == (
        confirmed.filter(mode=Registration.Mode.ONSITE).count(),
        confirmed.filter(mode=Registration.Mode.ONLINE).count(),
        0,
        0,
    )
    assert rows[Meeting.Kind.FGD][0] > 0
    assert rows[Meeting.Kind.FGD][1] > 0
    assert rows[Meeting.Kind.COORDINATION] == (5, 0, 1, 0)
    assert rows[Meeting.Kind.SOCIALIZATION] == (3, 3, 2, 2)
    listing = client.get(reverse("meetings:list"), {"sort": "-confirmed"})
    assert [m.kind for m in listing.context["meetings"]][0] == Meeting.Kind.FGD


def test_seed_demo_directory_hides_an_uninvolved_persons_contact_from_the_organizer(seeded, client):
    arif = Person.objects.get(full_name="Arif Hidayat")
    rendra = Person.objects.get(full_name="Rendra Setiawan")
    client.force_login(User.objects.get(email="penyelenggara@sinergi.test"))
    people = {
        p.full_name: p.contact_visible for p in client.get(reverse("directory:person_list")).context["people"]
    }
    assert (people["Arif Hidayat"], people["Rendra Setiawan"]) == (False, True)
    assert arif.email not in client.get(reverse("directory:person_list")).content.decode()
    assert rendra.email in client.get(reverse("directory:person_list")).content.decode()
    client.force_login(User.objects.get(email="admin@sinergi.test"))
    assert arif.email in client.get(reverse("directory:person_list")).content.decode()


def test_seed_demo_socialization_has_a_full_on_site_part_with_people_waiting(seeded, client):
    meeting = Meeting.objects.get(kind=Meeting.Kind.SOCIALIZATION, status=Meeting.Status.PUBLISHED)
    waiting = list(
        Registration.objects.filter(meeting=meeting, state="waitlisted").order_by("waitlisted_at", "id")
    )

    assert [(r.mode, reg.waiting_position(r)) for r in waiting] == [("onsite", 1), ("onsite", 2)]
    assert reg.full_modes(meeting) == {"onsite"}
    page = client.get(waiting[1].urls.private).content.decode()
    assert "Anda nomor 2 dalam daftar tunggu untuk kehadiran luring (tatap muka)." in page


def test_seed_demo_home_page_shows_the_2021_fgd_among_past_meetings(seeded, client):
    response = client.get(reverse("home"))

    follow_up = Meeting.objects.get(title="Rapat Koordinasi Tindak Lanjut Rekomendasi FGD Pengawasan P3MI")
    assert list(response.context["past"]) == [follow_up, fgd()]
    past = response.content.decode().split('id="past-meetings"')[1]
    assert f'<a href="{fgd().urls.public}">Focus Group Discussion Pengawasan P3MI</a>' in past
    assert "Senin, 20 September 2021 – Selasa, 21 September 2021" in past


def test_seed_demo_closed_fgd_shows_confirmed_counts_and_no_seats_left_or_room_link(seeded, client):
    page = client.get(fgd().urls.public).content.decode()

    counts = page.split('id="seat-counts">')[1].split("</ul>")[0]
    confirmed = reg.confirmed_counts(fgd())
    assert " ".join(re.sub(r"<[^>]+>", "", counts).split()) == (
        f"Luring (tatap muka): {confirmed['onsite']} terkonfirmasi Daring: {confirmed['online']} terkonfirmasi"
    )
    assert fgd().online_room.join_url not in page


def test_seed_demo_shows_a_nomination_of_someone_registered_already(seeded, client):
    from participants.models import Nomination

    meeting = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).order_by("pk").first()
    [nomination] = Nomination.objects.filter(invitation__meeting=meeting)
    registration = Registration.objects.get(meeting=meeting, email=nomination.email)
    assert (nomination.state, registration.invitation) == ("asked", None)
    page = client.get(nomination.invitation.urls.focal_point).content.decode()
    # The focal point's page shows what they typed, not the registration.
    assert (nomination.full_name in page, registration.full_name in page) == (True, False)
    assert client.get(nomination.urls.accept).status_code == 200


def test_the_bulk_invitation_example_names_organizations_of_the_demo_directory(seeded, client):
    from participants.forms.invitations import BULK_EXAMPLE
    from participants.services import invitations
    from tests.conftest import login
    from tests.factories import MeetingFactory

    organizer = User.objects.get(email="penyelenggara@sinergi.test")
    meeting = MeetingFactory(status=Meeting.Status.PUBLISHED, organizers=[organizer])
    login(client, organizer)
    page = client.get(reverse("participants:invitations_bulk", kwargs={"code": meeting.code}))
    assert BULK_EXAMPLE in page.content.decode()

    report = invitations.invite_many(meeting, BULK_EXAMPLE, actor=organizer)

    assert (report.refused, len(report.done)) == ([], len(BULK_EXAMPLE.splitlines()))


def test_seed_demo_upcoming_invitations_have_deadlines_and_one_meeting_warns_about_quotas(seeded, client):
    from tests.conftest import login

    organizer = User.objects.get(email="penyelenggara@sinergi.test")
    login(client, organizer)
    warned = []
    for meeting in Meeting.objects.filter(status=Meeting.Status.PUBLISHED).order_by("pk"):
        deadlines = set(
            AgencyInvitation.objects.filter(meeting=meeting).values_list("nomination_deadline", flat=True)
        )
        assert deadlines == {meeting.registration_closes_at}
        page = client.get(reverse("participants:invitations", kwargs={"code": meeting.code})).content.decode()
        warned.append('id="quota-warning"' in page)
    assert warned == [True, False, False]
