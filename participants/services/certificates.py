"""Certificates of attendance: who is eligible, issuing (idempotent), revoking, the settings.

Decisions taken here:
- Eligible: a confirmed registration with, on at least one day of the meeting, an on-site
  check-in, an online attendance an organizer recorded by hand (they vouch for it), or a Zoom
  attendance of at least the meeting's minimum minutes (`min_online_minutes`; exactly the
  minimum counts). Cancelled, declined, waiting and pending registrations are never eligible,
  whatever attendance rows they have.
- A registration has at most one certificate. Revoking keeps the row (its number stays taken,
  and the verification page says "revoked"); issuing for all eligible skips anyone who has a
  certificate, revoked ones included: a revocation is the organizer's decision and stays.
- Numbers are `{sequence}/SERT/{meeting code}/{year of issue}`, the sequence counting up per
  meeting under the meeting's row lock, so two organizers issuing at once never get the same
  number and a number is never reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit
from meetings.models import Meeting

from ..models import Attendance, Certificate, CertificateSettings, Registration

How = Attendance.How
NUMBER_FORMAT = "{sequence}/SERT/{code}/{year}"
# "20 September 2021": a certificate names dates without the weekday.
DATE = "j F Y"


class CertificateError(Exception):
    """A certificate action that cannot be done; the message is for the organizer."""


def settings_for(meeting: Meeting) -> CertificateSettings:
    """The meeting's certificate settings (unsaved defaults when none were saved yet)."""
    found = CertificateSettings.objects.filter(meeting=meeting).first()
    # By id: an unsaved row given the meeting itself would sit in the meeting's reverse cache.
    return found or CertificateSettings(meeting_id=meeting.pk)


def _attended(min_minutes: int):
    """Whether a registration has an attendance that earns a certificate."""
    counts = Q(how=How.ONSITE) | Q(how=How.ONLINE) | Q(how=How.ZOOM, minutes__gte=min_minutes)
    return Exists(Attendance.objects.filter(counts, registration=OuterRef("pk")))


def eligible(meeting: Meeting, min_minutes: int | None = None):
    """The registrations of the meeting that earn a certificate, by name."""
    if min_minutes is None:
        min_minutes = settings_for(meeting).min_online_minutes
    return (
        Registration.objects.filter(meeting=meeting, state=Registration.State.CONFIRMED)
        .filter(_attended(min_minutes))
        .select_related("organization")
        .order_by("full_name", "pk")
    )


def is_eligible(registration: Registration) -> bool:
    return eligible(registration.meeting).filter(pk=registration.pk).exists()


def number_for(meeting: Meeting, sequence: int, at: datetime) -> str:
    year = timezone.localtime(at, meeting.tz).year
    return NUMBER_FORMAT.format(sequence=sequence, code=meeting.code.upper(), year=year)


@dataclass
class Issued:
    created: list[Certificate]
    # Eligible people who had a certificate already (revoked ones included).
    existing: int


@transaction.atomic
def issue_all(meeting: Meeting, *, actor, at: datetime | None = None) -> Issued:
    """A certificate for every eligible registration without one; running it again adds only
    those who became eligible since."""
    meeting = Meeting.objects.lock(meeting.pk)
    at = at or timezone.now()
    people = list(
        eligible(meeting).annotate(
            has_certificate=Exists(Certificate.objects.filter(registration=OuterRef("pk")))
        )
    )
    last = Certificate.objects.filter(meeting=meeting).aggregate(last=Max("sequence"))["last"] or 0
    created = []
    for registration in people:
        if registration.has_certificate:
            continue
        last += 1
        created.append(
            Certificate.objects.create(
                meeting=meeting,
                registration=registration,
                sequence=last,
                number=number_for(meeting, last, at),
                issued_at=at,
                issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        )
    if created:
        audit.record(
            meeting,
            "certificate.issued",
            actor,
            count=len(created),
            numbers=[c.number for c in created[:50]],
        )
    return Issued(created, len(people) - len(created))


@transaction.atomic
def revoke(certificate: Certificate, *, actor, reason: str) -> Certificate:
    """Mark a certificate revoked (its number stays taken); revoking twice changes nothing."""
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise CertificateError(_("Say why the certificate is revoked."))
    Meeting.objects.lock(certificate.meeting_id)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        return certificate
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record(certificate.meeting, "certificate.revoked", actor, number=certificate.number, reason=reason)
    return certificate


@transaction.atomic
def mark_sent(certificates: list[Certificate], *, actor) -> None:
    """Note that these certificates were queued to their holders by email (minutes' service)."""
    if not certificates:
        return
    now = timezone.now()
    Certificate.objects.filter(pk__in=[c.pk for c in certificates]).update(emailed_at=now)
    audit.record(
        certificates[0].meeting,
        "certificate.sent",
        actor,
        count=len(certificates),
    )


@transaction.atomic
def save_settings(
    meeting: Meeting,
    *,
    actor,
    min_online_minutes: int,
    signer_name: str,
    signer_position: str,
) -> CertificateSettings:
    meeting = Meeting.objects.lock(meeting.pk)
    found, _created = CertificateSettings.objects.get_or_create(meeting=meeting)
    found.min_online_minutes = min_online_minutes
    found.signer_name = signer_name.strip()
    found.signer_position = signer_position.strip()
    found.save()
    audit.record(
        meeting,
        "certificate.settings_changed",
        actor,
        min_online_minutes=min_online_minutes,
        signer_name=found.signer_name,
    )
    return found


@transaction.atomic
def set_template(meeting: Meeting, *, actor, data: bytes, name: str) -> CertificateSettings:
    """Store an organizer's template (checked by the caller: minutes.documents.certificate), or
    remove it (empty `data`: back to the built-in layout)."""
    meeting = Meeting.objects.lock(meeting.pk)
    found, _created = CertificateSettings.objects.get_or_create(meeting=meeting)
    found.template = bytes(data)
    found.template_name = name if data else ""
    found.save()
    audit.record(meeting, "certificate.template_changed", actor, template=found.template_name)
    return found


def template_bytes(settings: CertificateSettings) -> bytes:
    return bytes(settings.template or b"")


# Reading ------------------------------------------------------------------------------------


def dates_text(meeting: Meeting) -> str:
    """The meeting's dates as a certificate says them: "20–21 September 2021" for days that
    follow each other in one month, else each date, separated by commas."""
    dates = sorted(meeting.days.values_list("date", flat=True))
    if not dates:
        return ""
    if len(dates) == 1:
        return formats.date_format(dates[0], DATE)
    first, last = dates[0], dates[-1]
    consecutive = all((b - a).days == 1 for a, b in zip(dates, dates[1:], strict=False))
    if consecutive and (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{formats.date_format(last, DATE)}"
    return ", ".join(formats.date_format(d, DATE) for d in dates)


def for_verification(code: str) -> Certificate | None:
    """The certificate a QR link names; None for anything else (no hint what exists)."""
    if not code or len(code) > 40:
        return None
    return (
        Certificate.objects.select_related("registration", "meeting").filter(verification_code=code).first()
    )


def of_meeting(meeting: Meeting):
    return Certificate.objects.filter(meeting=meeting).select_related("registration__organization")


def for_registration(registration: Registration) -> Certificate | None:
    return Certificate.objects.filter(registration=registration, revoked_at__isnull=True).first()
