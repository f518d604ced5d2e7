"""Rows of the invitation letters (minutes/views/letters.py): meeting A's organizer only.

Meeting A is organized by organization X, which invited X and Y; `build` drafts one letter per
agency (the one of X is on the URLs) and sends Y's, so a refused POST has a draft to change and
a sent letter beside it. Another meeting's staff get 404 (nobody learns the letters exist).
"""


def build(world: dict, objects: dict) -> None:
    from minutes.models import InvitationLetter
    from minutes.services import letters

    drafted = letters.draft_letters(
        objects["a"], by=objects["org_a"], addressing=InvitationLetter.Addressing.AGENCY
    )
    by_org = {letter.invitation.organization_id: letter for letter in drafted}
    sent = letters.update_letter(
        by_org[objects["y"].pk],
        by=objects["org_a"],
        version=1,
        signer_name="Lismia Elita",
        signer_position="Direktur",
    )
    letters.send_letter(sent, by=objects["org_a"], email_agencies=False)
    world["letter"] = by_org[objects["x"].pk].pk
    world["letter_sent"] = sent.pk


def rows() -> list:
    from tests.test_permission_matrix import POST_ONLY, Row, code, with_code

    return [
        Row("minutes:letters", code),
        Row("minutes:letter_numbering", code),
        Row("minutes:letter", with_code(pk="letter")),
        Row("minutes:letter_docx", with_code(pk="letter_sent")),
        Row("minutes:letter_send", with_code(pk="letter"), expect=dict(POST_ONLY)),
        Row("minutes:letter_delete", with_code(pk="letter"), expect=dict(POST_ONLY)),
    ]
