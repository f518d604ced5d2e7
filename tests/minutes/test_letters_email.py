"""The agency invitation emails carry the sent Surat Undangan (participants' signal, the minutes
receiver): sent through core.mail to a real SMTP server, the .docx opens with python-docx."""

import pytest

from minutes.models import InvitationLetter
from minutes.services import letters
from participants.services import invitations as inv
from tests.factories import OrganizationFactory
from tests.minutes import letters_support
from tests.minutes.letters_support import draft, read, ready_to_send

agencies, hosted = letters_support.agencies, letters_support.hosted
pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def received(smtp_server, address: str) -> list:
    return [m["message"] for m in smtp_server.messages if m["to"] == [address]]


def docx_parts(message) -> list[tuple[str, bytes]]:
    return [
        (part.get_filename(), part.get_payload(decode=True))
        for part in message.walk()
        if part.get_content_type() == DOCX
    ]


def test_each_agency_gets_its_own_letter(hosted, organizer, smtp_server, run_tasks):
    run_tasks()  # the invitations of the fixture, sent before any letter: no attachment
    assert [docx_parts(m) for m in received(smtp_server, "undangan@kemnaker.test")] == [[]]
    kemnaker_letter, kemlu_letter = draft(hosted, organizer)
    for letter in (kemnaker_letter, kemlu_letter):
        letters.send_letter(ready_to_send(letter, organizer), by=organizer)

    run_tasks()

    for address, number in (
        ("undangan@kemnaker.test", "1/UND/DITPP/IX/2031"),
        ("undangan@kemlu.test", "2/UND/DITPP/IX/2031"),
    ):
        last = received(smtp_server, address)[-1]
        [(name, data)] = docx_parts(last)
        slug = number.lower().replace("/", "-")
        assert name == f"surat-undangan-{slug}.docx"
        doc = read(data)
        assert doc.tables[0].rows[0].cells[2].text == number
        assert "DRAFT" not in doc.sections[0].header.paragraphs[0].text
        # The email's own text and calendar parts are still there.
        assert {p.get_content_type() for p in last.walk()} >= {"text/plain", "text/html"}


def test_a_later_invitation_carries_the_letter_with_the_list(hosted, organizer, smtp_server, run_tasks):
    run_tasks()  # the invitations of the fixture, sent before the letter
    [letter] = draft(hosted, organizer, InvitationLetter.Addressing.LIST)
    letters.send_letter(ready_to_send(letter, organizer), by=organizer, email_agencies=False)
    kkp = OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
    inv.invite(hosted, actor=organizer, organization=kkp, quota=2, focal_point_email="undangan@kkp.test")

    run_tasks()

    [message] = received(smtp_server, "undangan@kkp.test")
    [(name, data)] = docx_parts(message)
    assert name == "surat-undangan-1-und-ditpp-ix-2031.docx"
    doc = read(data)
    assert doc.tables[-1].rows[1].cells[1].text == "Kementerian Ketenagakerjaan"
    # Invitations sent before the letter went out without it.
    assert [docx_parts(m) for m in received(smtp_server, "undangan@kemlu.test")] == [[]]


def test_a_draft_letter_is_not_attached(hosted, organizer, smtp_server, run_tasks):
    draft(hosted, organizer)
    invitation = hosted.invitations.get(focal_point_email="undangan@kemlu.test")
    inv.remind([invitation], actor=organizer)

    run_tasks()

    assert [docx_parts(m) for m in received(smtp_server, "undangan@kemlu.test")] == [[], []]
