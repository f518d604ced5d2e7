"""The demo's invitation letter: the 2021 FGD's sent Surat Undangan, numbered as the official one,
downloadable by its organizer, its number in the Notula; a second seeding adds nothing."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from accounts.models import User
from config import demo_letters
from meetings.models import Meeting
from minutes.models import InvitationLetter, LetterCounter, LetterNumber


@pytest.fixture
def seeded(seeded_demo, db):
    return seeded_demo


def fgd() -> Meeting:
    return Meeting.objects.get(kind=Meeting.Kind.FGD, starts_on=date(2021, 9, 20))


def test_the_fgd_has_its_sent_letter_with_the_official_number(seeded):
    [letter] = InvitationLetter.objects.filter(meeting=fgd())

    assert (letter.number, letter.letter_date, letter.state, letter.addressing) == (
        "B.1520/DITPP-ASAF/IX/2021",
        date(2021, 9, 13),
        InvitationLetter.State.SENT,
        InvitationLetter.Addressing.LIST,
    )
    assert letter.organization.acronym == "DITPP Kawasan Asaf"
    assert len(letter.addressees) == 26  # three ministries and the 23 regional units
    assert {
        "Kementerian Luar Negeri",
        "Kementerian Kelautan dan Perikanan",
        "Kementerian Perhubungan",
    } <= set(letter.addressees)
    assert list(LetterNumber.objects.values_list("number", "sequence")) == [
        ("B.1520/DITPP-ASAF/IX/2021", 1520)
    ]
    assert LetterCounter.objects.get(organization=letter.organization, year=2021).last == 1520


def test_the_organizer_downloads_it_and_the_notula_names_it(seeded, client):
    letter = InvitationLetter.objects.get(meeting=fgd())
    client.force_login(User.objects.get(email="penyelenggara@sinergi.test"))

    response = client.get(
        reverse("minutes:letter_docx", kwargs={"code": letter.meeting.code, "pk": letter.pk})
    )

    doc = Document(io.BytesIO(response.content))
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["Nomor", ":", "B.1520/DITPP-ASAF/IX/2021"]
    assert "Yth. Daftar terlampir" in [p.text for p in doc.paragraphs]
    notula = client.get(reverse("minutes:notula", kwargs={"code": letter.meeting.code}))
    rows = [[c.text for c in r.cells] for r in Document(io.BytesIO(notula.content)).tables[0].rows]
    assert ["Surat Undangan", ":", "B.1520/DITPP-ASAF/IX/2021 tanggal 13 September 2021"] in rows


def test_seeding_again_adds_no_letter(seeded):
    call_command("seed_demo", stdout=io.StringIO())

    assert InvitationLetter.objects.count() == 1
    assert demo_letters.fgd_letter(
        fgd().title, organizer=User.objects.get(email="penyelenggara@sinergi.test")
    ).pk
    assert LetterNumber.objects.count() == 1
