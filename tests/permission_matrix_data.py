"""The world of the permission matrix (tests/test_permission_matrix.py): two meetings, their people
and every object a URL of the project points at, built once per test module."""

from __future__ import annotations

from datetime import date, time, timedelta

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core import uploads
from core.tokens import make_token
from meetings.models import Meeting
from minutes.models import Minutes, Section, ZoomTranscript
from minutes.services import points as point_services
from minutes.services import recommendations as rec_services
from minutes.services import workflow
from minutes.services.preparation import prepare_minutes
from minutes.services.transcripts import import_transcript
from participants.models import Attendance, Registration
from participants.services import invitations as inv
from participants.services import registration as reg
from policy.services import briefs, focal_points
from policy.services.followup import record_follow_up
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    MeetingHostFactory,
    OnlineRoomFactory,
    OrganizationFactory,
    OrganizerFactory,
    PersonFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
VTT = """WEBVTT

1
00:00:05.000 --> 00:00:09.000
Lismia Elita: Selamat pagi Bapak Ibu sekalian.

2
00:00:09.000 --> 00:00:14.000
Rendra S - Kemnaker: Terima kasih, kami paparkan data penempatan.
"""


def tampered(token: str) -> str:
    """The same token with its last character changed: a forged link."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _meeting(organizer, title: str, first: date, secretaries=()) -> Meeting:
    m = MeetingFactory(
        title=title,
        organizers=[organizer],
        secretaries=list(secretaries),
        status=Meeting.Status.PUBLISHED,
        mode=Meeting.Mode.HYBRID,
    )
    day1 = MeetingDayFactory(meeting=m, date=first, start_time=time(9), end_time=time(15))
    MeetingDayFactory(meeting=m, date=first + timedelta(days=1), start_time=time(9), end_time=time(12))
    AgendaItemFactory(day=day1, start_time=time(9), end_time=time(10), title="Pembukaan", order=1)
    AgendaItemFactory(day=day1, start_time=time(10), end_time=time(12), title="Paparan", order=2)
    m.refresh_from_db()
    return m


def _register(meeting, n: int, organization=None, organization_name="") -> Registration:
    outcome = reg.register(
        meeting,
        full_name=f"Peserta {n}",
        email=f"peserta{n}@example.go.id",
        mode=Registration.Mode.ONSITE,
        organization=organization,
        organization_name=organization_name,
        consent=True,
        check_window=False,
    )
    return outcome.registration


def build_world() -> dict:
    """Every object the matrix's URLs point at, as plain values (pks, codes, tokens)."""
    org_a = OrganizerFactory(email="org.a@example.test", full_name="Lismia Elita")
    org_b = OrganizerFactory(email="org.b@example.test", full_name="Penyelenggara Lain")
    sec_b = UserFactory(email="sec.b@example.test", full_name="Sekretaris Rapat Lain")
    analyst = UserFactory(email="analis@example.test", full_name="Analis Kebijakan", is_policy_analyst=True)
    admin = UserFactory(
        email="admin@example.test",
        full_name="Admin Situs",
        is_staff=True,
        is_superuser=True,
        can_organize=True,
    )
    x = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    y = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    speaker = PersonFactory(full_name="Rendra S", organization=x)

    a = _meeting(org_a, "FGD Pengawasan P3MI", date(2031, 9, 22))
    b = _meeting(org_b, "Rakor Pelindungan ABK", date(2031, 10, 6), secretaries=[sec_b])
    draft_meeting = MeetingFactory(
        title="Rapat Draf Tertutup", organizers=[org_a], status=Meeting.Status.DRAFT
    )
    MeetingDayFactory(meeting=draft_meeting, date=date(2031, 11, 3))
    a_day1, a_day2 = list(a.days.order_by("date"))
    a_item = a_day1.items.order_by("order").first()
    host = MeetingHostFactory(meeting=a, organization=x)
    role = AgendaRoleFactory(agenda_item=a_item, person=speaker)
    OnlineRoomFactory(meeting=a)

    reg_a1 = _register(a, 1, organization=x)
    reg_a2 = _register(a, 2, organization=y)
    reg_b1 = _register(b, 3)
    # An organization typed on the form, not in the directory: the organizer resolves it.
    _register(a, 4, organization_name="Disnaker Kab. Cirebon")
    Registration.objects.filter(pk__in=[reg_a1.pk, reg_a2.pk, reg_b1.pk]).update(
        state=Registration.State.CONFIRMED
    )
    attendance = Attendance.objects.create(registration=reg_a1, day=a_day1, first_seen_at=timezone.now())

    inv_x = inv.invite(a, actor=org_a, organization=x, quota=3, focal_point_email="undangan@kemnaker.test")
    inv_y = inv.invite(a, actor=org_a, organization=y, quota=3, focal_point_email="undangan@kemlu.test")
    nom_x = inv.nominate(
        inv_x, full_name="Delegasi X", email="delegasi.x@kemnaker.test", mode="onsite", authorised=True
    )
    nom_y = inv.nominate(
        inv_y, full_name="Delegasi Y", email="delegasi.y@kemlu.test", mode="onsite", authorised=True
    )

    # Minutes of A: version 1 approved and published to the public, version 2 an open correction.
    v1 = prepare_minutes(a, author=org_a)
    section1 = v1.sections.filter(kind=Section.Kind.ITEM).first()
    point_services.add_point(section1, author=org_a, text="Pengawasan P3MI perlu diperkuat.")
    rec_x = rec_services.add_recommendation(
        v1, author=org_a, text="Perkuat pengawasan P3MI", addressed_to=[x]
    )
    rec_y = rec_services.add_recommendation(v1, author=org_a, text="Satu data awak kapal", addressed_to=[y])
    rec_services.add_action(v1, author=org_a, text="Susun SOP rujukan kasus")
    workflow.submit(v1, by=org_a)
    workflow.approve(Minutes.objects.get(pk=v1.pk), by=org_a)
    workflow.publish(Minutes.objects.get(pk=v1.pk), by=org_a, audience=Minutes.Audience.PUBLIC)
    v2 = workflow.correct(Minutes.objects.get(pk=v1.pk), by=org_a, reason="Salah ketik nama narasumber")
    section2 = v2.sections.filter(kind=Section.Kind.ITEM).order_by("pk").first()
    point2 = v2.sections.filter(points__isnull=False).first().points.first()
    rec2 = v2.recommendations.order_by("pk").first()
    # Only in the open correction: its organizer sees it, analysts and focal points do not (yet).
    rec_draft = rec_services.add_recommendation(
        v2, author=org_a, text="Rahasia draf koreksi", addressed_to=[x]
    )
    action2 = v2.actions.order_by("pk").first()
    transcript = import_transcript(
        v2, SimpleUploadedFile("rapat.vtt", VTT.encode()), author=org_a, day=a_day1
    ).transcript
    draft_point = transcript.drafts.order_by("pk").first()
    zoom_transcript = ZoomTranscript.objects.create(
        meeting=a, zoom_file_id="zoom-file-1", recording_start=timezone.now() - timedelta(days=1)
    )

    # Policy: a focal point for each organization; the one of Y has a verified account.
    fp_x = focal_points.add_focal_point(
        organization=x,
        name="Budi Santoso",
        email="budi@kemnaker.test",
        language="id",
        user=analyst,
        send=False,
    )
    fp_y = focal_points.add_focal_point(
        organization=y, name="Sari Kemlu", email="sari@kemlu.test", language="id", user=analyst, send=False
    )
    fp_y_user = UserFactory(email="sari@kemlu.test", full_name="Sari Kemlu")
    EmailAddress.objects.create(user=fp_y_user, email="sari@kemlu.test", verified=True, primary=True)
    upload = SimpleUploadedFile("Permenaker 2022.pdf", PDF, content_type="application/pdf")
    evidence = record_follow_up(
        rec_x,
        state="accepted",
        note="Diterima untuk ditindaklanjuti",
        happened_on=timezone.localdate(),
        evidence=(upload, uploads.check_document(upload, max_bytes=1_000_000)),
        focal_point=fp_x,
    )
    brief = briefs.create_brief(analyst, "Masukan kebijakan pengawasan P3MI", "id", [str(rec_x.key)])

    def token(kind, pk, version=1):
        return make_token(kind, pk, version)

    world = {
        "users": {
            "org_a": org_a.pk,
            "org_b": org_b.pk,
            "sec_b": sec_b.pk,
            "analyst": analyst.pk,
            "admin": admin.pk,
            "fp_y_user": fp_y_user.pk,
        },
        "code": a.code,
        "code_b": b.code,
        "day": a_day1.pk,
        "day2": a_day2.pk,
        "item": a_item.pk,
        "host": host.pk,
        "role": role.pk,
        "org": x.pk,
        "person": speaker.pk,
        "reg": reg_a1.pk,
        "reg_code": reg_a1.code,
        "reg_token": reg_a1.urls.token,
        "reg2_token": reg_a2.urls.token,
        "reg_b_code": reg_b1.code,
        "reg_b_token": reg_b1.urls.token,
        "attendance": attendance.pk,
        "inv": inv_x.pk,
        "inv_token": inv_x.urls.token,
        "inv_y": inv_y.pk,
        "inv_y_token": inv_y.urls.token,
        "nom": nom_x.pk,
        "nom_token": nom_x.urls.token,
        "nom_y": nom_y.pk,
        "nom_y_token": nom_y.urls.token,
        "v1": v1.version,
        "v2": v2.version,
        "section": section2.pk,
        "point": point2.pk,
        "rec": rec2.pk,
        "action": action2.pk,
        "transcript": transcript.pk,
        "draft": draft_point.pk,
        "zoom_transcript": zoom_transcript.pk,
        "key_x": str(rec_x.key),
        "key_y": str(rec_y.key),
        "key_draft": str(rec_draft.key),
        "code_draft": draft_meeting.code,
        "fp": fp_x.pk,
        "fp_token": fp_x.urls.token,
        "fp_y": fp_y.pk,
        "fp_y_token": fp_y.urls.token,
        "evidence": evidence.pk,
        "brief": brief.pk,
        "calendar_token": token("calendar", org_a.pk),
        "calendar_b_token": token("calendar", org_b.pk),
    }
    from tests import permission_rows

    objects = {
        "a": a,
        "b": b,
        "org_a": org_a,
        "org_b": org_b,
        "sec_b": sec_b,
        "analyst": analyst,
        "admin": admin,
        "x": x,
        "y": y,
        "reg_a1": reg_a1,
        "reg_a2": reg_a2,
        "reg_b1": reg_b1,
        "a_day1": a_day1,
        "a_item": a_item,
    }
    permission_rows.build(world, objects)
    return world


