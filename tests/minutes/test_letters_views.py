"""The invitation-letter pages through the test client: draft, edit (and a stale edit refused
with the message next to the form), send, delete, download, the numbering, who may do it."""

import pytest
from django.urls import reverse

from minutes.models import InvitationLetter, LetterNumber
from minutes.services import letters
from tests.conftest import login
from tests.minutes import letters_support
from tests.minutes.letters_support import draft, read, ready_to_send

agencies, hosted = letters_support.agencies, letters_support.hosted
pytestmark = pytest.mark.django_db


def url(meeting, name="letters", **kwargs):
    return reverse(f"minutes:{name}", kwargs={"code": meeting.code, **kwargs})


def edit_data(letter: InvitationLetter, **changes) -> dict:
    data = {
        "version": letter.version,
        "number": letter.number,
        "letter_date": letter.letter_date.isoformat(),
        "place": letter.place,
        "sifat": letter.sifat,
        "lampiran": letter.lampiran,
        "hal": letter.hal,
        "addressees": "\n".join(letter.addressees),
        "opening": letter.opening,
        "closing": letter.closing,
        "signer_name": letter.signer_name,
        "signer_position": letter.signer_position,
        "signer_nip": letter.signer_nip,
        "tembusan": "\n".join(letter.tembusan),
    }
    return {**data, **changes}


