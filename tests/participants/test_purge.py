"""purge_personal_data: personal data of long-closed meetings goes, counts and attendance stay."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import audit
from core.models import AuditEntry, OutgoingEmail
from meetings.models import Meeting, MeetingDay
from participants.models import AgencyInvitation, Attendance, Nomination, Registration
from participants.services import privacy
from participants.services import registration as reg
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

PERSONAL_FIELDS = (
    "full_name",
    "position",
    "email",
    "phone",
    "user_id",
    "personal_join_url",
    "public_listing",
)
KEPT_FIELDS = (
    "code",
    "mode",
    "state",
    "source",
    "organization_id",
    "organization_name",
    "created_at",
    "confirmed_at",
)


def make_meeting(organizer, *, status, ended_days_ago, title):
    meeting = MeetingFactory(title=title, organizers=[organizer], status=Meeting.Status.PUBLISHED)
    day = MeetingDayFactory(meeting=meeting, date=timezone.localdate() - timedelta(days=ended_days_ago))
    for n, (mode, org) in enumerate((("onsite", OrganizationFactory()), ("online", None))):
        reg.register(
            meeting,
            full_name=f"{title} Peserta {n}",
            position="Analis Kebijakan",
            email=f"{title.lower()}-{n}@example.test",
            phone="+6281234567890",
            mode=mode,
            organization=org,
            organization_name="" if org else "Dinas Tenaga Kerja",
            consent=True,
            public_listing=True,
            user=organizer if n == 0 else None,
            check_window=False,
        )
    Registration.objects.filter(meeting=meeting, mode="online").update(
        personal_join_url="https://zoom.example.test/j/1?tk=x"
    )
    first = Registration.objects.filter(meeting=meeting).order_by("pk").first()
    Attendance.objects.create(registration=first, day=day, how="onsite", first_seen_at=timezone.now())
    AgencyInvitation.objects.create(
        meeting=meeting,
        organization=OrganizationFactory(),
        quota=2,
        focal_point_name="Pak Fokal",
        focal_point_email=f"fokal-{title.lower()}@example.test",
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def old_closed(organizer):
    return make_meeting(organizer, status=Meeting.Status.CLOSED, ended_days_ago=400, title="Lama")


@pytest.fixture
def recent_closed(organizer):
    return make_meeting(organizer, status=Meeting.Status.CLOSED, ended_days_ago=30, title="Baru")


@pytest.fixture
def old_held(organizer):
    return make_meeting(organizer, status=Meeting.Status.HELD, ended_days_ago=400, title="Belum")


def snapshot(meeting):
    fields = ("pk", *PERSONAL_FIELDS, *KEPT_FIELDS)
    return {
        "registrations": list(
            Registration.objects.filter(meeting=meeting).order_by("pk").values_list(*fields)
        ),
        "attendance": list(
            Attendance.objects.filter(registration__meeting=meeting).values_list(
                "pk", "registration_id", "day_id", "how"
            )
        ),
        "invitations": list(
            AgencyInvitation.objects.filter(meeting=meeting).values_list(
                "focal_point_name", "focal_point_email"
            )
        ),
    }


def purge(*args):
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def test_purge_removes_personal_data_of_old_closed_meeting(old_closed):
    before = snapshot(old_closed)
    emails_before = OutgoingEmail.objects.count()
    assert emails_before == 2  # the two confirmations, written with names and links
    output = purge("--days", "365")
    after = snapshot(old_closed)
    ids = [row[0] for row in before["registrations"]]
    assert [row[1:8] for row in after["registrations"]] == [
        ("", "", f"purged-{pk}@purged.invalid", "", None, "", False) for pk in ids
    ]
    assert [row[8:] for row in after["registrations"]] == [row[8:] for row in before["registrations"]]
    assert after["attendance"] == before["attendance"]
    invitation = AgencyInvitation.objects.get(meeting=old_closed)
    assert after["invitations"] == [("", f"purged-invitation-{invitation.pk}@purged.invalid")]
    assert reg.confirmed_counts(old_closed) == {"onsite": 1, "online": 1}
    # The queued confirmations go too (their task finds nothing to send); sent ones: next test.
    assert OutgoingEmail.objects.count() == 0
    codes = dict(Registration.objects.filter(meeting=old_closed).values_list("pk", "code"))
    registration_entries = AuditEntry.objects.filter(
        content_type__model="registration", object_id__in=[str(pk) for pk in ids]
    ).values_list("object_id", "object_repr")
    assert sorted(set(registration_entries)) == sorted((str(pk), f" ({codes[pk]})") for pk in ids)
    assert list(
        AuditEntry.objects.filter(action="meeting.personal_data_purged").values_list("object_id", "data")
    ) == [(str(old_closed.pk), {"registrations": 2, "invitations": 1, "emails": 2, "audit_entries": 2})]
    assert f"{old_closed.code} “Lama” (ended" in output
    assert "purged 2 registrations, 1 invitations, 2 emails, 2 audit entries." in output


def test_purge_removes_the_zoom_report_rows_and_matches_but_keeps_the_online_attendance(old_closed):
    from participants.models import ZoomAttendanceRow, ZoomMatch

    online = Registration.objects.get(meeting=old_closed, mode="online")
    Registration.objects.filter(pk=online.pk).update(zoom_registrant_id="reg-online")
    day = old_closed.days.get()
    Attendance.objects.create(registration=online, day=day, how="online", first_seen_at=timezone.now())
    joined = timezone.now() - timedelta(days=400)
    ZoomAttendanceRow.objects.create(
        meeting=old_closed,
        day=day,
        participant_key="k1",
        join_time=joined,
        seconds=3600,
        name="Lama Peserta 1 - Disnaker",
        email="lama-1@example.test",
        registrant_id="reg-online",
        match_key="lama peserta 1",
        registration=online,
    )
    ZoomMatch.objects.create(meeting=old_closed, key="lama peserta 1", registration=online)

    purge("--days", "365")

    assert not ZoomAttendanceRow.objects.filter(meeting=old_closed).exists()
    assert not ZoomMatch.objects.filter(meeting=old_closed).exists()
    assert Registration.objects.get(pk=online.pk).zoom_registrant_id == ""
    assert Attendance.objects.filter(registration=online, how="online").count() == 1


def test_purge_deletes_sent_emails_to_the_participants(old_closed, recent_closed):
    OutgoingEmail.objects.update(state=OutgoingEmail.State.SENT)
    recent_emails = sorted(
        pk for pk, to in OutgoingEmail.objects.values_list("pk", "to") if to[0].startswith("baru-")
    )
    assert privacy.purge_meeting(old_closed) == 2
    assert sorted(OutgoingEmail.objects.values_list("pk", flat=True)) == recent_emails


def test_purge_deletes_reminder_and_announcement_emails_too(old_closed, recent_closed, organizer):
    from participants.services.announcements import send_announcement

    Meeting.objects.filter(pk=old_closed.pk).update(status=Meeting.Status.PUBLISHED)
    send_announcement(old_closed, actor=organizer, subject="Info", body="Halo", audience={})
    Meeting.objects.filter(pk=old_closed.pk).update(status=Meeting.Status.CLOSED)
    OutgoingEmail.objects.update(state=OutgoingEmail.State.SENT)
    old_group = f"meeting:{old_closed.pk}"
    assert OutgoingEmail.objects.filter(key__startswith="announcement:", group=old_group).count() == 2
    privacy.purge_meeting(old_closed)
    assert OutgoingEmail.objects.filter(group=old_group).count() == 0
    assert OutgoingEmail.objects.filter(group=f"meeting:{recent_closed.pk}").count() > 0


def test_purge_leaves_recent_and_unclosed_meetings_alone(old_closed, recent_closed, old_held):
    before = {m.pk: snapshot(m) for m in (recent_closed, old_held)}
    purge("--days", "365")
    assert {m.pk: snapshot(m) for m in (recent_closed, old_held)} == before


def test_purge_default_days_come_from_settings(old_closed, recent_closed):
    with override_settings(SINERGI_PURGE_AFTER_DAYS=10):
        purge()
    assert list(Registration.objects.filter(meeting=recent_closed).values_list("full_name", flat=True)) == [
        "",
        "",
    ]


def test_purge_dry_run_changes_nothing(old_closed):
    before = snapshot(old_closed)
    audit_before = AuditEntry.objects.count()
    output = purge("--days", "365", "--dry-run")
    assert snapshot(old_closed) == before
    assert AuditEntry.objects.count() == audit_before
    assert "would purge 2 registrations, 1 invitations, 2 emails, 2 audit entries." in output


def test_purge_second_run_changes_nothing_more(old_closed):
    purge("--days", "365")
    after_first = snapshot(old_closed)
    audit_after_first = list(AuditEntry.objects.values_list("pk", "object_repr"))
    output = purge("--days", "365")
    assert snapshot(old_closed) == after_first
    assert list(AuditEntry.objects.values_list("pk", "object_repr")) == audit_after_first
    assert privacy.purge_meeting(old_closed) == 0
    assert old_closed.code not in output


def test_due_meetings_needs_more_than_n_days(organizer):
    meeting = make_meeting(organizer, status=Meeting.Status.CLOSED, ended_days_ago=365, title="Batas")
    today = timezone.localdate()
    assert list(privacy.due_meetings(365, today)) == []
    assert list(privacy.due_meetings(365, today + timedelta(days=1))) == [meeting]
    assert isinstance(meeting.ends_on, date)


def stored_text() -> str:
    """Everything the audit log, the outbox and the task results hold, as one lower-case text."""
    return json.dumps(
        [
            list(AuditEntry.objects.values_list("object_repr", "data")),
            list(OutgoingEmail.objects.values()),
            list(DBTaskResult.objects.values_list("args_kwargs", "return_value", "traceback")),
        ],
        default=str,
    ).lower()


def test_purge_leaves_no_trace_of_participants_in_audit_log_outbox_or_tasks(
    organizer, smtp_server, run_tasks
):
    from participants.services import invitations
    from participants.services.announcements import send_announcement

    meeting = make_meeting(organizer, status=Meeting.Status.PUBLISHED, ended_days_ago=-30, title="Lama")
    agency = OrganizationFactory(name="Kementerian Kelautan dan Perikanan")
    invitation = invitations.invite(
        meeting, actor=organizer, organization=agency, quota=2, focal_point_email="fokal.lama@example.test"
    )
    invitations.revoke(invitation, actor=organizer)  # the first focal point stays only in the log
    invitation = invitations.invite(
        meeting,
        actor=organizer,
        organization=agency,
        quota=2,
        focal_point_email="fokal.baru@example.test",
        focal_point_name="Ibu Fokal Baru",
    )
    invitations.nominate(
        invitation,
        full_name="Delegasi Satu",
        email="delegasi.satu@example.test",
        mode="online",
        phone="+6281111111111",
        authorised=True,
    )
    send_announcement(
        meeting, actor=organizer, subject="Catatan untuk Lama Peserta 0", body="Halo", audience={}
    )
    smtp_server.refuse("delegasi.satu@example.test")  # a failed send keeps the address in its error
    run_tasks()
    personal = [
        "fokal.lama@example.test",
        "fokal.baru@example.test",
        "ibu fokal baru",
        "delegasi.satu@example.test",
        "delegasi satu",
        "lama peserta 0",
        "lama-0@example.test",
        "lama-1@example.test",
    ]
    assert [value for value in personal if value not in stored_text()] == []
    assert OutgoingEmail.objects.filter(state="failed", to=["delegasi.satu@example.test"]).count() == 2

    MeetingDay.objects.filter(meeting=meeting).update(date=timezone.localdate() - timedelta(days=400))
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED, ends_on=timezone.localdate() - timedelta(days=400)
    )
    purge("--days", "365")

    assert [value for value in personal if value in stored_text()] == []
    assert OutgoingEmail.objects.count() == 0
    nomination = Nomination.objects.get()
    assert (nomination.full_name, nomination.phone, nomination.email) == (
        "",
        "",
        f"purged-nomination-{nomination.pk}@purged.invalid",
    )
    # What is not personal stays: the agency, the seats, the codes, the organizer's own changes.
    [created, reopened] = AuditEntry.objects.filter(action__in=["invitation.created", "invitation.reopened"])
    assert reopened.data == {"organization": str(agency), "quota": 2, "focal_point": "[purged]"}
    assert created.data == reopened.data
    assert (
        AuditEntry.objects.get(action="meeting.announcement_sent").data["subject"] == "Catatan untuk [purged]"
    )
    registration = Registration.objects.get(invitation=invitation)
    assert AuditEntry.objects.get(action="invitation.nominated").data == {
        "registration": registration.code,
        "nomination": Nomination.objects.get().pk,
    }


def test_purge_scrubs_the_log_of_a_meeting_purged_by_an_earlier_version(old_closed):
    purge("--days", "365")
    invitation = AgencyInvitation.objects.get(meeting=old_closed)
    # An earlier version purged the invitation but left its focal point in the log.
    audit.record(invitation, "invitation.created", None, quota=2, focal_point="fokal-lama@example.test")

    output = purge("--days", "365")

    assert "purged 0 registrations, 0 invitations, 0 emails, 1 audit entries." in output
    assert AuditEntry.objects.get(action="invitation.created").data == {"quota": 2, "focal_point": "[purged]"}
