"""Purging the personal data of meetings closed long ago, keeping what is needed for counts.

What goes: each registration's name, position, email (replaced by a unique placeholder, since
the field is required and unique per meeting), phone, user link, personal join link and public
listing; the focal points' names and emails of agency invitations; the audit log's copy of each
registration's name; and the sent or failed emails written to these people (names, private
links, QR codes). What stays: mode, state, source, organization (the directory's, or the name as
typed: an agency is not a person), timestamps, consent time, and every attendance row, so the
meeting's counts per day and agency stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEntry, OutgoingEmail
from meetings.models import Meeting

from ..models import AgencyInvitation, Registration

PLACEHOLDER_DOMAIN = "purged.invalid"  # RFC 2606: never a real mailbox
ID_CHUNK = 500


@dataclass
class PurgeReport:
    registrations: int = 0
    invitations: int = 0
    emails: int = 0

    @property
    def empty(self) -> bool:
        return not (self.registrations or self.invitations or self.emails)


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
    """The meeting's sent or failed emails; a queued one is left to its task, which drops it."""
    return OutgoingEmail.objects.filter(group=f"meeting:{meeting.pk}").exclude(
        state=OutgoingEmail.State.QUEUED
    )


def plan(meeting: Meeting) -> PurgeReport:
    """What purge_meeting would remove now (nothing once it has run)."""
    return PurgeReport(
        registrations=_registrations(meeting).count(),
        invitations=_invitations(meeting).count(),
        emails=_emails(meeting).count(),
    )


@transaction.atomic
def purge_meeting(meeting: Meeting, *, actor=None) -> int:
    """Remove the personal data of a meeting's participants; returns the registrations purged.

    Idempotent: a second run finds nothing left and writes nothing, not even an audit entry.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    registration_ids = list(Registration.objects.filter(meeting=meeting).values_list("pk", flat=True))
    report = PurgeReport()
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
    report.emails, _rows = _emails(meeting).delete()
    # The audit log named each registration ("<name> (<code>)"); keep the code only.
    code = Registration.objects.filter(pk=Cast(OuterRef("object_id"), IntegerField())).values("code")[:1]
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration),
        object_id__in=[str(pk) for pk in registration_ids],
    ).exclude(object_repr__startswith=" (").update(
        object_repr=Concat(Value(" ("), Subquery(code), Value(")"))
    )
    if not report.empty:
        audit.record(
            meeting,
            "meeting.personal_data_purged",
            actor,
            registrations=report.registrations,
            invitations=report.invitations,
            emails=report.emails,
        )
    return report.registrations
