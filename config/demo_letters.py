"""Demo data of the invitation letters: the 2021 FGD's Surat Undangan, numbered as the official
one (B.1520/DITPP-ASAF/IX/2021 of 13 September 2021), addressed to every invited agency with the
list attached, signed by the Director and sent. Idempotent: a meeting with a letter is left alone.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from meetings.models import Meeting
from minutes.models import InvitationLetter
from minutes.services import letters

LETTER_DATE = date(2021, 9, 13)
PATTERN = "B.{seq}/{unit}/{month_roman}/{year}"
UNIT = "DITPP-ASAF"
SEQUENCE = 1520
HAL = "Undangan Focus Group Discussion (FGD) Pengawasan P3MI"
OPENING = (
    "Dalam rangka peningkatan sinergi dan koordinasi multi stakeholder melalui pengawasan "
    "Perusahaan Penempatan Pekerja Migran Indonesia (P3MI), dengan hormat kami mengundang "
    "Bapak/Ibu atau pejabat yang ditunjuk untuk menghadiri Focus Group Discussion (FGD) yang akan "
    "diselenggarakan secara hibrida pada:"
)
CLOSING = (
    "Mengingat pentingnya acara tersebut, kami mohon kehadiran Bapak/Ibu tepat pada waktunya. "
    "Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."
)
TEMBUSAN = [
    "Kepala Badan Pelindungan Pekerja Migran Indonesia",
    "Plh. Deputi Penempatan dan Pelindungan Kawasan Asia dan Afrika",
]


def fgd_letter(meeting_title: str, *, organizer) -> InvitationLetter | None:
    """The FGD's sent letter (made once)."""
    meeting = Meeting.objects.filter(title=meeting_title).first()
    if meeting is None:
        return None
    existing = InvitationLetter.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        letters.save_numbering(
            meeting,
            by=organizer,
            pattern=PATTERN,
            unit_code=UNIT,
            year=LETTER_DATE.year,
            next_sequence=SEQUENCE,
        )
        [letter] = letters.draft_letters(
            meeting, by=organizer, addressing=InvitationLetter.Addressing.LIST, letter_date=LETTER_DATE
        )
        letter = letters.update_letter(
            letter,
            by=organizer,
            version=letter.version,
            place="Jakarta",
            sifat="Segera",
            hal=HAL,
            opening=OPENING,
            closing=CLOSING,
            signer_name="Lismia Elita",
            signer_position="Direktur Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika",
            tembusan=TEMBUSAN,
        )
        # The invitations went out in 2021: no email now.
        letters.send_letter(letter, by=organizer, email_agencies=False)
    return InvitationLetter.objects.get(pk=letter.pk)
