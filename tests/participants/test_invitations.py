"""Agency invitation services: inviting with quotas, reminders, revoking, nominations within quota."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEntry, OutgoingEmail
from meetings.models import Meeting
from participants import links
from participants.models import AgencyInvitation, Registration
from participants.services import invitations as inv
from participants.services import registration as reg
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(published_meeting, organizer, kemlu):
    return inv.invite(
        published_meeting,
        actor=organizer,
        organization=kemlu,
        quota=2,
        focal_point_email="TU.Kemlu@example.go.id",
        focal_point_name="Budi Santoso",
    )


def delegate(n, **extra):
    fields = {
        "full_name": f"Delegasi {n}",
        "position": "Analis Kebijakan",
        "email": f"delegasi{n}@example.go.id",
        "phone": f"0812 3456 78{n:02d}",
        "mode": "onsite",
        "language": "id",
        "authorised": True,
    }
    fields.update(extra)
    return fields


def set_meeting(meeting, **fields):
    Meeting.objects.filter(pk=meeting.pk).update(**fields)
    meeting.refresh_from_db()
    return meeting


# invite -------------------------------------------------------------------------------------


def test_invite_creates_invitation_and_emails_focal_point(invitation, run_tasks, kemlu, organizer):
    assert (invitation.organization, invitation.quota, invitation.state) == (kemlu, 2, "invited")
    assert invitation.focal_point_email == "tu.kemlu@example.go.id"
    assert invitation.invited_by == organizer
    assert list(
        AuditEntry.objects.filter(action="invitation.created").values_list("object_id", flat=True)
    ) == [str(invitation.pk)]
    run_tasks()
    assert [m.to for m in mail.outbox] == [["tu.kemlu@example.go.id"]]
    message = mail.outbox[0]
    assert message.subject.endswith(": FGD Pengawasan P3MI")
    assert invitation.urls.absolute.focal_point in message.body
    assert "Budi Santoso" in message.body
    assert "Senin, 22 September 2031, 09.00–15.00 WIB" in message.body
    html = message.alternatives[0][0]
    assert invitation.urls.absolute.focal_point in html


def test_invite_email_is_in_the_invitation_language(published_meeting, organizer, kkp, run_tasks):
    inv.invite(
        published_meeting,
        actor=organizer,
        organization=kkp,
        quota=3,
        focal_point_email="kkp@example.go.id",
        language="en",
    )
    run_tasks()
    message = mail.outbox[0]
    assert message.subject == "Invitation: FGD Pengawasan P3MI"
    assert "Seats for your agency: 3" in message.body
    assert "Monday, 22 September 2031, 09:00–15:00 WIB" in message.body
    assert "Dear Sir or Madam," in message.body


def test_invite_same_organization_twice_is_refused_next_to_organization(invitation, organizer, kemlu):
    with pytest.raises(ValidationError) as error:
        inv.invite(
            invitation.meeting,
            actor=organizer,
            organization=kemlu,
            quota=5,
            focal_point_email="x@example.go.id",
        )
    assert list(error.value.message_dict) == ["organization"]
    assert AgencyInvitation.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.parametrize("quota", [0, -1])
def test_invite_quota_below_one_is_refused(published_meeting, organizer, kemlu, quota):
    with pytest.raises(ValidationError) as error:
        inv.invite(
            published_meeting,
            actor=organizer,
            organization=kemlu,
            quota=quota,
            focal_point_email="x@example.go.id",
        )
    assert list(error.value.message_dict) == ["quota"]
    assert AgencyInvitation.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_invite_bad_focal_point_email_is_refused_next_to_the_field(published_meeting, organizer, kemlu):
    with pytest.raises(ValidationError) as error:
        inv.invite(
            published_meeting, actor=organizer, organization=kemlu, quota=2, focal_point_email="not-an-email"
        )
    assert list(error.value.message_dict) == ["focal_point_email"]
    assert AgencyInvitation.objects.count() == 0


@pytest.mark.parametrize("status", [Meeting.Status.CANCELLED, Meeting.Status.CLOSED, Meeting.Status.HELD])
def test_invite_for_a_finished_meeting_is_refused(published_meeting, organizer, kemlu, status):
    set_meeting(published_meeting, status=status)
    with pytest.raises(ValidationError):
        inv.invite(
            published_meeting,
            actor=organizer,
            organization=kemlu,
            quota=2,
            focal_point_email="x@example.go.id",
        )
    assert AgencyInvitation.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_invite_for_a_draft_meeting_is_allowed(meeting, organizer, kemlu, run_tasks):
    invitation = inv.invite(
        meeting, actor=organizer, organization=kemlu, quota=2, focal_point_email="x@example.go.id"
    )
    assert invitation.state == "invited"
    run_tasks()
    # The public page does not exist yet, so the email does not link to it.
    assert meeting.urls.public not in mail.outbox[0].body


def test_invite_after_revoke_reopens_with_a_new_link(invitation, organizer, kemlu):
    inv.revoke(invitation, actor=organizer)
    revoked_token = AgencyInvitation.objects.get().urls.token
    again = inv.invite(
        invitation.meeting,
        actor=organizer,
        organization=kemlu,
        quota=4,
        focal_point_email="new@example.go.id",
    )
    assert again.pk == invitation.pk
    assert (again.state, again.quota, again.focal_point_email) == ("invited", 4, "new@example.go.id")
    assert links.invitation_for_token(again.pk, revoked_token) is None
    assert links.invitation_for_token(again.pk, again.urls.token) == again


# update_quota -------------------------------------------------------------------------------


def test_update_quota_changes_seats_and_is_logged(invitation, organizer):
    inv.update_quota(invitation, actor=organizer, quota=5)
    assert AgencyInvitation.objects.get().quota == 5
    entry = AuditEntry.objects.get(action="invitation.quota_changed")
    assert entry.data == {"old_quota": 2, "new_quota": 5}


def test_update_quota_cannot_drop_below_active_nominations(invitation, organizer):
    inv.nominate(invitation, **delegate(1))
    inv.nominate(invitation, **delegate(2))
    with pytest.raises(ValidationError) as error:
        inv.update_quota(invitation, actor=organizer, quota=1)
    assert list(error.value.message_dict) == ["quota"]
    assert AgencyInvitation.objects.get().quota == 2


def test_update_quota_may_drop_to_active_after_a_withdrawal(invitation, organizer):
    first = inv.nominate(invitation, **delegate(1))
    inv.nominate(invitation, **delegate(2))
    inv.withdraw_delegate(invitation, first)
    inv.update_quota(invitation, actor=organizer, quota=1)
    assert AgencyInvitation.objects.get().quota == 1


# revoke -------------------------------------------------------------------------------------


def test_revoke_kills_the_link_and_keeps_delegates_registered(invitation, organizer):
    token = invitation.urls.token
    nominee = inv.nominate(invitation, **delegate(1))
    inv.revoke(invitation, actor=organizer)
    invitation.refresh_from_db()
    assert (invitation.state, invitation.token_version) == ("revoked", 2)
    assert links.invitation_for_token(invitation.pk, token) is None
    assert Registration.objects.get(pk=nominee.registration_id).state == "confirmed"
    with pytest.raises(ValidationError):
        inv.nominate(invitation, **delegate(2))
    assert Registration.objects.count() == 1


# remind -------------------------------------------------------------------------------------


def test_remind_only_invitations_not_responded_and_counts(published_meeting, organizer, run_tasks):
    silent, answered, revoked = (
        inv.invite(
            published_meeting,
            actor=organizer,
            organization=OrganizationFactory(name=f"Unit {n}"),
            quota=2,
            focal_point_email=f"unit{n}@example.go.id",
            language="en",
        )
        for n in range(3)
    )
    inv.nominate(answered, **delegate(1))
    inv.revoke(revoked, actor=organizer)
    run_tasks()
    mail.outbox.clear()

    assert inv.remind(published_meeting, actor=organizer) == 1
    assert inv.remind([silent, answered, revoked], actor=organizer) == 1
    run_tasks()
    assert [m.to for m in mail.outbox] == [["unit0@example.go.id"], ["unit0@example.go.id"]]
    assert mail.outbox[0].subject == "Reminder: please nominate your delegates for FGD Pengawasan P3MI"
    assert "This is a reminder" in mail.outbox[0].body
    states = {
        i.focal_point_email: (i.reminder_count, i.reminded_at is not None)
        for i in AgencyInvitation.objects.all()
    }
    assert states == {
        "unit0@example.go.id": (2, True),
        "unit1@example.go.id": (0, False),
        "unit2@example.go.id": (0, False),
    }


def test_remind_for_a_cancelled_meeting_is_refused(invitation, organizer):
    set_meeting(invitation.meeting, status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError):
        inv.remind(invitation.meeting, actor=organizer)
    assert AgencyInvitation.objects.get().reminder_count == 0


# nominate -----------------------------------------------------------------------------------


def test_nominate_registers_within_quota_then_refuses(invitation, kemlu):
    first = inv.nominate(invitation, **delegate(1)).registration
    second = inv.nominate(invitation, **delegate(2, mode="online")).registration
    assert [(r.state, r.mode, r.source, r.organization) for r in (first, second)] == [
        ("confirmed", "onsite", "agency", kemlu),
        ("confirmed", "online", "agency", kemlu),
    ]
    assert first.phone == "+6281234567801"
    assert first.consent_at is not None
    with pytest.raises(ValidationError) as error:
        inv.nominate(invitation, **delegate(3))
    assert "2" in error.value.messages[0]
    assert Registration.objects.count() == 2


def test_first_nomination_marks_the_invitation_responded(invitation):
    assert invitation.responded_at is None
    inv.nominate(invitation, **delegate(1))
    invitation.refresh_from_db()
    responded_at = invitation.responded_at
    assert invitation.state == "responded"
    assert responded_at is not None
    inv.nominate(invitation, **delegate(2))
    invitation.refresh_from_db()
    assert invitation.responded_at == responded_at


def test_nominee_gets_the_confirmation_email(invitation, run_tasks):
    run_tasks()
    mail.outbox.clear()
    nominee = inv.nominate(invitation, **delegate(1)).registration
    run_tasks()
    assert [m.to for m in mail.outbox] == [["delegasi1@example.go.id"]]
    assert nominee.code in mail.outbox[0].body


def test_nominee_is_waitlisted_when_the_mode_is_full(invitation):
    set_meeting(invitation.meeting, capacity_onsite=1)
    reg.register(
        invitation.meeting, full_name="Publik", email="publik@example.test", mode="onsite", consent=True
    )
    nominee = inv.nominate(invitation, **delegate(1)).registration
    assert nominee.state == "waitlisted"
    assert inv.active_count(invitation) == 1


def test_nomination_needs_the_focal_point_authorisation(invitation):
    with pytest.raises(ValidationError) as error:
        inv.nominate(invitation, **delegate(1, authorised=False))
    assert list(error.value.message_dict) == ["authorised"]
    assert Registration.objects.count() == 0


def test_nomination_with_an_invalid_phone_is_refused(invitation):
    with pytest.raises(ValidationError) as error:
        inv.nominate(invitation, **delegate(1, phone="021 555 1234"))
    assert list(error.value.message_dict) == ["phone"]
    assert Registration.objects.count() == 0


def test_nomination_for_a_mode_the_meeting_lacks_is_refused(invitation):
    set_meeting(invitation.meeting, mode=Meeting.Mode.ONSITE)
    with pytest.raises(ValidationError) as error:
        inv.nominate(invitation, **delegate(1, mode="online"))
    assert list(error.value.message_dict) == ["mode"]
    assert Registration.objects.count() == 0


def test_nomination_is_allowed_after_the_public_window_closed(invitation):
    set_meeting(invitation.meeting, registration_closes_at=timezone.now() - timedelta(days=1))
    assert inv.nominate(invitation, **delegate(1)).registration.state == "confirmed"


@pytest.mark.parametrize("status", [Meeting.Status.DRAFT, Meeting.Status.CANCELLED, Meeting.Status.HELD])
def test_nomination_is_refused_unless_the_meeting_is_published(invitation, status):
    set_meeting(invitation.meeting, status=status)
    with pytest.raises(ValidationError):
        inv.nominate(invitation, **delegate(1))
    assert Registration.objects.count() == 0


def test_nomination_is_refused_after_the_meeting_ended(invitation):
    for n, day in enumerate(invitation.meeting.days.order_by("date")):
        day.date = timezone.localdate() - timedelta(days=10 - n)
        day.save()
    with pytest.raises(ValidationError):
        inv.nominate(invitation, **delegate(1))
    assert Registration.objects.count() == 0


def test_nominating_a_public_registrant_changes_nothing_and_asks_her(invitation, run_tasks):
    public = reg.register(
        invitation.meeting,
        full_name="Sudah Daftar",
        position="Kepala Seksi",
        email="delegasi1@example.go.id",
        mode="online",
        consent=True,
        language="en",
    ).registration
    before = Registration.objects.values().get(pk=public.pk)
    run_tasks()
    mail.outbox.clear()

    nomination = inv.nominate(invitation, **delegate(1, full_name="Nama Lain"))

    assert Registration.objects.values().get(pk=public.pk) == before
    assert (nomination.state, nomination.registration, nomination.full_name) == ("asked", None, "Nama Lain")
    assert inv.active_count(invitation) == 1
    run_tasks()
    assert [m.to for m in mail.outbox] == [["delegasi1@example.go.id"]]
    # In her own language, with the link to accept; nothing of her registration is in the request.
    assert (
        mail.outbox[0].subject == "Kementerian Luar Negeri nominates you as its delegate: FGD Pengawasan P3MI"
    )
    assert nomination.urls.absolute.accept in mail.outbox[0].body
    assert list(
        AuditEntry.objects.filter(object_id=str(public.pk), action__startswith="registration.").values_list(
            "action", flat=True
        )
    ) == ["registration.created"]


def test_nominating_another_agencys_delegate_changes_nothing_and_asks_them(invitation, organizer, kkp):
    other = inv.invite(
        invitation.meeting, actor=organizer, organization=kkp, quota=2, focal_point_email="kkp@example.go.id"
    )
    theirs = inv.nominate(other, **delegate(1)).registration
    nomination = inv.nominate(invitation, **delegate(1))
    assert nomination.state == "asked"
    assert list(Registration.objects.values_list("pk", "invitation", "state")) == [
        (theirs.pk, other.pk, "confirmed")
    ]
    assert (inv.active_count(invitation), inv.active_count(other)) == (1, 1)


def test_a_declined_registration_is_asked_about_not_reopened(invitation, organizer):
    declined = reg.register(
        invitation.meeting, full_name="Ditolak", email="delegasi1@example.go.id", mode="onsite", consent=True
    ).registration
    Registration.objects.filter(pk=declined.pk).update(state="declined")
    nomination = inv.nominate(invitation, **delegate(1))
    declined.refresh_from_db()
    assert (nomination.state, declined.state, declined.invitation) == ("asked", "declined", None)
    with pytest.raises(ValidationError) as error:
        inv.accept_nomination(nomination)
    assert error.value.messages == [
        "Pendaftaran Anda untuk rapat ini tidak aktif; silakan hubungi penyelenggara."
    ]


def test_the_person_asked_accepts_and_counts_toward_the_quota(invitation):
    public = reg.register(
        invitation.meeting,
        full_name="Sudah Daftar",
        email="delegasi1@example.go.id",
        mode="online",
        consent=True,
    ).registration
    nomination = inv.nominate(invitation, **delegate(1, full_name="Nama Lain", mode="onsite"))

    registration = inv.accept_nomination(nomination)

    public.refresh_from_db()
    nomination.refresh_from_db()
    assert registration == public
    assert (public.invitation, public.full_name, public.mode, public.state) == (
        invitation,
        "Sudah Daftar",
        "online",
        "confirmed",
    )
    assert (nomination.state, nomination.registration) == ("accepted", public)
    assert inv.active_count(invitation) == 1
    with pytest.raises(ValidationError):
        inv.accept_nomination(nomination)


def test_another_agencys_delegate_cannot_accept_a_second_agency(invitation, organizer, kkp):
    other = inv.invite(
        invitation.meeting, actor=organizer, organization=kkp, quota=2, focal_point_email="kkp@example.go.id"
    )
    theirs = inv.nominate(other, **delegate(1)).registration
    nomination = inv.nominate(invitation, **delegate(1))
    with pytest.raises(ValidationError):
        inv.accept_nomination(nomination)
    theirs.refresh_from_db()
    assert theirs.invitation == other


def test_withdrawing_an_asked_nomination_touches_no_registration(invitation, run_tasks):
    public = reg.register(
        invitation.meeting,
        full_name="Sudah Daftar",
        email="delegasi1@example.go.id",
        mode="online",
        consent=True,
    ).registration
    before = Registration.objects.values().get(pk=public.pk)
    nomination = inv.nominate(invitation, **delegate(1))
    run_tasks()
    mail.outbox.clear()

    inv.withdraw_delegate(invitation, nomination)

    nomination.refresh_from_db()
    assert nomination.state == "withdrawn"
    assert Registration.objects.values().get(pk=public.pk) == before
    assert inv.active_count(invitation) == 0
    run_tasks()
    assert mail.outbox == []
    with pytest.raises(ValidationError):
        inv.accept_nomination(nomination)


def test_withdrawing_an_accepted_nomination_keeps_the_person_registered(invitation, run_tasks):
    public = reg.register(
        invitation.meeting,
        full_name="Sudah Daftar",
        email="delegasi1@example.go.id",
        mode="online",
        consent=True,
    ).registration
    nomination = inv.nominate(invitation, **delegate(1))
    inv.accept_nomination(nomination)
    run_tasks()
    mail.outbox.clear()

    inv.replace_delegate(invitation, nomination, **delegate(2))

    public.refresh_from_db()
    assert (public.state, public.invitation) == ("confirmed", None)
    assert dict(Registration.objects.values_list("email", "invitation")) == {
        "delegasi1@example.go.id": None,
        "delegasi2@example.go.id": invitation.pk,
    }
    run_tasks()
    assert [m.to for m in mail.outbox] == [["delegasi2@example.go.id"]]


def test_nominating_the_same_person_twice_is_refused(invitation):
    inv.nominate(invitation, **delegate(1))
    with pytest.raises(ValidationError) as error:
        inv.nominate(invitation, **delegate(1, email="DELEGASI1@example.go.id"))
    assert list(error.value.message_dict) == ["email"]
    assert Registration.objects.count() == 1


def test_a_cancelled_registration_can_be_nominated_again(invitation):
    public = reg.register(
        invitation.meeting, full_name="Batal", email="delegasi1@example.go.id", mode="onsite", consent=True
    ).registration
    reg.cancel(public)
    nominee = inv.nominate(invitation, **delegate(1)).registration
    assert (nominee.pk, nominee.state, nominee.invitation) == (public.pk, "confirmed", invitation)


# replace and withdraw -----------------------------------------------------------------------


def test_replace_cancels_the_old_delegate_and_promotes_the_waiting_list(invitation, run_tasks):
    set_meeting(invitation.meeting, capacity_onsite=1)
    old = inv.nominate(invitation, **delegate(1))
    waiting = reg.register(
        invitation.meeting, full_name="Menunggu", email="tunggu@example.test", mode="onsite", consent=True
    ).registration
    assert waiting.state == "waitlisted"
    run_tasks()
    mail.outbox.clear()

    new = inv.replace_delegate(invitation, old, **delegate(2))
    states = dict(Registration.objects.values_list("email", "state"))
    assert states == {
        "delegasi1@example.go.id": "cancelled",
        "tunggu@example.test": "confirmed",
        "delegasi2@example.go.id": "waitlisted",
    }
    assert new.registration.invitation == invitation
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "delegasi1@example.go.id",
        "delegasi2@example.go.id",
        "tunggu@example.test",
    ]


def test_replace_with_a_full_quota_takes_the_freed_quota_seat(invitation):
    old = inv.nominate(invitation, **delegate(1))
    inv.nominate(invitation, **delegate(2))
    new = inv.replace_delegate(invitation, old, **delegate(3))
    assert new.registration.state == "confirmed"
    assert inv.active_count(invitation) == 2


def test_replace_is_all_or_nothing(invitation, organizer, kkp):
    old = inv.nominate(invitation, **delegate(1))
    other = inv.invite(
        invitation.meeting, actor=organizer, organization=kkp, quota=2, focal_point_email="kkp@example.go.id"
    )
    inv.nominate(other, **delegate(2))
    emails_before = OutgoingEmail.objects.count()
    with pytest.raises(ValidationError):
        inv.replace_delegate(invitation, old, **delegate(2, mode="hovercraft"))
    old.refresh_from_db()
    assert (old.state, old.registration.state) == ("registered", "confirmed")
    assert Registration.objects.count() == 2
    assert OutgoingEmail.objects.count() == emails_before


def test_another_agencys_delegate_cannot_be_replaced_or_withdrawn(invitation, organizer, kkp):
    other = inv.invite(
        invitation.meeting, actor=organizer, organization=kkp, quota=2, focal_point_email="kkp@example.go.id"
    )
    theirs = inv.nominate(other, **delegate(1))
    with pytest.raises(ValidationError):
        inv.replace_delegate(invitation, theirs, **delegate(2))
    with pytest.raises(ValidationError):
        inv.withdraw_delegate(invitation, theirs)
    assert list(Registration.objects.values_list("state", flat=True)) == ["confirmed"]


def test_withdraw_cancels_and_frees_a_quota_seat(invitation, run_tasks):
    first = inv.nominate(invitation, **delegate(1))
    inv.nominate(invitation, **delegate(2))
    run_tasks()
    mail.outbox.clear()
    inv.withdraw_delegate(invitation, first)
    first.registration.refresh_from_db()
    assert first.registration.state == "cancelled"
    assert inv.nominate(invitation, **delegate(3)).registration.state == "confirmed"
    run_tasks()
    assert [m.to for m in mail.outbox] == [["delegasi1@example.go.id"], ["delegasi3@example.go.id"]]


# invite_many --------------------------------------------------------------------------------


def test_invite_many_invites_every_line(published_meeting, organizer, kemlu, kkp, run_tasks):
    report = inv.invite_many(
        published_meeting,
        "Kemlu;tu@kemlu.example;3;Budi\n\nkementerian kelautan dan perikanan\tkkp@example.go.id\t2\n",
        actor=organizer,
    )
    assert report.ok
    rows = list(
        AgencyInvitation.objects.order_by("quota").values_list("organization", "quota", "focal_point_name")
    )
    assert rows == [(kkp.pk, 2, ""), (kemlu.pk, 3, "Budi")]
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["kkp@example.go.id", "tu@kemlu.example"]


def test_invite_many_reports_each_bad_line_and_saves_nothing(published_meeting, organizer, kemlu, kkp):
    inv.invite(
        published_meeting, actor=organizer, organization=kkp, quota=1, focal_point_email="k@example.go.id"
    )
    OrganizationFactory(name="Unit Satu", acronym="UPT")
    OrganizationFactory(name="Unit Dua", acronym="UPT")
    text = "\n".join(
        [
            "Kemlu;tu@kemlu.example;3",  # 1 fine on its own
            "Tidak Ada;x@example.go.id;2",  # 2 unknown organization
            "Kemlu;y@example.go.id;1",  # 3 listed twice
            "KKP;k2@example.go.id;2",  # 4 already invited
            "UPT;u@example.go.id;2",  # 5 ambiguous acronym
            "Unit Satu;bukan-email;2",  # 6 bad email
            "Unit Dua;u2@example.go.id;nol",  # 7 bad quota
            "Unit Dua",  # 8 too few columns
        ]
    )
    report = inv.invite_many(published_meeting, text, actor=organizer)
    assert [e.line for e in report.refused] == [2, 3, 4, 5, 6, 7, 8]
    assert report.done == []
    assert list(AgencyInvitation.objects.values_list("organization", flat=True)) == [kkp.pk]
    assert OutgoingEmail.objects.count() == 1


# nomination deadline ------------------------------------------------------------------------

DEADLINE_TASK = "participants.tasks.send_deadline_reminder"


def deadline_tasks():
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path=DEADLINE_TASK).order_by("pk")
    return [(row.args_kwargs["args"], row.run_after) for row in rows]


@pytest.fixture
def deadline():
    return (timezone.now() + timedelta(days=5)).replace(microsecond=0)


@pytest.fixture
def with_deadline(published_meeting, organizer, kemlu, deadline):
    return inv.invite(
        published_meeting,
        actor=organizer,
        organization=kemlu,
        quota=2,
        focal_point_email="tu.kemlu@example.go.id",
        nomination_deadline=deadline,
    )


def test_the_invitation_email_gives_the_nomination_deadline(published_meeting, organizer, kemlu, run_tasks):
    from zoneinfo import ZoneInfo

    deadline = datetime(2031, 9, 15, 16, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    inv.invite(
        published_meeting,
        actor=organizer,
        organization=kemlu,
        quota=2,
        focal_point_email="tu.kemlu@example.go.id",
        nomination_deadline=deadline,
    )
    run_tasks()
    [message] = [m for m in mail.outbox if m.to == ["tu.kemlu@example.go.id"]]
    assert "Usulkan paling lambat: Senin, 15 September 2031 16.00 WIB" in message.body
    assert "Senin, 15 September 2031 16.00 WIB" in message.alternatives[0][0]


def test_a_deadline_in_the_past_is_refused(published_meeting, organizer, kemlu):
    with pytest.raises(ValidationError) as error:
        inv.invite(
            published_meeting,
            actor=organizer,
            organization=kemlu,
            quota=2,
            focal_point_email="tu.kemlu@example.go.id",
            nomination_deadline=timezone.now() - timedelta(minutes=1),
        )
    assert list(error.value.message_dict) == ["nomination_deadline"]
    assert AgencyInvitation.objects.count() == 0


def test_nominations_after_the_deadline_are_refused_until_the_organizer_extends_it(
    with_deadline, organizer, deadline
):
    AgencyInvitation.objects.filter(pk=with_deadline.pk).update(nomination_deadline=timezone.now())
    with_deadline.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        inv.nominate(with_deadline, **delegate(1))
    assert error.value.messages[0].startswith("Batas waktu pengusulan (")
    assert error.value.messages[0].endswith(
        ") telah lewat. Untuk mengusulkan atau mengubah delegasi sekarang, mintalah penyelenggara memperpanjangnya."
    )
    assert Registration.objects.count() == 0

    inv.set_deadline(with_deadline, actor=organizer, nomination_deadline=deadline + timedelta(days=2))
    assert inv.nominate(with_deadline, **delegate(1)).registration.state == "confirmed"
    entry = AuditEntry.objects.get(action="invitation.deadline_changed")
    assert entry.data["new_deadline"] == (deadline + timedelta(days=2)).isoformat()


def test_the_reminder_is_planned_hours_before_the_deadline(with_deadline, deadline, settings):
    assert deadline_tasks() == [([with_deadline.pk, deadline.isoformat()], deadline - timedelta(hours=48))]


def test_the_deadline_reminder_goes_once_to_a_focal_point_who_has_not_answered(
    with_deadline, deadline, run_tasks
):
    run_tasks()
    mail.outbox.clear()
    assert inv.send_deadline_reminder(with_deadline.pk, deadline.isoformat()) is True
    assert inv.send_deadline_reminder(with_deadline.pk, deadline.isoformat()) is False
    run_tasks()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["tu.kemlu@example.go.id"], "Pengingat: mohon usulkan delegasi Anda untuk FGD Pengawasan P3MI")
    ]
    with_deadline.refresh_from_db()
    assert (with_deadline.reminder_count, with_deadline.deadline_reminder_for) == (1, deadline)


def test_no_deadline_reminder_after_an_answer_or_a_changed_deadline(with_deadline, organizer, deadline):
    other = inv.invite(
        with_deadline.meeting,
        actor=organizer,
        organization=OrganizationFactory(name="Unit Lain"),
        quota=1,
        focal_point_email="unit@example.go.id",
        nomination_deadline=deadline,
    )
    inv.nominate(with_deadline, **delegate(1))
    inv.set_deadline(other, actor=organizer, nomination_deadline=deadline + timedelta(days=1))
    assert inv.send_deadline_reminder(with_deadline.pk, deadline.isoformat()) is False
    assert inv.send_deadline_reminder(other.pk, deadline.isoformat()) is False
    # The new deadline has its own reminder.
    assert inv.send_deadline_reminder(other.pk, (deadline + timedelta(days=1)).isoformat()) is True
    assert sorted(AgencyInvitation.objects.values_list("reminder_count", flat=True)) == [0, 1]


def test_bulk_invitations_share_one_deadline(published_meeting, organizer, kemlu, kkp, deadline):
    report = inv.invite_many(
        published_meeting,
        "Kemlu;a@example.go.id;2\nKKP;b@example.go.id;1",
        actor=organizer,
        nomination_deadline=deadline,
    )
    assert report.refused == []
    assert list(AgencyInvitation.objects.order_by("pk").values_list("nomination_deadline", flat=True)) == [
        deadline,
        deadline,
    ]
    assert len(deadline_tasks()) == 2


def test_the_worker_sends_the_planned_deadline_reminder_when_it_is_due(with_deadline, run_tasks):
    from django_tasks_db.models import DBTaskResult

    run_tasks()
    mail.outbox.clear()
    DBTaskResult.objects.filter(task_path=DEADLINE_TASK).update(run_after=timezone.now())
    run_tasks()
    run_tasks()
    assert [m.to for m in mail.outbox] == [["tu.kemlu@example.go.id"]]
    assert "Usulkan paling lambat" in mail.outbox[0].body
