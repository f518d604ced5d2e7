"""Invitation letters through their services: numbering by the organizing host agency's pattern
and yearly counter, the register that never gives a number twice, drafting per agency or with
the list attached, editing before sending, sending, deleting, and the Notula's field."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry, OutgoingEmail
from meetings.models import Meeting
from minutes.documents import notula
from minutes.models import InvitationLetter, LetterCounter, LetterNumber, Minutes
from minutes.services import letters
from minutes.services.preparation import prepare_minutes
from participants.models import AgencyInvitation
from participants.services import invitations as inv
from tests.factories import MeetingFactory, MeetingHostFactory
from tests.minutes import letters_support
from tests.minutes.letters_support import LETTER_DATE, draft, ready_to_send

# The fixtures of tests/minutes/letters_support.py.
agencies, hosted = letters_support.agencies, letters_support.hosted

pytestmark = pytest.mark.django_db
Addressing = InvitationLetter.Addressing


def test_number_follows_the_pattern_with_roman_month():
    assert letters.format_number(
        "{seq}/UND/{unit}/{month_roman}/{year}", seq=7, unit="DITPP", on=LETTER_DATE
    ) == ("7/UND/DITPP/IX/2031")
    assert letters.format_number(
        "B.{seq:04d}/{unit}/{month}/{year}", seq=7, unit="X", on=date(2021, 12, 1)
    ) == ("B.0007/X/12/2021")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "Masukkan pola penomoran."),
        ("UND/{unit}/{year}", "Pola memerlukan nomor urut {seq}."),
        (
            "{seq}/{kantor}/{year}",
            "Placeholder {kantor} tidak dikenal; gunakan {seq}, {unit}, {month_roman}, {month}, {year}.",
        ),
        ("{seq}/{unit", "Kurung kurawal harus mengapit sebuah placeholder, misalnya {seq}."),
        ("{seq:zz}/{year}", "Pola ini tidak dapat diisi; periksa placeholder-nya."),
    ],
)
def test_a_bad_pattern_is_refused_with_a_message(pattern, message):
    with pytest.raises(ValidationError) as error:
        letters.validate_pattern(pattern)
    assert error.value.message_dict == {"pattern": [message]}


def test_one_letter_per_invited_agency_each_numbered_in_turn(hosted, organizer, agencies):
    made = draft(hosted, organizer)

    assert [(x.addressees, x.number) for x in made] == [
        (["Kementerian Ketenagakerjaan"], "1/UND/DITPP/IX/2031"),
        (["Kementerian Luar Negeri"], "2/UND/DITPP/IX/2031"),
    ]
    assert {x.organization for x in made} == {agencies["ditpp"]}
    assert [x.invitation.organization for x in made] == [agencies["kemnaker"], agencies["kemlu"]]
    assert LetterCounter.objects.get(organization=agencies["ditpp"], year=2031).last == 2
    assert list(LetterNumber.objects.values_list("number", "sequence", "letter")) == [
        ("1/UND/DITPP/IX/2031", 1, made[0].pk),
        ("2/UND/DITPP/IX/2031", 2, made[1].pk),
    ]
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="minutes.letter")] == [
        "minutes.letter_drafted",
        "minutes.letter_drafted",
    ]
    assert made[0].hal == "Undangan Focus Group Discussion"
    assert made[0].state == InvitationLetter.State.DRAFT


def test_a_second_draft_skips_agencies_that_have_their_letter(hosted, organizer, agencies):
    draft(hosted, organizer)
    kkp = type(agencies["kemlu"]).objects.create(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
    inv.invite(hosted, actor=organizer, organization=kkp, quota=2, focal_point_email="undangan@kkp.test")

    [third] = draft(hosted, organizer)

    assert (third.addressees, third.number) == (["Kementerian Kelautan dan Perikanan"], "3/UND/DITPP/IX/2031")
    with pytest.raises(ValidationError) as error:
        draft(hosted, organizer)
    assert error.value.messages == ["Setiap instansi yang Anda pilih sudah memiliki suratnya."]


def test_one_letter_with_the_list_attached(hosted, organizer):
    [letter] = draft(hosted, organizer, Addressing.LIST)

    assert letter.addressing == Addressing.LIST
    assert letter.invitation is None
    assert letter.addressees == ["Kementerian Ketenagakerjaan", "Kementerian Luar Negeri"]
    assert letter.lampiran == "1 (satu) lembar"
    assert letter.number == "1/UND/DITPP/IX/2031"


def test_counter_is_per_organization_and_year(hosted, organizer, agencies, other_organizer):
    draft(hosted, organizer)
    [next_year] = letters.draft_letters(
        hosted, by=organizer, addressing=Addressing.LIST, letter_date=date(2032, 1, 5)
    )
    other = MeetingFactory(title="Rakor Kemnaker", organizers=[organizer], status=Meeting.Status.PUBLISHED)
    MeetingHostFactory(meeting=other, organization=agencies["kemnaker"], role="organizer")
    inv.invite(
        other, actor=organizer, organization=agencies["kemlu"], quota=1, focal_point_email="b@kemlu.test"
    )
    [kemnaker_letter] = draft(other, organizer)

    assert next_year.number == "1/UND/DITPP/I/2032"
    assert kemnaker_letter.number == "1/UND/KEMNAKER/IX/2031"
    assert sorted(LetterCounter.objects.values_list("organization__acronym", "year", "last")) == [
        ("DITPP", 2031, 2),
        ("DITPP", 2032, 1),
        ("Kemnaker", 2031, 1),
    ]


def test_a_deleted_letters_number_is_never_given_again(hosted, organizer):
    first, second = draft(hosted, organizer)

    letters.delete_letter(second, by=organizer)
    [again] = draft(hosted, organizer)

    assert again.number == "3/UND/DITPP/IX/2031"
    assert list(LetterNumber.objects.values_list("number", "letter", "note")) == [
        ("1/UND/DITPP/IX/2031", first.pk, ""),
        ("2/UND/DITPP/IX/2031", None, "surat dihapus"),
        ("3/UND/DITPP/IX/2031", again.pk, ""),
    ]


def test_the_number_is_edited_before_sending_and_both_stay_taken(hosted, organizer):
    first, second = draft(hosted, organizer)

    edited = letters.update_letter(
        first, by=organizer, version=first.version, number="B.1520/DITPP-ASAF/IX/2031"
    )

    assert (edited.number, edited.version) == ("B.1520/DITPP-ASAF/IX/2031", 2)
    with pytest.raises(ValidationError) as error:
        letters.update_letter(second, by=organizer, version=second.version, number="1/UND/DITPP/IX/2031")
    assert error.value.message_dict == {"number": ["Nomor ini sudah diberikan kepada surat lain."]}
    with pytest.raises(ValidationError):
        letters.update_letter(
            second, by=organizer, version=second.version, number="B.1520/DITPP-ASAF/IX/2031"
        )
    assert InvitationLetter.objects.get(pk=second.pk).number == "2/UND/DITPP/IX/2031"


def test_a_hand_typed_number_the_pattern_would_make_is_skipped(hosted, organizer):
    first, _second = draft(hosted, organizer)
    letters.update_letter(first, by=organizer, version=first.version, number="3/UND/DITPP/IX/2031")
    kkp = type(first.organization).objects.create(name="Kementerian Perhubungan", acronym="Kemenhub")
    inv.invite(hosted, actor=organizer, organization=kkp, quota=2, focal_point_email="undangan@dephub.test")

    [third] = draft(hosted, organizer)

    assert third.number == "4/UND/DITPP/IX/2031"


def test_an_edit_of_an_older_version_is_refused(hosted, organizer):
    first, _ = draft(hosted, organizer)
    letters.update_letter(first, by=organizer, version=1, hal="Undangan FGD P3MI")

    with pytest.raises(ValidationError) as error:
        letters.update_letter(first, by=organizer, version=1, hal="Undangan lain")

    assert "menyimpan surat ini" in error.value.messages[0]
    assert InvitationLetter.objects.get(pk=first.pk).hal == "Undangan FGD P3MI"


def test_sending_needs_the_signing_official(hosted, organizer):
    first, _ = draft(hosted, organizer)

    with pytest.raises(ValidationError) as error:
        letters.send_letter(first, by=organizer)

    assert set(error.value.message_dict) == {"signer_name", "signer_position"}
    assert InvitationLetter.objects.get(pk=first.pk).state == InvitationLetter.State.DRAFT


def test_sending_locks_the_letter_and_emails_its_agency(hosted, organizer):
    first, second = draft(hosted, organizer)
    first = ready_to_send(first, organizer)
    before = OutgoingEmail.objects.count()

    queued = letters.send_letter(first, by=organizer)

    sent = InvitationLetter.objects.get(pk=first.pk)
    assert (queued, sent.state, sent.sent_by) == (1, InvitationLetter.State.SENT, organizer)
    assert list(OutgoingEmail.objects.order_by("pk")[before:].values_list("to", "builder")) == [
        (["undangan@kemnaker.test"], "participants.notifications.invitation_message")
    ]
    with pytest.raises(ValidationError):
        letters.update_letter(sent, by=organizer, version=sent.version, hal="Ubah")
    with pytest.raises(ValidationError):
        letters.delete_letter(sent, by=organizer)
    assert letters.sent_letter_for(first.invitation) == sent
    assert letters.sent_letter_for(second.invitation) is None


def test_the_list_letter_goes_with_every_agencys_invitation(hosted, organizer):
    [letter] = draft(hosted, organizer, Addressing.LIST)
    letter = ready_to_send(letter, organizer)

    assert letters.send_letter(letter, by=organizer, email_agencies=False) == 0

    invitations = AgencyInvitation.objects.filter(meeting=hosted)
    assert [letters.sent_letter_for(i) for i in invitations] == [letter, letter]


def test_only_the_meetings_organizers_draft(hosted, secretary, other_organizer):
    for user in (secretary, other_organizer):
        with pytest.raises(PermissionDenied):
            draft(hosted, user)
    assert InvitationLetter.objects.count() == 0
    assert LetterNumber.objects.count() == 0


def test_no_organizing_host_no_letter(published_meeting, organizer):
    with pytest.raises(ValidationError) as error:
        draft(published_meeting, organizer)
    assert "tuan rumah penyelenggara" in error.value.messages[0]


def test_a_cancelled_meeting_gets_no_letter(hosted, organizer):
    Meeting.objects.filter(pk=hosted.pk).update(status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError):
        draft(hosted, organizer)
    assert LetterCounter.objects.count() == 0


def test_numbering_goes_on_from_a_paper_register_never_back(hosted, organizer, agencies):
    letters.save_numbering(
        hosted,
        by=organizer,
        pattern="B.{seq}/{unit}/{month_roman}/{year}",
        unit_code="DITPP-ASAF",
        year=2031,
        next_sequence=1520,
    )
    [letter] = draft(hosted, organizer, Addressing.LIST)

    assert letter.number == "B.1520/DITPP-ASAF/IX/2031"
    with pytest.raises(ValidationError) as error:
        letters.save_numbering(
            hosted,
            by=organizer,
            pattern="B.{seq}/{unit}/{month_roman}/{year}",
            unit_code="DITPP-ASAF",
            year=2031,
            next_sequence=1500,
        )
    assert error.value.message_dict == {
        "next_sequence": ["Nomor 1520 sudah diberikan pada 2031: nomor berikutnya paling kecil 1521."]
    }
    assert LetterCounter.objects.get(organization=agencies["ditpp"], year=2031).last == 1520


def test_the_notula_field_takes_the_sent_letters_number_and_date(hosted, organizer):
    first, second = draft(hosted, organizer)
    for letter in (first, second):
        letters.send_letter(ready_to_send(letter, organizer), by=organizer, email_agencies=False)
    minutes = prepare_minutes(hosted, author=organizer)

    assert notula.invitation_reference(minutes) == (
        "1/UND/DITPP/IX/2031, 2/UND/DITPP/IX/2031 tanggal 13 September 2031"
    )
    Minutes.objects.filter(pk=minutes.pk).update(invitation_reference="B.9/ketik/2031")
    minutes.refresh_from_db()
    assert notula.invitation_reference(minutes) == "B.9/ketik/2031"


def test_a_draft_letter_does_not_fill_the_notula(hosted, organizer):
    draft(hosted, organizer)
    minutes = prepare_minutes(hosted, author=organizer)
    assert notula.invitation_reference(minutes) == ""


def test_the_letter_follows_the_organizer_host_not_the_first_host(published_meeting, organizer, agencies):
    MeetingHostFactory(meeting=published_meeting, organization=agencies["kemnaker"], role="co_host", order=0)
    MeetingHostFactory(meeting=published_meeting, organization=agencies["ditpp"], role="organizer", order=1)
    inv.invite(
        published_meeting,
        actor=organizer,
        organization=agencies["kemlu"],
        quota=1,
        focal_point_email="a@kemlu.test",
    )

    [letter] = draft(published_meeting, organizer)

    assert letter.organization == agencies["ditpp"]
