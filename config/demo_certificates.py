"""Demo certificates of attendance: the 2021 FGD's attendees have theirs (one revoked: issued to
the wrong person by mistake), signed by the directorate's head; run again, it changes nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from meetings.models import Meeting
from participants.models import Certificate
from participants.services import certificates

SIGNER_NAME = "Dr. Rinardi, S.H., M.H."
SIGNER_POSITION = "Direktur Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika"
REVOKED_REASON = "Diterbitkan untuk peserta yang salah; diganti."
ISSUED_AT = datetime(2021, 9, 22, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def fgd_certificates(title: str, *, organizer) -> int:
    """Issue the FGD's certificates (once) and revoke the last one; returns how many exist."""
    meeting = Meeting.objects.get(title=title)
    if not Certificate.objects.filter(meeting=meeting).exists():
        certificates.save_settings(
            meeting,
            actor=organizer,
            min_online_minutes=60,
            signer_name=SIGNER_NAME,
            signer_position=SIGNER_POSITION,
        )
        certificates.issue_all(meeting, actor=organizer, at=ISSUED_AT)
    last = Certificate.objects.filter(meeting=meeting).order_by("-sequence").first()
    if last is not None and not last.is_revoked:
        certificates.revoke(last, actor=organizer, reason=REVOKED_REASON)
    return Certificate.objects.filter(meeting=meeting).count()