def test_organizer_drafts_one_letter_per_agency(client, hosted, organizer):
    login(client, organizer)

    response = client.post(url(hosted), {"addressing": "agency", "letter_date": "2031-09-13"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "2 surat disusun: 1/UND/DITPP/IX/2031, 2/UND/DITPP/IX/2031."
    ]
    assert list(InvitationLetter.objects.values_list("number", "addressees")) == [
        ("1/UND/DITPP/IX/2031", ["Kementerian Ketenagakerjaan"]),
        ("2/UND/DITPP/IX/2031", ["Kementerian Luar Negeri"]),
    ]
    page = response.content.decode()
    assert "1/UND/DITPP/IX/2031" in page
    assert "Kementerian Luar Negeri" in page


def test_drafting_for_chosen_agencies_only(client, hosted, organizer, agencies):
    login(client, organizer)
    kemlu = hosted.invitations.get(organization=agencies["kemlu"])

    client.post(url(hosted), {"addressing": "agency", "invitations": [kemlu.pk], "letter_date": "2031-09-13"})

    assert list(InvitationLetter.objects.values_list("invitation", flat=True)) == [kemlu.pk]


def test_drafting_without_invitations_says_why(client, published_meeting, organizer, agencies):
    letters_support.MeetingHostFactory(meeting=published_meeting, organization=agencies["ditpp"])
    login(client, organizer)

    response = client.post(url(published_meeting), {"addressing": "list"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Undang instansi terlebih dahulu: surat ditujukan kepada instansi yang diundang."
    ]
    assert InvitationLetter.objects.count() == 0


def test_organizer_edits_a_draft(client, hosted, organizer):
    first, _ = draft(hosted, organizer)
    login(client, organizer)

    response = client.post(
        url(hosted, "letter", pk=first.pk),
        edit_data(first, number="B.1520/DITPP-ASAF/IX/2031", tembusan="Kepala BP2MI\n\nSekretaris Utama"),
    )

    assert response.status_code == 302
    letter = InvitationLetter.objects.get(pk=first.pk)
    assert (letter.number, letter.tembusan, letter.version) == (
        "B.1520/DITPP-ASAF/IX/2031",
        ["Kepala BP2MI", "Sekretaris Utama"],
        2,
    )
    assert list(
        LetterNumber.objects.filter(letter=letter).order_by("pk").values_list("number", flat=True)
    ) == [
        "1/UND/DITPP/IX/2031",
        "B.1520/DITPP-ASAF/IX/2031",
    ]


def test_a_stale_edit_is_refused_and_changes_nothing(client, hosted, organizer):
    first, _ = draft(hosted, organizer)
    stale = edit_data(first, hal="Versi lama")
    letters.update_letter(first, by=organizer, version=1, hal="Disimpan orang lain")
    login(client, organizer)

    response = client.post(url(hosted, "letter", pk=first.pk), stale)

    assert response.status_code == 400
    assert "menyimpan surat ini" in response.context["form"].non_field_errors()[0]
    assert InvitationLetter.objects.get(pk=first.pk).hal == "Disimpan orang lain"


def test_a_taken_number_is_shown_next_to_the_field(client, hosted, organizer):
    first, second = draft(hosted, organizer)
    login(client, organizer)

    response = client.post(url(hosted, "letter", pk=second.pk), edit_data(second, number=first.number))

    assert response.status_code == 400
    assert response.context["form"].errors["number"] == ["Nomor ini sudah diberikan kepada surat lain."]


def test_send_then_the_letter_reads_as_sent(client, hosted, organizer):
    first, _ = draft(hosted, organizer)
    ready_to_send(first, organizer)
    login(client, organizer)

    response = client.post(url(hosted, "letter_send", pk=first.pk), {"email_agencies": "on"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Surat 1/UND/DITPP/IX/2031 terkirim; 1 email undangan membawanya."
    ]
    assert response.context["form"] is None
    assert 'id="letter-sent"' in response.content.decode()
    assert InvitationLetter.objects.get(pk=first.pk).state == InvitationLetter.State.SENT


def test_sending_without_signer_says_so(client, hosted, organizer):
    first, _ = draft(hosted, organizer)
    login(client, organizer)

    response = client.post(url(hosted, "letter_send", pk=first.pk), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Sebutkan pejabat penanda tangan sebelum mengirim surat.",
        "Sebutkan jabatan pejabat penanda tangan sebelum mengirim surat.",
    ]
    assert InvitationLetter.objects.get(pk=first.pk).state == InvitationLetter.State.DRAFT


def test_delete_a_draft_keeps_its_number(client, hosted, organizer):
    first, _ = draft(hosted, organizer)
    login(client, organizer)

    response = client.post(url(hosted, "letter_delete", pk=first.pk), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Draf dihapus; nomornya 1/UND/DITPP/IX/2031 tidak akan diberikan lagi."
    ]
    assert not InvitationLetter.objects.filter(pk=first.pk).exists()
    assert "1/UND/DITPP/IX/2031 · " in response.content.decode()  # still in the register


def test_download_the_docx(client, hosted, organizer):
    first, _ = draft(hosted, organizer)
    login(client, organizer)

    response = client.get(url(hosted, "letter_docx", pk=first.pk))

    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="surat-undangan-1-und-ditpp-ix-2031-draft.docx"'
    )
    assert response["Cache-Control"].startswith("private, no-store")
    assert read(response.content).tables[0].rows[0].cells[2].text == "1/UND/DITPP/IX/2031"


def test_numbering_page_sets_the_pattern(client, hosted, organizer):
    login(client, organizer)
    page = client.get(url(hosted, "letter_numbering"))
    assert page.context["form"].initial["pattern"] == "{seq}/UND/{unit}/{month_roman}/{year}"

    bad = client.post(url(hosted, "letter_numbering"), {"pattern": "UND/{year}", "unit_code": "X"})
    assert bad.status_code == 400
    assert bad.context["form"].errors["pattern"] == ["Pola memerlukan nomor urut {seq}."]

    client.post(
        url(hosted, "letter_numbering"),
        {
            "pattern": "B.{seq}/{unit}/{month_roman}/{year}",
            "unit_code": "DITPP-ASAF",
            "year": 2031,
            "next_sequence": 1520,
        },
    )
    [letter] = draft(hosted, organizer, InvitationLetter.Addressing.LIST)
    assert letter.number == "B.1520/DITPP-ASAF/IX/2031"


def test_the_secretary_is_refused_and_other_organizers_see_nothing(
    client, hosted, organizer, secretary, other_organizer
):
    first, _ = draft(hosted, organizer)
    login(client, secretary)
    assert client.get(url(hosted)).status_code == 403
    assert client.post(url(hosted, "letter_delete", pk=first.pk)).status_code == 403
    login(client, other_organizer)
    assert client.get(url(hosted, "letter_docx", pk=first.pk)).status_code == 404
    assert client.post(url(hosted), {"addressing": "list"}).status_code == 404
    assert InvitationLetter.objects.count() == 2


def test_the_documents_page_links_the_letters_for_organizers_only(client, hosted, organizer, secretary):
    login(client, organizer)
    assert (
        url(hosted) in client.get(reverse("minutes:documents", kwargs={"code": hosted.code})).content.decode()
    )
    login(client, secretary)
    assert (
        url(hosted)
        not in client.get(reverse("minutes:documents", kwargs={"code": hosted.code})).content.decode()
    )
