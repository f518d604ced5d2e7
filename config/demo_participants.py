"""Demo participants: agency invitations, delegates, registrations and check-ins for seed_demo.

Everything goes through the services, so seats, quotas and the audit log behave as in real use.
The people are invented (names from a fixed list, addresses under example.test).
"""

from __future__ import annotations

from datetime import timedelta
from itertools import cycle

from core.models import OutgoingEmail
from directory.models import Organization
from meetings.models import Meeting
from participants.models import Registration
from participants.services import attendance, invitations
from participants.services import registration as registrations

FIRST = ["Agus", "Siti", "Budi", "Dewi", "Rizky", "Ayu", "Hendra", "Nur", "Yohanes", "Made", "Fitri", "Andi"]
LAST = [
    "Saputra",
    "Rahmawati",
    "Santoso",
    "Lestari",
    "Pratama",
    "Wulandari",
    "Siregar",
    "Hasibuan",
    "Kurniawan",
]
POSITIONS = ["Analis Pengaduan", "Pengantar Kerja Ahli Muda", "Kepala Seksi Pelindungan", "Staf Pelayanan"]


def _people(prefix: str, count: int):
    """Deterministic invented people: (name, email, position)."""
    names = cycle((f, last) for last in LAST for f in FIRST)
    positions = cycle(POSITIONS)
    for n in range(count):
        first, last = next(names)
        yield f"{first} {last}", f"{prefix}.{first}.{last}.{n}@example.test".lower(), next(positions)


def _slug(org: Organization) -> str:
    return "".join(ch for ch in (org.acronym or org.name).lower() if ch.isalnum())[:20]


def fgd_participants(
    meeting: Meeting, *, ministries: list[Organization], units: list[Organization], host, actor
):
    """The 2021 FGD: the ministries and 23 units invited with quotas, delegates online, hosts on-site.

    Call while the meeting is published; check_ins() runs after it is marked held.
    """
    for org in ministries + units:
        # Every third unit sends one delegate, by its place in the list (never by its id, which
        # depends on what the database held before).
        invitation = invitations.invite(
            meeting,
            actor=actor,
            organization=org,
            quota=3 if org in ministries else 2,
            focal_point_email=f"narahubung@{_slug(org)}.example.test",
            focal_point_name=f"Narahubung {org.acronym or org.name}",
        )
        delegates = 2 if org in ministries else (1 if units.index(org) % 3 == 1 else 2)
        for name, email, position in _people(_slug(org), delegates):
            outcome = registrations.register(
                meeting,
                full_name=name,
                email=email,
                position=position,
                organization=org,
                mode=Registration.Mode.ONLINE,
                consent=True,
                source=Registration.Source.AGENCY,
                invitation=invitation,
                actor=actor,
                check_window=False,
            )
            invitations.record_delegate(invitation, outcome.registration, actor=actor)
        # The past meeting's nomination window is over, so the focal points' answers are
        # recorded here rather than through `nominate` (which refuses after the meeting).
        invitations.mark_responded(invitation, actor=actor)
    for name, email, position in _people("bp2mi", 24):
        registrations.register(
            meeting,
            full_name=name,
            email=email,
            position=position,
            organization=host,
            mode=Registration.Mode.ONSITE,
            consent=True,
            source=Registration.Source.ORGANIZER,
            actor=actor,
            check_window=False,
        )


