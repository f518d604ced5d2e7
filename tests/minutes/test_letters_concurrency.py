"""Letter numbers under concurrent drafting, on PostgreSQL (real row locks, one connection per
thread): letters drafted at the same moment for meetings of one organizing agency never share a
number, and the running numbers have no gap."""

from datetime import date

import pytest

from meetings.models import Meeting
from minutes.models import InvitationLetter, LetterCounter, LetterNumber
from minutes.services import letters
from participants.services import invitations as inv
from tests.factories import MeetingFactory, MeetingHostFactory, OrganizationFactory
from tests.participants.conftest import postgres_only, run_at_once  # noqa: F401 (fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
MEETINGS = 6


def draft_all(meeting_pk: int, organizer_pk: int) -> list[str]:
    from accounts.models import User

    meeting = Meeting.objects.get(pk=meeting_pk)
    made = letters.draft_letters(
        meeting,
        by=User.objects.get(pk=organizer_pk),
        addressing=InvitationLetter.Addressing.AGENCY,
        letter_date=date(2031, 9, 13),
    )
    return [letter.number for letter in made]


def test_simultaneous_drafts_never_share_a_number(postgres_only, organizer):  # noqa: F811
    ditpp = OrganizationFactory(name="Direktorat PP Kawasan Asia dan Afrika", acronym="DITPP")
    invited = [OrganizationFactory(name=f"Instansi {n}") for n in range(3)]
    meetings = []
    for n in range(MEETINGS):
        meeting = MeetingFactory(title=f"Rapat {n}", organizers=[organizer], status=Meeting.Status.PUBLISHED)
        MeetingHostFactory(meeting=meeting, organization=ditpp, role="organizer")
        for org in invited:
            inv.invite(
                meeting, actor=organizer, organization=org, quota=1, focal_point_email=f"x{n}@{org.pk}.test"
            )
        meetings.append(meeting)

    # Every meeting drafted twice at once: the second call per meeting finds the letters made.
    outcome = run_at_once(draft_all, [(m.pk, organizer.pk) for m in meetings for _ in range(2)])

    refused = [e for e in outcome.errors if e is not None]
    assert all("sudah memiliki suratnya" in " ".join(e.messages) for e in refused)
    assert len(refused) == MEETINGS
    numbers = [number for result in outcome.results if result for number in result]
    total = MEETINGS * len(invited)
    assert len(numbers) == total
    assert sorted(numbers, key=lambda n: int(n.split("/")[0])) == [
        f"{seq}/UND/DITPP/IX/2031" for seq in range(1, total + 1)
    ]
    assert InvitationLetter.objects.count() == total
    assert LetterNumber.objects.count() == total
    assert LetterCounter.objects.get(organization=ditpp, year=2031).last == total
