"""Purging the personal data of meetings closed long ago, keeping what is needed for counts.

What goes: each registration's name, position, email (replaced by a unique placeholder, since
the field is required and unique per meeting), phone, user link, personal join link and public
listing; the focal points' names and emails of agency invitations, and what they typed about
their delegates; every email written to these
people (names, private links, QR codes), whatever its state, with the task results that sent
them; and every trace of them in the audit log: the entries about a registration or an
invitation keep only the keys known to hold no personal data (state, mode, seats, codes), and
every entry of the meeting loses the names, emails and phones of its participants and focal
points wherever they appear (an announcement's subject, say). What stays: mode, state, source,
organization (the directory's, or the name as typed: an agency is not a person), timestamps,
consent time, every attendance row, so the meeting's counts per day and agency stay exact, and
the meeting's staff (user accounts, not participants) in its own entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from core import audit, mail
from core.models import AuditEntry, OutgoingEmail
from meetings.models import Meeting

from .. import signals
from ..models import AgencyInvitation, Nomination, Registration, ZoomAttendanceRow, ZoomMatch

PLACEHOLDER_DOMAIN = "purged.invalid"  # RFC 2606: never a real mailbox
# What the audit entries of a registration or an invitation may keep after the purge; any other
# key's text goes (a new key is personal until it is listed here).
REGISTRATION_AUDIT_KEYS = frozenset(
    {
        "state",
        "old_state",
        "new_state",
        "mode",
        "old_mode",
        "new_mode",
        "source",
        "over_capacity",
        "listed",
        "invitation",
        "day",
        "typed",
        "organization",
        "organization_name",
    }
)
INVITATION_AUDIT_KEYS = frozenset(
    {
        "organization",
        "quota",
        "old_quota",
        "new_quota",
        "old_state",
        "delegates_kept",
        "reminder_count",
        "registration",
        "old_registration",
        "nomination",
    }
)


@dataclass
class PurgeReport:
    registrations: int = 0
    invitations: int = 0
    emails: int = 0
    audit_entries: int = 0

    @property
    def empty(self) -> bool:
        return not (self.registrations or self.invitations or self.emails or self.audit_entries)


def due_meetings(days: int, today: date | None = None) -> QuerySet[Meeting]:
    """Closed meetings whose last day is more than `days` days ago."""
    today = today or timezone.localdate()
    return Meeting.objects.filter(
        status=Meeting.Status.CLOSED, ends_on__lt=today - timedelta(days=days)
    ).order_by("ends_on", "pk")


def _placeholder(prefix: str):
    """purged-<id>@purged.invalid, computed by the database for every row of an update."""
    return Concat(Value(f"{prefix}-"), Cast("pk", CharField()), Value(f"@{PLACEHOLDER_DOMAIN}"))


def _registrations(meeting: Meeting) -> QuerySet[Registration]:
    purged = Q(
        email__endswith=f"@{PLACEHOLDER_DOMAIN}",
        full_name="",
        position="",
        phone="",
        user__isnull=True,
        personal_join_url="",
        public_listing=False,
    )
    return Registration.objects.filter(meeting=meeting).exclude(purged)


def _invitations(meeting: Meeting) -> QuerySet[AgencyInvitation]:
    purged = Q(focal_point_email__endswith=f"@{PLACEHOLDER_DOMAIN}", focal_point_name="")
    return AgencyInvitation.objects.filter(meeting=meeting).exclude(purged)


def _emails(meeting: Meeting) -> QuerySet[OutgoingEmail]:
    """Every email of the meeting; a task still to send one finds it gone and does nothing."""
    return OutgoingEmail.objects.filter(group=f"meeting:{meeting.pk}")


def _personal_values(meeting: Meeting) -> set[str]:
    """The names, emails and phones of the meeting's participants and focal points, as stored now."""
    values = set()
    for row in Registration.objects.filter(meeting=meeting).values_list("full_name", "email", "phone"):
        values.update(row)
    for row in AgencyInvitation.objects.filter(meeting=meeting).values_list(
        "focal_point_name", "focal_point_email"
    ):
        values.update(row)
    for row in Nomination.objects.filter(invitation__meeting=meeting).values_list(
        "full_name", "email", "phone"
    ):
        values.update(row)
    return {value for value in values if value and not value.endswith(f"@{PLACEHOLDER_DOMAIN}")}


