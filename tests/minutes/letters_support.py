"""Fixtures of the invitation-letter tests: a published meeting hosted by DITPP (under BP2MI),
with Kemnaker and Kemlu invited and an online room."""

import io
from datetime import date

import docx
import pytest

from minutes.models import InvitationLetter
from minutes.services import letters
from participants.services import invitations as inv
from tests.factories import MeetingHostFactory, OnlineRoomFactory, OrganizationFactory

LETTER_DATE = date(2031, 9, 13)


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture
def agencies(db):
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    ditpp = OrganizationFactory(
        name="Direktorat Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika", acronym="DITPP", parent=bp2mi
    )
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    return {"bp2mi": bp2mi, "ditpp": ditpp, "kemnaker": kemnaker, "kemlu": kemlu}


@pytest.fixture
def hosted(published_meeting, agencies, organizer):
    """The published meeting of tests/conftest.py, organized by DITPP, Kemnaker and Kemlu invited."""
    meeting = published_meeting
    MeetingHostFactory(meeting=meeting, organization=agencies["ditpp"], role="organizer")
    MeetingHostFactory(meeting=meeting, organization=agencies["kemnaker"], role="co_host", order=1)
    type(meeting).objects.filter(pk=meeting.pk).update(
        venue_name="Kantor BP2MI",
        venue_room="Ruang Rapat Lantai 2",
        venue_address="Jl. MT Haryono Kav. 52, Jakarta Selatan",
    )
    meeting.refresh_from_db()
    OnlineRoomFactory(meeting=meeting, join_url="https://zoom.example.test/j/98765432100")
    for org, email in (
        (agencies["kemnaker"], "undangan@kemnaker.test"),
        (agencies["kemlu"], "undangan@kemlu.test"),
    ):
        inv.invite(meeting, actor=organizer, organization=org, quota=3, focal_point_email=email)
    return meeting


def draft(
    meeting, organizer, addressing=InvitationLetter.Addressing.AGENCY, **kwargs
) -> list[InvitationLetter]:
    return letters.draft_letters(
        meeting, by=organizer, addressing=addressing, letter_date=LETTER_DATE, **kwargs
    )


def ready_to_send(letter: InvitationLetter, organizer) -> InvitationLetter:
    return letters.update_letter(
        letter,
        by=organizer,
        version=letter.version,
        signer_name="Lismia Elita",
        signer_position="Direktur Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika",
        signer_nip="197001011990032001",
        tembusan=["Kepala BP2MI", "Deputi Penempatan dan Pelindungan Kawasan Asia dan Afrika"],
    )