def check_ins(meeting: Meeting, *, actor) -> None:
    """Attendance of a held meeting: on-site check-ins for both days (a few no-shows on the
    second), and the online delegates ticked on the online-attendance page (a few missing)."""
    days = list(meeting.days.order_by("date"))
    confirmed = Registration.objects.filter(meeting=meeting, state=Registration.State.CONFIRMED).order_by(
        "id"
    )
    for index, registration in enumerate(confirmed.filter(mode=Registration.Mode.ONSITE)):
        for number, day in enumerate(days):
            if number and index % 5 == 4:
                continue
            # Recorded as it happened: people arriving in the half hour before the opening.
            at = day.starts_at() - timedelta(minutes=30) + timedelta(minutes=index % 30)
            attendance.check_in(registration, day, actor=actor, at=at)
    for index, registration in enumerate(confirmed.filter(mode=Registration.Mode.ONLINE)):
        for number, day in enumerate(days):
            if index % 11 == 10 or (number and index % 6 == 5):
                continue
            at = day.starts_at() + timedelta(minutes=index % 15)
            attendance.record_online(registration, day, actor=actor, source="manual", joined_at=at)


def upcoming_participants(
    meeting: Meeting,
    *,
    invited: list[Organization],
    actor,
    quota: int = 2,
    waiting: int = 0,
    pending: int = 0,
) -> None:
    """An upcoming meeting: agencies invited with a nomination deadline (`quota` seats each: more
    than the meeting holds shows the organizers' warning), six people registered, and `waiting`
    more on-site after them (on the waiting list where the on-site seats are taken).

    On a moderated meeting the organizer has approved those, and `pending` later registrations
    still await approval. The first agency's focal point has nominated one of the six, who is
    asked by email to accept (its page shows only what the focal point typed); the other agencies
    have not answered yet."""
    sent = []
    for org in invited:
        sent.append(
            invitations.invite(
                meeting,
                actor=actor,
                organization=org,
                quota=quota,
                focal_point_email=f"narahubung@{_slug(org)}.example.test",
                focal_point_name=f"Narahubung {org.acronym or org.name}",
                # Nominations close with the public registration; the reminder comes before.
                nomination_deadline=meeting.registration_closes_at,
            )
        )
    modes = registrations.allowed_modes(meeting)
    people = list(_people(meeting.code, 6))
    for number, (name, email, position) in enumerate(people):
        registrations.register(
            meeting,
            full_name=name,
            email=email,
            position=position,
            organization_name="Dinas Tenaga Kerja Provinsi" if number % 3 == 0 else "",
            organization=None if number % 3 == 0 else invited[number % len(invited)] if invited else None,
            mode=modes[number % len(modes)],
            consent=True,
            actor=actor,
            check_window=False,
        )
    for name, email, position in list(_people(meeting.code, 6 + waiting))[6:]:
        registrations.register(
            meeting,
            full_name=name,
            email=email,
            position=position,
            organization_name="Dinas Tenaga Kerja Provinsi",
            mode=Registration.Mode.ONSITE,
            consent=True,
            actor=actor,
            check_window=False,
        )
    if meeting.moderation:
        for registration in meeting.registrations.filter(state=Registration.State.PENDING).order_by("id"):
            registrations.approve(registration, actor=actor)
    for name, email, position in list(_people(meeting.code, 6 + waiting + pending))[6 + waiting :]:
        registrations.register(
            meeting,
            full_name=name,
            email=email,
            position=position,
            organization_name="Dinas Tenaga Kerja Provinsi",
            mode=Registration.Mode.ONLINE,
            consent=True,
            actor=actor,
            check_window=False,
        )
    if sent:
        name, email, position = people[2]
        invitations.nominate(
            sent[0],
            full_name=name.upper(),
            email=email,
            position="Delegasi",
            mode=modes[0],
            authorised=True,
        )


def drop_queued_emails(since_id: int) -> int:
    """Demo people are invented: the emails their registrations queued are not sent."""
    from django_tasks_db.models import DBTaskResult

    emails = OutgoingEmail.objects.filter(pk__gt=since_id, state=OutgoingEmail.State.QUEUED)
    ids = set(emails.values_list("pk", flat=True))
    tasks = DBTaskResult.objects.filter(task_path="core.tasks.send_outgoing_email", status="READY")
    DBTaskResult.objects.filter(
        pk__in=[t.pk for t in tasks if t.args_kwargs.get("args", [None])[0] in ids]
    ).delete()
    return emails.delete()[0]