def _scrub_audit(meeting: Meeting, values: set[str], *, dry_run: bool = False) -> int:
    """Scrub the meeting's audit entries: those about its registrations and invitations keep
    only their known keys and lose every email address; its own entries lose `values`."""

    def about(model, ids) -> QuerySet[AuditEntry]:
        return AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
        )

    registration_ids = Registration.objects.filter(meeting=meeting).values_list("pk", flat=True)
    invitation_ids = AgencyInvitation.objects.filter(meeting=meeting).values_list("pk", flat=True)
    return (
        audit.scrub(
            about(Registration, registration_ids),
            values=values,
            keep_keys=REGISTRATION_AUDIT_KEYS,
            dry_run=dry_run,
        )
        + audit.scrub(
            about(AgencyInvitation, invitation_ids),
            values=values,
            keep_keys=INVITATION_AUDIT_KEYS,
            dry_run=dry_run,
        )
        # The meeting's own entries name its staff (accounts, not participants): only the
        # participants' values go.
        + audit.scrub(about(Meeting, [meeting.pk]), values=values, addresses=False, dry_run=dry_run)
    )


def plan(meeting: Meeting) -> PurgeReport:
    """What purge_meeting would remove now (nothing once it has run)."""
    return PurgeReport(
        registrations=_registrations(meeting).count(),
        invitations=_invitations(meeting).count(),
        emails=_emails(meeting).count(),
        audit_entries=_scrub_audit(meeting, _personal_values(meeting), dry_run=True),
    )


@transaction.atomic
def purge_meeting(meeting: Meeting, *, actor=None) -> int:
    """Remove the personal data of a meeting's participants; returns the registrations purged.

    Idempotent: a second run finds nothing left and writes nothing, not even an audit entry.
    """
    meeting = Meeting.objects.lock(meeting.pk)
    registration_ids = list(Registration.objects.filter(meeting=meeting).values_list("pk", flat=True))
    personal = _personal_values(meeting)
    # Counted before the registrations' names leave the entries' object names below.
    report = PurgeReport(audit_entries=_scrub_audit(meeting, personal, dry_run=True))
    report.registrations = _registrations(meeting).update(
        full_name="",
        position="",
        email=_placeholder("purged"),
        phone="",
        user=None,
        personal_join_url="",
        public_listing=False,
        updated_at=timezone.now(),
    )
    report.invitations = _invitations(meeting).update(
        focal_point_name="", focal_point_email=_placeholder("purged-invitation")
    )
    # What focal points typed about their delegates goes with the registrations.
    Nomination.objects.filter(invitation__meeting=meeting).exclude(
        email__endswith=f"@{PLACEHOLDER_DOMAIN}", full_name=""
    ).update(full_name="", position="", phone="", email=_placeholder("purged-nomination"))
    report.emails = mail.delete_emails(_emails(meeting))
    # Zoom's report rows hold the names and addresses people used in Zoom; the attendances made
    # from them stay (as the on-site ones do). The registrant ids go: they name people at Zoom.
    ZoomAttendanceRow.objects.filter(meeting=meeting).delete()
    ZoomMatch.objects.filter(meeting=meeting).delete()
    Registration.objects.filter(meeting=meeting).exclude(zoom_registrant_id="").update(zoom_registrant_id="")
    # The audit log named each registration ("<name> (<code>)"); keep the code only.
    code = Registration.objects.filter(pk=Cast(OuterRef("object_id"), IntegerField())).values("code")[:1]
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration),
        object_id__in=[str(pk) for pk in registration_ids],
    ).exclude(object_repr__startswith=" (").update(
        object_repr=Concat(Value(" ("), Subquery(code), Value(")"))
    )
    _scrub_audit(meeting, personal)
    signals.meeting_purged.send(sender=Meeting, meeting=meeting)
    if not report.empty:
        audit.record(
            meeting,
            "meeting.personal_data_purged",
            actor,
            registrations=report.registrations,
            invitations=report.invitations,
            emails=report.emails,
            audit_entries=report.audit_entries,
        )
    return report.registrations