def fingerprint() -> tuple:
    """What a refused POST must leave as it was: the audit log, the outbox, the task queue and the
    state of every row a view of the matrix changes."""
    from django.apps import apps

    def values(label: str, *fields: str) -> list:
        return list(apps.get_model(label).objects.order_by("pk").values_list("pk", *fields))

    return (
        values("core.AuditEntry"),
        values("core.OutgoingEmail"),
        values("django_tasks_database.DBTaskResult"),
        values("accounts.User", "calendar_token_version", "full_name"),
        values("directory.Organization", "name"),
        values("directory.Person", "full_name"),
        values("meetings.Meeting", "status", "title", "starts_on", "ends_on"),
        values("meetings.MeetingDay", "date", "start_time"),
        values("meetings.AgendaItem", "order", "title", "start_time"),
        values("meetings.MeetingHost"),
        values("meetings.AgendaRole"),
        values("meetings.OnlineRoom", "join_url", "state"),
        values("meetings.ZoomWebhookEvent"),
        values("participants.AgencyInvitation", "state", "quota", "token_version", "nomination_deadline"),
        values("participants.Nomination", "state"),
        values("participants.Registration", "state", "mode", "token_version"),
        values("participants.Attendance"),
        values("participants.Announcement"),
        values("minutes.Minutes", "state", "audience", "revision"),
        values("minutes.Section", "revision"),
        values("minutes.Point", "text", "revision"),
        values("minutes.Recommendation", "text", "revision"),
        values("minutes.ActionItem", "text", "state", "revision"),
        values("minutes.Revision"),
        values("minutes.DraftPoint", "state", "text"),
        values("minutes.TranscriptImport"),
        values("minutes.ZoomTranscript"),
        values("policy.Tracking", "state", "due_on", "merged_into"),
        values("policy.FollowUp"),
        values("policy.FocalPoint", "active", "token_version"),
        values("policy.PolicyBrief"),
        values("policy.PolicyBriefVersion"),
    )
