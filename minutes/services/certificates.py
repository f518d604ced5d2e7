"""Sending certificates of attendance by email, on the organizer's request (the certificates
themselves are participants'; the .docx is built here, in minutes.documents.certificate)."""

from __future__ import annotations

from django.db import transaction

from meetings.models import Meeting
from participants.models import Certificate
from participants.services import certificates as certificate_services

from .. import notifications


@transaction.atomic
def send(meeting: Meeting, *, actor, ids: list[int] | None = None) -> int:
    """Queue each valid certificate of the meeting (or those of `ids`) to its holder; returns how
    many were queued. Revoked certificates and purged holders are never sent."""
    meeting = Meeting.objects.lock(meeting.pk)
    certificates = (
        Certificate.objects.filter(meeting=meeting, revoked_at__isnull=True)
        .exclude(registration__email="")
        .exclude(registration__full_name="")
        .select_related("registration")
        .order_by("sequence")
    )
    if ids is not None:
        certificates = certificates.filter(pk__in=ids)
    certificates = list(certificates)
    for certificate in certificates:
        certificate.meeting = meeting
        notifications.notify_certificate(certificate)
    certificate_services.mark_sent(certificates, actor=actor)
    return len(certificates)
